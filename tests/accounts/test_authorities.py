"""Authorities (issue 20): each council or partnership works on its own remit of the one national
register, with its own framework, cases, people and reports."""

from __future__ import annotations

import csv
import io
from collections import Counter
from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError
from django_scopes.state import state as scope_state

from accounts import services as accounts
from accounts.authorities import current_authority_id, working_in
from accounts.models import Authority, Membership, Role
from categorisation import rules
from categorisation import selectors as categorisation_selectors
from categorisation import services as categorisation
from categorisation.models import Framework, SchoolCategory
from operations import jobs
from reporting import dashboard
from reporting import selectors as reporting_selectors
from reporting import tasks as reporting_tasks
from reporting.models import MonthlyReport
from schools.access import remit, visible_schools
from schools.models import School
from support.models import Visit
from tests.conftest import DATA
from tests.factories import AuthorityFactory, LocalAuthorityFactory, SchoolFactory, UserFactory, VisitFactory

MAINTAINED = "Local authority maintained schools"
GIAS_SAMPLE = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"


@pytest.fixture
def register(birmingham, warwickshire):
    """Establishments of each kind GIAS lists, in Birmingham, Warwickshire and Cardiff."""
    cardiff = LocalAuthorityFactory(code=681, name="Cardiff")

    def welsh(number: int) -> School:
        return SchoolFactory(
            la=cardiff, type_name="Welsh establishment", type_group_name="Welsh schools", establishment_number=number
        )

    return SimpleNamespace(
        maintained=SchoolFactory(la=birmingham),
        special=SchoolFactory(la=birmingham, type_name="Community special school", type_group_name="Special schools"),
        non_maintained_special=SchoolFactory(
            la=birmingham, type_name="Non-maintained special school", type_group_name="Special schools"
        ),
        academy=SchoolFactory(la=birmingham, type_name="Academy converter", type_group_name="Academies"),
        free_school=SchoolFactory(la=birmingham, type_name="Free schools", type_group_name="Free Schools"),
        independent=SchoolFactory(
            la=birmingham, type_name="Other independent school", type_group_name="Independent schools"
        ),
        warwickshire=SchoolFactory(la=warwickshire),
        welsh=welsh(2332),  # Ysgol Gynradd Gymraeg Hamadryad's number
        welsh_independent=welsh(6101),  # Cardiff Sixth Form College's
    )


# The remit --------------------------------------------------------------------------------------------------------


def test_an_english_authority_supports_its_maintained_schools_and_academies_only_if_it_chooses(register):
    birmingham = AuthorityFactory(la_codes=[330])
    assert set(remit(birmingham)) == {register.maintained, register.special}
    birmingham.academies = True
    assert set(remit(birmingham)) == {register.maintained, register.special, register.academy, register.free_school}


def test_welsh_establishments_are_a_welsh_authoritys_never_an_english_ones(register):
    english = AuthorityFactory(la_codes=[330, 681], academies=True)
    assert not remit(english).filter(type_group_name="Welsh schools").exists()
    welsh = AuthorityFactory(nation=Authority.Nation.WALES, la_codes=[681, 330], academies=True)
    # The independent Welsh establishment (numbered 6000 to 6999) is nobody's; England's schools not Wales's.
    assert set(remit(welsh)) == {register.welsh}


def test_independent_and_non_maintained_schools_are_never_maintained(register):
    assert register.maintained.is_maintained
    assert register.special.is_maintained
    assert register.welsh.is_maintained
    assert not register.independent.is_maintained
    assert not register.non_maintained_special.is_maintained
    assert not register.welsh_independent.is_maintained
    assert not register.academy.is_maintained


# What an officer sees ---------------------------------------------------------------------------------------------


def by_la_code_on_the_list(client) -> Counter:
    response = client.get(reverse("schools:list-csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return Counter(int(row["LA code"]) for row in rows)


def by_la_code_in_the_api(client, codes) -> Counter:
    found = Counter()
    for code in codes:
        found[code] = client.get(reverse("api:school-list"), {"la": code, "page_size": 500}).json()["count"]
    found["all"] = client.get(reverse("api:school-list")).json()["count"]
    return found


def test_an_officer_sees_exactly_the_remit_on_the_list_the_api_the_dashboard_and_the_report(client, register):
    """Birmingham (330, with academies) and a partnership of Warwickshire and Birmingham (937 and
    330, maintained schools only) on one register: each officer's list, API, dashboard and monthly
    report count their own remit and nothing else."""
    today = timezone.localdate()
    seen = {}
    for name, codes, academies in (("Birmingham", [330], True), ("Heart of England", [937, 330], False)):
        authority = AuthorityFactory(name=name, la_codes=codes, academies=academies)
        with working_in(authority):
            officer = UserFactory(role=Role.LA_OFFICER)
            expected = Counter(remit(authority).values_list("la__code", flat=True))
            maintained = set(remit(authority).filter(type_group_name__in=[MAINTAINED, "Special schools"]))
            categorisation.recategorise(trigger="manual")
            categorisation.agree_proposals(school_ids=[s.pk for s in remit(authority)], by=officer)
            client.force_login(officer)
            on_the_list = by_la_code_on_the_list(client)
            in_the_api = by_la_code_in_the_api(client, [330, 937, 681])
            report = reporting_selectors.inputs(today.replace(day=1))
            chart = next(c for c in dashboard.charts(today) if c["id"] == "chart-categories")
            in_the_chart = sum(series["values"][-1] for series in chart["series"])
        assert on_the_list == expected
        assert {code: in_the_api[code] for code in (330, 937, 681)} == {
            code: expected[code] for code in (330, 937, 681)
        }
        assert in_the_api["all"] == sum(expected.values())
        assert {row.urn for row in report.schools} == {s.urn for s in maintained}
        assert report.authority == name
        assert in_the_chart == len(maintained)
        seen[name] = on_the_list
    assert seen == {"Birmingham": Counter({330: 4}), "Heart of England": Counter({330: 2, 937: 1})}


def test_no_independent_or_welsh_school_counts_as_maintained_in_an_english_authoritys_report(register):
    authority = AuthorityFactory(la_codes=[330, 681], academies=True)
    with working_in(authority):
        counted = {row.urn for row in reporting_selectors.maintained_schools()}
    assert counted == {register.maintained.urn, register.special.urn}


# Frameworks side by side ------------------------------------------------------------------------------------------


def test_a_new_authority_gets_its_own_copy_of_the_frameworks_and_starts_on_its_nations(register):
    english = AuthorityFactory(la_codes=[330])
    welsh = AuthorityFactory(nation=Authority.Nation.WALES, la_codes=[681])
    for authority, active in ((english, "tiered"), (welsh, "wales")):
        with working_in(authority):
            assert set(Framework.objects.values_list("code", flat=True)) == {
                "tiered",
                "warwickshire",
                "wales",
                "wales_concern",
                "oxfordshire",
            }
            assert categorisation_selectors.active_framework().code == active
            notes = {
                "tiered": "With the evidence the seeds name (issue 22).",
                "wales": "As the policy is written (issue 21).",
            }
            assert categorisation_selectors.active_version().notes == notes[active]
    with working_in(english):
        english_tiered = Framework.objects.get(code="tiered").pk
    with working_in(welsh):
        assert Framework.objects.get(code="tiered").pk != english_tiered


def test_three_authorities_recategorise_side_by_side_each_with_its_framework(register, adam):
    """Birmingham on tiered support, a Warwickshire partnership that also serves Birmingham on
    Warwickshire's categories, and a Welsh authority on the national model: each school's category
    under each authority is that authority's framework's answer, however many others hold it."""
    setups = [("Birmingham", [330], "england", "tiered"), ("Partnership", [937, 330], "england", "warwickshire")]
    setups.append(("Cardiff", [681], "wales", "wales"))
    today = timezone.localdate()
    answers = {}
    for name, codes, nation, code in setups:
        authority = AuthorityFactory(name=name, la_codes=codes, nation=nation)
        with working_in(authority):
            admin = UserFactory(role=Role.ADMIN)
            framework = Framework.objects.get(code=code)
            if not framework.is_active:
                categorisation.set_active_framework(framework=framework, by=admin)
            run = categorisation.recategorise(trigger="manual")
            version = categorisation_selectors.active_version()
            spec = categorisation_selectors.spec_for(version)
            facts = categorisation_selectors.load_facts(spec, as_of=today)
            standings = {s.school_id: s.proposed.code for s in SchoolCategory.objects.select_related("proposed")}
            answers[name] = standings
            assert run.schools == remit(authority).count() == len(standings)
            assert standings == {pk: rules.evaluate(f, spec, today).category for pk, f in facts.items()}
            assert set(standings.values()) <= set(version.categories.values_list("code", flat=True))
    # Birmingham's maintained school has a category under Birmingham's framework and the partnership's.
    maintained = register.maintained.pk
    assert answers["Birmingham"][maintained] in {"overview", "focused", "intensive"}
    assert answers["Partnership"][maintained] in {"NI", "1", "2A", "2B", "3A", "3B", "3C", "3D", "4"}
    assert set(answers["Cardiff"]) == {register.welsh.pk}


# Cases belong to an authority -------------------------------------------------------------------------------------


def test_a_case_record_of_one_authority_is_not_found_by_another_sharing_the_school(client, register):
    ours, theirs = AuthorityFactory(la_codes=[330]), AuthorityFactory(la_codes=[330])
    with working_in(ours):
        visit = VisitFactory(school=register.maintained, visitor=UserFactory(role=Role.PRIORITY_PARTNER))
    with working_in(theirs):
        officer = UserFactory(role=Role.LA_OFFICER)
        assert register.maintained in visible_schools(officer)
        assert not Visit.objects.exists()
    client.force_login(officer)
    assert client.get(reverse("support:visit", args=[visit.pk])).status_code == 404
    assert client.get(reverse("api:visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("schools:detail", args=[register.maintained.urn])).status_code == 200


@contextmanager
def outside_any_authority():
    """As a worker or the schedule runs: no authority's scope at all."""
    held = scope_state.set(None)
    try:
        yield
    finally:
        scope_state.reset(held)


def test_a_query_of_case_records_outside_any_authority_is_refused(db):
    with outside_any_authority():
        assert current_authority_id() is None
        with pytest.raises(ScopeError):
            Visit.objects.count()
    with working_in(None):  # a person with no authority: nothing, rather than everyone's
        assert Visit.objects.count() == 0


# People in several authorities ------------------------------------------------------------------------------------


def test_a_partner_working_for_two_authorities_switches_with_one_click(client, register):
    first, second = (
        AuthorityFactory(name="Birmingham City Council", la_codes=[330]),
        AuthorityFactory(name="Warwickshire County Council", la_codes=[937]),
    )
    with working_in(first):
        partner = UserFactory(role=Role.PRIORITY_PARTNER)
    Membership.objects.create(user=partner, authority=second, role=Role.PRIORITY_PARTNER)
    client.force_login(partner)
    page = client.get(reverse("support:caseload")).content.decode()
    assert "Birmingham City Council" in page
    assert "Switch to Warwickshire County Council" in page
    response = client.post(reverse("accounts:switch-authority"), {"authority": second.pk}, follow=True)
    assert "You are now working in Warwickshire County Council as Priority partner" in response.content.decode()
    partner.refresh_from_db()
    assert partner.authority == second
    assert "Switch to Birmingham City Council" in response.content.decode()


def test_nobody_switches_to_an_authority_they_do_not_work_for(client, olivia):
    elsewhere = AuthorityFactory(name="Elsewhere")
    client.force_login(olivia)
    response = client.post(reverse("accounts:switch-authority"), {"authority": elsewhere.pk}, follow=True)
    assert "You do not work for that authority" in response.content.decode()
    olivia.refresh_from_db()
    assert olivia.authority_id != elsewhere.pk
    with pytest.raises(Exception, match="do not work for"):
        accounts.switch_authority(user=olivia, authority_id=elsewhere.pk)


def test_a_person_takes_their_role_in_the_authority_they_switch_to(olivia):
    board = AuthorityFactory(name="Partnership board")
    Membership.objects.create(user=olivia, authority=board, role=Role.BOARD_MEMBER)
    accounts.switch_authority(user=olivia, authority_id=board.pk)
    olivia.refresh_from_db()
    assert (olivia.authority, olivia.role) == (board, Role.BOARD_MEMBER)


# Background work carries its authority -----------------------------------------------------------------------------


def test_a_job_queued_in_an_authority_runs_in_it(register, olivia, settings):
    other = AuthorityFactory(name="Other", la_codes=[330])
    period = date(2026, 10, 1).isoformat()
    with working_in(other):
        outcome = jobs.enqueue(reporting_tasks.build_monthly_report, period)
    assert outcome.result.get()["report"]
    with working_in(other):
        assert MonthlyReport.objects.get().title.startswith("Other school improvement monthly report")
    assert not MonthlyReport.objects.exists()  # the default authority's: none


def test_the_schedule_builds_each_authoritys_report(register):
    others = [AuthorityFactory(name=f"Council {n}", la_codes=[330]) for n in range(2)]
    # The schedule queues the task with no authority, outside any: it is queued again for each.
    with outside_any_authority():
        answer = reporting_tasks.monthly_report_if_due(date(2026, 12, 1).isoformat())
    assert answer == {"authorities": Authority.objects.count()}
    for authority in others:
        with working_in(authority):
            assert MonthlyReport.objects.get().content["authority"] == authority.name


def test_someone_who_works_for_no_authority_is_told_so_rather_than_shown_empty_pages(client, db):
    with working_in(None):
        stray = UserFactory(role=Role.LA_OFFICER, authority_id=None)
    client.force_login(stray)
    response = client.get(reverse("schools:list"))
    assert response.status_code == 403
    assert "You are not a member of any authority yet" in response.content.decode()
    assert client.get(reverse("accounts:account")).status_code == 200


# Managing authorities and their people ----------------------------------------------------------------------------


def test_a_platform_administrator_adds_an_authority_which_gets_its_frameworks(client, adam):
    client.force_login(adam)
    response = client.post(
        reverse("admin:accounts_authority_add"),
        {"name": "Solihull Metropolitan Borough Council", "nation": "england", "la_codes": "334", "academies": "on"},
    )
    assert response.status_code == 302
    solihull = Authority.objects.get(name="Solihull Metropolitan Borough Council")
    assert (solihull.la_codes, solihull.academies) == ([334], True)
    with working_in(solihull):
        assert categorisation_selectors.active_framework().code == "tiered"
    refused = client.post(reverse("admin:accounts_authority_add"), {"name": "X", "nation": "england", "la_codes": "33"})
    assert "Give the DfE three-digit LA codes" in refused.content.decode()


def test_an_authoritys_administrator_manages_its_own_people_only(client, olivia):
    local_admin = UserFactory(role=Role.ADMIN, is_staff=True)  # an authority's, not the platform's
    local_admin.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    elsewhere = AuthorityFactory(name="Elsewhere")
    with working_in(elsewhere):
        stranger = UserFactory(role=Role.LA_OFFICER, full_name="Sam Stranger")
    client.force_login(local_admin)
    people = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert olivia.full_name in people
    assert "Sam Stranger" not in people
    assert client.get(reverse("admin:accounts_user_change", args=[stranger.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:accounts_authority_add")).status_code == 403
    with pytest.raises(Exception, match="their own authority"):
        accounts.add_member(user=stranger, authority=elsewhere, role=Role.LA_OFFICER, by=local_admin)


def test_a_letter_is_from_the_authority_that_sends_it_on_its_own_template(register):
    from boards import services as boards
    from boards.models import LetterKind, LetterTemplate

    shipped = LetterTemplate.objects.get(kind=LetterKind.CONCERN).body
    consortium = AuthorityFactory(name="Central South Consortium", nation=Authority.Nation.WALES, la_codes=[681])
    with working_in(consortium):
        LetterTemplate.objects.filter(kind=LetterKind.CONCERN).update(
            body="From {authority}, about {school_name} ({la_name})."
        )
        officer = UserFactory(role=Role.LA_OFFICER)
        letter = boards.draft_letter(school=register.welsh, kind=LetterKind.CONCERN, by=officer)
    assert letter.body == f"From Central South Consortium, about {register.welsh.name} (Cardiff)."
    assert letter.authority == consortium
    # The consortium's template is its own: the default authority's is as shipped.
    assert LetterTemplate.objects.get(kind=LetterKind.CONCERN).body == shipped


def test_each_authority_keeps_its_own_term_dates(register, olivia):
    from support import calendar
    from support import services as support
    from support.selectors import half_terms

    other = AuthorityFactory(name="Other")
    with working_in(other):
        admin = UserFactory(role=Role.ADMIN)
        default_spring = half_terms(2030)[2].starts
        spans = [(date(2030, 9, 2), date(2030, 10, 25)), (date(2030, 11, 4), date(2030, 12, 20))]
        spans += [(date(2031, 1, 13), date(2031, 2, 14)), (date(2031, 2, 24), date(2031, 4, 4))]
        spans += [(date(2031, 4, 22), date(2031, 5, 23)), (date(2031, 6, 2), date(2031, 7, 22))]
        terms = [calendar.HalfTerm(n, f"Half-term {n}", s, e) for n, (s, e) in enumerate(spans, start=1)]
        support.set_half_terms(start_year=2030, half_terms=terms, by=admin)
        assert half_terms(2030)[2].starts == date(2031, 1, 13)
    assert half_terms(2030)[2].starts == default_spring
