"""The national data set: realistic shapes, the same rows from the same seed, and a portal that
works on it. Small sizes, so that each generation takes about a second on SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.models import Role, SchoolAssignment, User
from boards.models import Decision, PriorityEntry, WarningNotice
from categorisation import services as categorisation
from categorisation.models import CategoryDecision, Framework, RiskAssessment, SchoolCategory
from national import distributions, generator, register
from national.draws import rng_for
from national.management.commands import generate_national_dataset
from national.people import DOMAIN
from schools import ofsted
from schools.imports import refresh_latest_inspections
from schools.models import Inspection, IntelligenceNote, NationalFigure, PerformanceMeasure, School
from support.models import ActionPlan, SupportPackage, Visit

SCHOOLS, YEARS, SEED = 120, 3, 7
AS_OF = generator.AS_OF
DIGESTED = [
    School,
    Inspection,
    PerformanceMeasure,
    NationalFigure,
    CategoryDecision,
    SchoolCategory,
    PriorityEntry,
    Decision,
    WarningNotice,
    SupportPackage,
    Visit,
    ActionPlan,
    SchoolAssignment,
    IntelligenceNote,
]


@pytest.fixture
def generated(db):
    return generator.generate(schools=SCHOOLS, years=YEARS, seed=SEED)


def digest() -> str:
    """A hash of every row of the main tables in order, with people named by their email (their
    ids are the database's, not the generator's)."""
    found = hashlib.sha256()
    for model in DIGESTED:
        names = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                names.append(f"{field.name}__email")
            else:
                names.append(field.attname)
        for row in model.objects.order_by("pk").values_list(*names):
            found.update(repr(row).encode())
    people = User.objects.filter(email__endswith=DOMAIN).order_by("email")
    for row in people.values_list("email", "full_name", "role", "organisation", "password", "date_joined"):
        found.update(repr(row).encode())
    return found.hexdigest()


# The shapes ----------------------------------------------------------------------------------


def test_the_register_has_englands_mix_of_schools():
    """Drawn without a database: 5,000 schools' phases and academies come out in the shares the
    files give."""
    shapes = distributions.load()
    window = generator.Window(AS_OF, 10)
    made = register.plan(rng_for(1, "register"), count=5000, years=10, as_of=AS_OF, window_start=window.start)
    phases = Counter(s.phase for s in made.schools)
    for key, phase in shapes.phases.items():
        assert phases[key] / 5000 == pytest.approx(phase.share, abs=0.015), key
    primaries = [s for s in made.schools if s.phase == distributions.PRIMARY]
    academies = sum(not s.maintained for s in primaries) / len(primaries)
    assert academies == pytest.approx(shapes.phases[distributions.PRIMARY].academy_share, abs=0.03)
    assert sum(shapes.phases[k].share for k in shapes.phases) == pytest.approx(1)
    assert all(sum(p.grades) == pytest.approx(1) for p in shapes.phases.values())
    assert 200 < shapes.phases[distributions.PRIMARY].roll.mean < 350  # about 280 pupils in a primary


def test_generated_counts_are_plausible(generated):
    assert generated["schools.School"] == SCHOOLS == School.objects.count()
    phases = Counter(School.objects.values_list("phase_name", flat=True))
    assert 0.65 < phases["Primary"] / SCHOOLS < 0.9
    assert 0.07 < phases["Secondary"] / SCHOOLS < 0.25
    assert Inspection.objects.count() > SCHOOLS  # the latest before the window, and those since
    assert PerformanceMeasure.objects.count() > SCHOOLS * YEARS * 6
    listed = PriorityEntry.objects.filter(status=PriorityEntry.Status.ON_LIST).values("school").distinct().count()
    assert 5 <= listed <= 20  # about one school in eleven is ever supported
    assert SupportPackage.objects.count() == PriorityEntry.objects.exclude(status="not_added").count()
    assert Visit.objects.filter(status="held").exists()
    roles = Counter(User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("role", flat=True))
    assert roles[Role.COMMISSIONER] == 1
    assert roles[Role.ADMIN] == 1
    assert roles[Role.BOARD_MEMBER] > 1
    assert roles[Role.PRIORITY_PARTNER] >= 1
    assert roles[Role.LA_OFFICER] >= len(set(School.objects.values_list("la", flat=True)))
    assert roles[Role.HEADTEACHER] >= 1
    assert User.objects.get(email=f"officer.{School.objects.first().la.code}.1@{DOMAIN}")
    assert not any(user.has_usable_password() for user in User.objects.filter(email__endswith=f"@{DOMAIN}"))
    # Each supported school has its priority partner; each headteacher their school.
    partners = SchoolAssignment.objects.filter(relationship="priority_partner")
    assert set(partners.values_list("school", flat=True)) == set(
        PriorityEntry.objects.exclude(status="not_added").values_list("school", flat=True)
    )
    assert all(a.user.role == Role.HEADTEACHER for a in SchoolAssignment.objects.filter(relationship="headteacher"))


def test_every_inspection_shape_is_in_its_period(generated):
    shapes = Counter(Inspection.objects.values_list("shape", flat=True))
    assert set(shapes) == set(ofsted.Shape.values)
    for inspection in Inspection.objects.all():
        day = inspection.start_date
        if inspection.shape == ofsted.Shape.GRADED:
            assert day < date(2024, 9, 1)
            assert 1 <= inspection.overall_effectiveness <= 4
            assert inspection.quality_of_education is not None
        elif inspection.shape == ofsted.Shape.JUDGEMENTS_ONLY:
            assert date(2024, 9, 1) <= day < date(2025, 11, 10)
            assert inspection.overall_effectiveness is None
            assert inspection.leadership_and_management is not None
        elif inspection.shape == ofsted.Shape.REPORT_CARD:
            assert day >= date(2025, 11, 10)
            assert inspection.rc_achievement is not None
            assert inspection.quality_of_education is None
        else:
            assert inspection.ungraded_outcome
            assert inspection.overall_effectiveness is None
        assert inspection.publication_date <= AS_OF
        assert inspection.start_date.weekday() < 5
        assert inspection.start_date.month != 8


def test_suppressed_figures_are_stored_as_no_value_with_their_marker(generated):
    suppressed = PerformanceMeasure.objects.filter(value__isnull=True)
    assert suppressed.exists()
    assert not suppressed.filter(marker="").exists()
    assert not PerformanceMeasure.objects.filter(value__isnull=False).exclude(marker="").exists()
    assert set(suppressed.values_list("marker", flat=True)) <= {"SUPP", "NA", "LOWCOV"}
    # National figures for every measure and year that schools have figures for.
    held = set(PerformanceMeasure.objects.filter(value__isnull=False).values_list("measure", "academic_year"))
    national = set(NationalFigure.objects.filter(phase="all").values_list("measure", "academic_year"))
    assert held == national


def test_every_school_points_at_its_latest_inspection_as_the_import_would(generated):
    assert School.objects.filter(latest_inspection__isnull=False).count() > SCHOOLS * 0.9
    assert refresh_latest_inspections(set(School.objects.values_list("pk", flat=True))) == 0


# The same seed, the same data ------------------------------------------------------------------


def test_the_same_seed_makes_the_same_rows(generated):
    first = digest()
    again = generator.generate(schools=SCHOOLS, years=YEARS, seed=SEED)
    assert again.rows == generated.rows
    assert digest() == first


def test_another_seed_makes_other_rows(generated):
    first = digest()
    generator.generate(schools=SCHOOLS, years=YEARS, seed=SEED + 1)
    assert digest() != first


def test_replacing_keeps_the_frameworks_schedules_and_other_people(olivia, generated):
    frameworks, schedules = Framework.objects.count(), PeriodicTask.objects.count()
    generator.generate(schools=30, years=2, seed=SEED)
    assert School.objects.count() == 30
    assert (Framework.objects.count(), PeriodicTask.objects.count()) == (frameworks, schedules)
    assert User.objects.filter(pk=olivia.pk).exists()


def test_a_password_is_hashed_once_for_everyone(db):
    generator.generate(schools=20, years=1, seed=SEED, password="national-data-set-password")
    people = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert len(set(people.values_list("password", flat=True))) == 1
    assert people.first().check_password("national-data-set-password")


# The command --------------------------------------------------------------------------------


def test_the_command_refuses_to_replace_schools_without_replace(generated, capsys):
    with pytest.raises(CommandError, match="--replace"):
        call_command(generate_national_dataset.Command(), "--schools", "20", "--years", "1")
    assert School.objects.count() == SCHOOLS

    call_command(generate_national_dataset.Command(), "--schools", "20", "--years", "1", "--seed", "3", "--replace")
    assert School.objects.count() == 20
    out = capsys.readouterr().out
    assert "schools.School" in out
    assert "Generated 20 schools" in out


def test_the_command_fills_an_empty_database_without_asking(db, capsys):
    call_command(generate_national_dataset.Command(), "--schools", "15", "--years", "1", "--as-of", "2025-03-14")
    assert School.objects.count() == 15
    assert not Inspection.objects.filter(publication_date__gt=date(2025, 3, 14)).exists()


# The portal on the data ------------------------------------------------------------------------


def test_recategorisation_assesses_every_open_school(generated):
    run = categorisation.recategorise(trigger="manual", as_of=AS_OF)
    assert run.status == run.Status.SUCCEEDED, run.message
    open_schools = set(School.objects.filter(status_name="Open").values_list("pk", flat=True))
    assessed = set(RiskAssessment.objects.values_list("school", flat=True))
    assert open_schools <= assessed
    again = categorisation.recategorise(trigger="manual", as_of=AS_OF)
    assert again.assessed == 0


def test_pages_render_on_the_generated_data(generated, client):
    officer = User.objects.filter(email__endswith=f"@{DOMAIN}", role=Role.LA_OFFICER).order_by("email").first()
    client.force_login(officer)
    listed = PriorityEntry.objects.filter(status="on_list").select_related("school").order_by("pk").first()
    for url in [
        reverse("schools:list"),
        reverse("schools:detail", args=[listed.school.urn]),
        reverse("boards:list"),
        reverse("boards:meetings"),
        reverse("boards:notices"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
