"""The nightly run assesses only the schools whose facts changed or whose result could change that
day (``AssessmentSchedule``), chunk by chunk; a full run after it finds nothing to write."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from categorisation import selectors, services
from categorisation.models import AssessmentSchedule, RecategorisationRun, RiskAssessment, SchoolCategory
from operations import jobs
from schools import services as schools
from schools.imports import refresh_latest_inspections, run_import
from schools.models import ImportRun
from tests.examples import examples
from tests.factories import InspectionFactory, SchoolFactory
from tests.schools.test_importers import replace_cell

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
OFSTED = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted" / "latest_inspections_graded_layout.csv"


def nightly(as_of: date) -> RecategorisationRun:
    return services.recategorise(trigger="nightly", only_changed=True, as_of=as_of)


def full(as_of: date) -> RecategorisationRun:
    return services.recategorise(trigger="manual", as_of=as_of)


def results() -> dict[int, tuple[str, str]]:
    """Each school's standing: its proposal and the hash of its latest assessment."""
    return dict(
        (school, (proposed, result))
        for school, proposed, result in SchoolCategory.objects.filter(framework__is_active=True).values_list(
            "school_id", "proposed__code", "assessment__result_hash"
        )
    )


@pytest.fixture
def schools_of_birmingham(birmingham):
    made = SchoolFactory.create_batch(6, la=birmingham)
    for school, grade in zip(made, [1, 2, 3, 4, 2, 3], strict=False):
        InspectionFactory(school=school, overall_effectiveness=grade, start_date=date(2022, 3, 1))
    refresh_latest_inspections({s.pk for s in made})
    return made


class TestTheNightlyRun:
    def test_after_a_full_run_it_assesses_no_school_until_one_changes_or_is_due(self, schools_of_birmingham):
        first = full(TODAY)
        assert (first.schools, first.assessed) == (6, 6)
        assert AssessmentSchedule.objects.count() == 6
        assert nightly(TODAY).schools == 0
        school = schools_of_birmingham[0]
        services.mark_facts_changed([school.pk])
        again = nightly(TODAY)
        assert (again.schools, again.assessed, again.unchanged) == (1, 0, 1)
        assert nightly(TODAY).schools == 0

    def test_a_school_new_to_the_remit_is_assessed(self, schools_of_birmingham, birmingham):
        full(TODAY)
        newcomer = SchoolFactory(la=birmingham)
        run = nightly(TODAY)
        assert (run.schools, run.assessed) == (1, 1)
        assert SchoolCategory.objects.filter(school=newcomer).exists()

    def test_a_note_ageing_out_is_assessed_on_the_day_and_the_proposal_falls(self, schools_of_birmingham, olivia):
        school = schools_of_birmingham[0]
        schools.add_intelligence_note(
            school=school,
            by=olivia,
            area="finance",
            noted_on=date(2026, 1, 31),
            source="Finance team",
            risk_grade="high",
            visibility="restricted",
            text="Deficit",
        )
        full(TODAY)
        due = AssessmentSchedule.objects.get(school=school).due_on
        assert due == date(2027, 2, 1)  # the note counts for twelve months
        before = results()[school.pk]
        assert nightly(due - timedelta(days=1)).schools == 0
        run = nightly(due)
        assert (run.schools, run.assessed) == (1, 1)
        assert results()[school.pk] != before

    def test_a_new_framework_version_assesses_every_school(self, schools_of_birmingham, adam):
        full(TODAY)
        draft = services.create_draft(version=selectors.active_version(), by=adam)
        services.adopt_draft(version=draft, by=adam)
        run = nightly(TODAY)
        assert (run.schools, run.version) == (6, draft)
        assert nightly(TODAY).schools == 0

    def test_chunks_give_the_standings_one_chunk_gives(self, schools_of_birmingham, settings):
        settings.RECATEGORISATION_CHUNK_SCHOOLS = 4
        run = full(TODAY)
        in_chunks = results()
        assert (run.schools, run.assessed) == (6, 6)
        SchoolCategory.objects.all().delete()
        RiskAssessment.objects.all().delete()
        settings.RECATEGORISATION_CHUNK_SCHOOLS = 100
        full(TODAY)
        assert results() == in_chunks


class TestAChunkKilledMidWrite:
    def test_leaves_nothing_and_run_again_writes_each_assessment_once(self, schools_of_birmingham, monkeypatch):
        run, chunks = services.start_run(trigger="manual", as_of=TODAY)
        (chunk,) = chunks
        write = services._point_standings_at

        def killed(*args, **kwargs):
            write(*args, **kwargs)  # the assessments and standings are written, and then the worker dies
            raise SystemExit("worker killed")

        monkeypatch.setattr(services, "_point_standings_at", killed)
        with pytest.raises(SystemExit):
            services.assess_chunk(run.pk, chunk, TODAY)
        assert not RiskAssessment.objects.exists()
        assert not SchoolCategory.objects.exists()
        monkeypatch.setattr(services, "_point_standings_at", write)
        assert services.assess_chunk(run.pk, chunk, TODAY) == 6
        # Delivered again after it committed (acks late): it finds every result unchanged.
        assert services.assess_chunk(run.pk, chunk, TODAY) == 0
        finished = services.finish_run(run.pk)
        assert (finished.status, finished.assessed, finished.unchanged) == ("succeeded", 6, 0)
        assert RiskAssessment.objects.filter(run=run).count() == 6
        expected = results()
        SchoolCategory.objects.all().delete()
        full(TODAY)
        assert results() == expected


# Incremental and full runs agree -------------------------------------------------------------------

SCHOOL = st.integers(0, 5)
STEPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("note"), SCHOOL, st.sampled_from(["finance", "leadership", "new_headteacher"]), st.integers(0, 500)
        ),
        st.tuples(st.just("inspection"), SCHOOL, st.integers(1, 4), st.integers(0, 1500)),
        st.tuples(st.just("import"), st.sampled_from([2, 3]), st.sampled_from(["1", "2", "3", "4"])),
        st.tuples(st.just("decision"), SCHOOL),
        st.tuples(st.just("lost"), SCHOOL, st.integers(0, 500)),
        st.tuples(st.just("days"), st.integers(1, 400)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=examples(6, 30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_nightly_runs_give_the_standings_a_full_run_gives(
    steps, ashfield, beacon_hill, birmingham, olivia, monkeypatch, django_capture_on_commit_callbacks
):
    """After any sequence of imports, notes, inspections, decisions, runs lost on the way and days
    passing, each followed by the nightly run, a full run finds nothing to change."""
    clock = [TODAY]
    monkeypatch.setattr(timezone, "localdate", lambda *args: clock[0])
    with transaction.atomic():
        made = [ashfield, beacon_hill, *SchoolFactory.create_batch(4, la=birmingham)]
        full(clock[0])
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                take(step, made, olivia, clock, monkeypatch)
            nightly(clock[0])
        standings = results()
        again = full(clock[0])
        assert again.assessed == 0, f"the nightly runs missed {again.assessed} change(s)"
        assert results() == standings
        transaction.set_rollback(True)


def take(step, made, officer, clock, monkeypatch) -> None:
    kind, *args = step
    if kind == "days":
        clock[0] += timedelta(days=args[0])
    elif kind in ("note", "lost"):
        school, area, ago = (made[args[0]], "finance", args[1]) if kind == "lost" else (made[args[0]], *args[1:])
        with monkeypatch.context() as lost:
            if kind == "lost":  # the change is recorded, but the run it queued never reaches a worker
                lost.setattr(jobs, "enqueue_on_commit", lambda *a, **k: None)
            schools.add_intelligence_note(
                school=school,
                by=officer,
                area=area,
                noted_on=clock[0] - timedelta(days=ago),
                source="Test",
                risk_grade="high",
                visibility="restricted",
                text="Noted",
            )
    elif kind == "inspection":
        school, grade, ago = made[args[0]], args[1], args[2]
        InspectionFactory(school=school, overall_effectiveness=grade, start_date=clock[0] - timedelta(days=ago))
        refresh_latest_inspections({school.pk})
        services.recategorise_changed(None, trigger="import", school_ids=[school.pk])
    elif kind == "import":
        line, grade = args
        raw = replace_cell(OFSTED.read_bytes(), line, "Overall effectiveness", grade)
        run = schools.start_command_import(
            kind="ofsted_latest", file_name="ofsted.csv", raw=raw, dry_run=False, academic_year=None, by=officer
        )
        run_import(run=run, raw=raw)
        run.refresh_from_db()
        assert run.status == ImportRun.Status.SUCCEEDED, run.message
    elif kind == "decision":
        standing = SchoolCategory.objects.filter(school=made[args[0]], framework__is_active=True).first()
        if standing is not None and standing.pending:
            services.agree_category(school=made[args[0]], by=officer)


def test_an_administrator_finds_a_schools_assessments_by_urn_and_their_run(client, adam, schools_of_birmingham):
    run = full(TODAY)
    school = schools_of_birmingham[0]
    client.force_login(adam)
    page = client.get("/admin/categorisation/riskassessment/", {"q": str(school.urn)})
    assert page.status_code == 200
    text = page.content.decode()
    assert school.name in text
    assert schools_of_birmingham[1].name not in text
    assert f"Recategorisation {run.pk} (Run by an officer)" in text


def test_an_import_reassesses_only_the_schools_it_changed(
    ashfield, beacon_hill, birmingham, olivia, django_capture_on_commit_callbacks
):
    others = SchoolFactory.create_batch(3, la=birmingham)
    raw = OFSTED.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        first = schools.start_command_import(
            kind="ofsted_latest", file_name="ofsted.csv", raw=raw, dry_run=False, academic_year=None, by=olivia
        )
        run_import(run=first, raw=raw)
    assert set(SchoolCategory.objects.values_list("school_id", flat=True)) >= {s.pk for s in others}
    changed = replace_cell(raw, 2, "Overall effectiveness", "2")  # Ashfield, inadequate before
    with django_capture_on_commit_callbacks(execute=True):
        second = schools.start_command_import(
            kind="ofsted_latest", file_name="ofsted.csv", raw=changed, dry_run=False, academic_year=None, by=olivia
        )
        run_import(run=second, raw=changed)
    after = RecategorisationRun.objects.filter(import_run=second).get()
    assert (after.scope, after.schools, after.assessed) == ("changed", 1, 1)
    assert RiskAssessment.objects.filter(run=after).get().school == ashfield
