"""The API for every role, mirroring the pages' permission tests: who may call which endpoint,
another school's record answering 404, what each role is never shown, authentication by token
and by session, pagination and filters."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as account_services
from accounts.models import ApiToken
from schools.models import School
from schools.ofsted import Outcome
from tests.api.conftest import client_with_token, token_for
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

SCHOOL_READERS = ["olivia", "adam", "alice", "bob", "hannah", "ezra", "bella"]


def statuses(as_user, url: str, people=ROLES) -> dict[str, int]:
    return {who: as_user(who).get(url).status_code for who in people}


def urns(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["school"]["urn"] if "school" in row else row["urn"] for row in response.json()["results"])


# Who may call what -----------------------------------------------------------------------------------------------


def test_each_role_lists_the_schools_its_pages_show(world, as_user):
    url = reverse("api:school-list")
    everything = [103001, 125001, 139001]
    seen = {who: urns(as_user(who).get(url)) for who in SCHOOL_READERS}
    assert seen == {
        "olivia": everything,
        "adam": everything,
        "alice": [103001],
        "bob": [139001],
        "hannah": [103001],
        "ezra": [125001, 139001],
        "bella": [103001],
    }
    assert as_user("colin").get(url).status_code == 403


def test_another_schools_record_is_not_found(world, as_user):
    ashfield, beacon_hill = world.A, world.B
    for name, kwargs in [
        ("api:school-detail", {"urn": beacon_hill.school.urn}),
        ("api:school-inspection-list", {"urn": beacon_hill.school.urn}),
        (
            "api:school-inspection-detail",
            {"urn": beacon_hill.school.urn, "inspection_number": beacon_hill.graded.inspection_number},
        ),
        ("api:category-detail", {"urn": beacon_hill.school.urn}),
        ("api:support-package-detail", {"pk": beacon_hill.package.pk}),
        ("api:visit-detail", {"pk": beacon_hill.shared_visit.pk}),
    ]:
        got = statuses(as_user, reverse(name, kwargs=kwargs), ["olivia", "alice", "hannah", "bella", "bob", "colin"])
        assert got == {"olivia": 200, "alice": 404, "hannah": 404, "bella": 404, "bob": 200, "colin": 403}, name
    # Ezra's own school in the address does not open another school's inspection.
    mixed = reverse(
        "api:school-inspection-detail",
        kwargs={"urn": beacon_hill.school.urn, "inspection_number": ashfield.graded.inspection_number},
    )
    assert statuses(as_user, mixed, ["olivia", "ezra"]) == {"olivia": 404, "ezra": 404}


def test_a_school_that_does_not_exist_is_not_found_as_one_that_is_not_yours(world, as_user):
    assert as_user("alice").get(reverse("api:school-detail", kwargs={"urn": 999999})).status_code == 404
    assert as_user("olivia").get(reverse("api:school-detail", kwargs={"urn": 999999})).status_code == 404


def test_the_category_history_is_for_officers_as_on_the_school_page(world, as_user):
    url = reverse("api:category-decision-list")
    got = statuses(as_user, url)
    assert got == dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200}
    decision = as_user("olivia").get(url, {"school": world.A.school.urn}).json()["results"]
    assert decision == [
        {
            "id": decision[0]["id"],
            "school": {"urn": 103001, "name": "Ashfield Primary School", "la": {"code": 330, "name": "Birmingham"}},
            "decided_at": decision[0]["decided_at"],
            "previous": None,
            "category": {"code": "intensive", "label": "Intensive", "colour": "red", "rank": 2},
            "kind": "overridden",
            "decided_by": "Olivia Officer",
            "rationale": "Agreed at panel",
            "framework": "tiered",
            "framework_name": "Tiered support",
            "framework_version": 3,
        }
    ]
    detail = reverse("api:category-decision-detail", kwargs={"pk": decision[0]["id"]})
    assert statuses(as_user, detail, ["adam", "alice", "hannah"]) == {"adam": 200, "alice": 403, "hannah": 403}


def test_who_agreed_a_category_is_shown_to_officers_only(world, as_user):
    url = reverse("api:category-detail", kwargs={"urn": world.A.school.urn})
    officer, partner, head = (as_user(who).get(url).json() for who in ("olivia", "alice", "hannah"))
    assert officer["category"]["label"] == partner["category"]["label"] == head["category"]["label"] == "Intensive"
    assert officer["agreed_at"] == partner["agreed_at"] is not None
    assert (officer["agreed_by"], officer["decision_kind"]) == ("Olivia Officer", "overridden")
    assert partner["agreed_by"] is partner["decision_kind"] is None
    assert head["agreed_by"] is head["decision_kind"] is None
    assert urns(as_user("ezra").get(reverse("api:category-list"))) == [125001, 139001]
    # Castle awaits its first category: the proposal is for officers' eyes, as on the school page.
    castle = reverse("api:category-detail", kwargs={"urn": 125001})
    assert as_user("olivia").get(castle).json()["proposed"]["code"] == "overview"
    assert as_user("ezra").get(castle).json() | {"framework": None} == {
        "urn": 125001,
        "name": "Castle Secondary School",
        "framework": None,
        "category": None,
        "agreed_at": None,
        "decision_kind": None,
        "agreed_by": None,
        "proposed": None,
    }


def test_the_priority_list_is_for_the_board_and_officers(world, as_user):
    url = reverse("api:priority-entry-list")
    assert statuses(as_user, url) == dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200, "bella": 200}
    entries = as_user("bella").get(url).json()["results"]
    assert [(e["school"]["urn"], e["status"], e["reason"], e["priority_partner"]) for e in entries] == [
        (103001, "on_list", "ofsted_ri", "Alice Partner")
    ]
    assert entries[0]["academic_year"] == world.year
    detail = reverse("api:priority-entry-detail", kwargs={"pk": world.A.entry.pk})
    assert statuses(as_user, detail, ["bella", "alice", "colin"]) == {"bella": 200, "alice": 403, "colin": 403}


def test_only_this_years_priority_list(world, as_user):
    from boards.models import PriorityEntry

    last_year = PriorityEntry.objects.create(
        school=world.B.school, academic_year=world.year - 1, reason="ofsted_ri", status="on_list"
    )
    assert urns(as_user("olivia").get(reverse("api:priority-entry-list"))) == [103001]
    url = reverse("api:priority-entry-detail", kwargs={"pk": last_year.pk})
    assert as_user("olivia").get(url).status_code == 404


def test_support_packages_of_ones_own_schools(world, as_user):
    url = reverse("api:support-package-list")
    assert {who: urns(as_user(who).get(url)) for who in SCHOOL_READERS} == {
        "olivia": [103001, 139001],
        "adam": [103001, 139001],
        "alice": [103001],
        "bob": [139001],
        "hannah": [103001],
        "ezra": [139001],
        "bella": [103001],
    }
    package = as_user("hannah").get(reverse("api:support-package-detail", kwargs={"pk": world.A.package.pk})).json()
    assert package["adjustments"] == [
        {
            "kind": "adviser",
            "change": "1.0",
            "reason": "New head",
            "made_by": "Olivia Officer",
            "made_at": package["adjustments"][0]["made_at"],
        }
    ]
    assert package["allocations"] == [{"kind": "adviser", "partner": "Alice Partner", "days": "2.0"}]
    adviser = next(b for b in package["balances"] if b["kind"] == "adviser")
    assert adviser["entitled"] == f"{float(package['adviser_days']) + 1:.1f}"
    assert adviser["allocated"] == "2.0"


# Visits: heads and the board read shared reports only -------------------------------------------------------------


def test_partners_and_officers_see_every_visit_and_the_current_report(world, as_user):
    visits = {v["id"]: v for v in as_user("alice").get(reverse("api:visit-list")).json()["results"]}
    assert set(visits) == {world.A.shared_visit.pk, world.A.draft_visit.pk, world.A.scheduled_visit.pk}
    shared = visits[world.A.shared_visit.pk]["report"]
    assert (shared["version"], shared["status"]) == (2, "draft")
    assert shared["findings"] == "Draft: phonics is not yet secure in year 2."
    assert visits[world.A.draft_visit.pk]["report"]["status"] == "draft"
    assert visits[world.A.scheduled_visit.pk]["report"] is None
    officer = as_user("olivia").get(reverse("api:visit-list"), {"school": world.A.school.urn}).json()
    assert officer["count"] == 3


@pytest.mark.parametrize("who", ["hannah", "bella"])
def test_heads_and_the_board_see_only_visits_with_a_shared_report_and_its_shared_version(world, as_user, who):
    client = as_user(who)
    visits = client.get(reverse("api:visit-list")).json()["results"]
    assert [v["id"] for v in visits] == [world.A.shared_visit.pk]
    report = visits[0]["report"]
    assert report["version"] == 1
    assert report["findings"] == "Phonics is secure."
    assert "not yet secure" not in str(visits)
    for hidden in (world.A.draft_visit, world.A.scheduled_visit):
        assert client.get(reverse("api:visit-detail", kwargs={"pk": hidden.pk})).status_code == 404
    detail = client.get(reverse("api:visit-detail", kwargs={"pk": world.A.shared_visit.pk})).json()
    assert detail["report"]["findings"] == "Phonics is secure."


# Inspections in their three shapes ------------------------------------------------------------------------------


def test_each_inspection_keeps_its_own_shape(world, as_user):
    url = reverse("api:school-inspection-list", kwargs={"urn": world.A.school.urn})
    found = {i["inspection_number"]: i for i in as_user("hannah").get(url).json()["results"]}
    graded = found[world.A.graded.inspection_number]
    assert graded["shape"] == "graded"
    assert graded["overall_effectiveness"] == 2
    assert graded["key_judgements"]["leadership_and_management"] == 2
    assert graded["report_card"] is None
    assert graded["ungraded_outcome"] is None
    judgements = found[world.A.judgements_only.inspection_number]
    assert judgements["shape"] == "judgements_only"
    assert judgements["overall_effectiveness"] is None
    assert judgements["key_judgements"]["quality_of_education"] == 3
    assert judgements["report_card"] is None
    card = found[world.A.report_card.inspection_number]
    assert card["shape"] == "report_card"
    assert card["overall_effectiveness"] is None
    assert card["key_judgements"] is None
    assert card["report_card"]["achievement"] == 4
    assert card["report_card"]["safeguarding_standards_met"] is True
    ungraded = found[world.A.ungraded.inspection_number]
    assert (ungraded["shape"], ungraded["ungraded_outcome"]) == ("ungraded", "School remains Good")
    assert ungraded["key_judgements"] is ungraded["report_card"] is ungraded["overall_effectiveness"] is None
    one = reverse(
        "api:school-inspection-detail",
        kwargs={"urn": world.A.school.urn, "inspection_number": world.A.report_card.inspection_number},
    )
    assert as_user("alice").get(one).json() == card


def test_intelligence_notes_are_never_exposed(world, as_user, everyone):
    from tests.factories import IntelligenceNoteFactory

    IntelligenceNoteFactory(school=world.A.school, author=everyone["olivia"], text="Restricted: finance concern")
    for name, kwargs in [("api:school-detail", {"urn": world.A.school.urn}), ("api:school-list", {})]:
        assert "Restricted: finance concern" not in as_user("olivia").get(reverse(name, kwargs=kwargs)).content.decode()


# Authentication ------------------------------------------------------------------------------------------------


def test_anonymous_requests_answer_401_in_json_not_a_redirect(world):
    client = Client()
    for url in [
        reverse("api:school-list"),
        reverse("api:school-detail", kwargs={"urn": world.A.school.urn}),
        reverse("api:visit-list"),
        reverse("api:schema") + "?format=json",
    ]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"].endswith("json")  # the schema's is application/vnd.oai.openapi+json
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_wrong_token_answers_401(world):
    response = client_with_token("not-a-token").get(reverse("api:school-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_revoked_token_stops_working(world, everyone):
    key = token_for(everyone["alice"])
    client = client_with_token(key)
    assert client.get(reverse("api:school-list")).status_code == 200
    token = ApiToken.objects.get(user=everyone["alice"])
    assert account_services.revoke_api_token(by=everyone["alice"], token_id=token.pk) is True
    assert client.get(reverse("api:school-list")).status_code == 401
    assert account_services.revoke_api_token(by=everyone["alice"], token_id=token.pk) is False


def test_a_second_token_works_beside_the_first(world, everyone):
    old = token_for(everyone["alice"])
    new = token_for(everyone["alice"])
    assert old != new
    assert client_with_token(old).get(reverse("api:school-list")).status_code == 200
    assert client_with_token(new).get(reverse("api:school-list")).status_code == 200


def test_a_deactivated_persons_token_stops_working(world, everyone):
    alice = everyone["alice"]
    key = token_for(alice)
    alice.is_active = False
    alice.save()
    assert client_with_token(key).get(reverse("api:school-list")).status_code == 401


def test_the_signed_in_session_reads_the_api_too(world, client, everyone):
    client.force_login(everyone["bob"])
    assert urns(client.get(reverse("api:school-list"))) == [139001]


@pytest.mark.two_factor
def test_a_session_that_still_owes_its_authenticator_code_does_not_read_the_api(world, client, everyone, settings):
    settings.TWO_FACTOR_ENFORCED = False
    made_before_two_factor_was_enforced = token_for(everyone["olivia"], two_factor_verified=False)
    settings.TWO_FACTOR_ENFORCED = True
    client.force_login(everyone["olivia"])  # an officer: two-factor is required, none is set up yet
    assert client.get(reverse("schools:list")).status_code == 302
    assert client.get(reverse("api:school-list")).status_code == 401
    # A token she made without two-factor authentication does not read either (issue 17, finding 4).
    assert client_with_token(made_before_two_factor_was_enforced).get(reverse("api:school-list")).status_code == 401
    # One made once she had set up an authenticator and signed in in full works whatever this session owes.
    TOTPDevice.objects.create(user=everyone["olivia"], name="Authenticator app", confirmed=True)
    assert client_with_token(token_for(everyone["olivia"])).get(reverse("api:school-list")).status_code == 200


def test_the_api_changes_nothing(world, as_user, everyone):
    client = as_user("olivia")
    for name, kwargs in [("api:school-list", {}), ("api:school-detail", {"urn": world.A.school.urn})]:
        url = reverse(name, kwargs=kwargs)
        assert client.post(url, {}, content_type="application/json").status_code == 405
        assert client.delete(url).status_code == 405
    session = Client(enforce_csrf_checks=True)
    session.force_login(everyone["olivia"])
    response = session.post(reverse("api:school-list"), {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# Pagination and filters ---------------------------------------------------------------------------------------


def test_pages_of_the_size_asked_for_up_to_500(world, as_user, birmingham):
    School.objects.bulk_create(
        School(
            urn=200000 + n, name=f"School {n:03}", la=birmingham, type_group_name="Local authority maintained schools"
        )
        for n in range(510)
    )
    client = as_user("olivia")
    first = client.get(reverse("api:school-list")).json()
    assert first["count"] == 513
    assert len(first["results"]) == 50
    assert first["next"].endswith("?page=2")
    assert first["previous"] is None
    small = client.get(reverse("api:school-list"), {"page_size": 2, "page": 3}).json()
    # Ashfield, Beacon Hill and Castle come first by name.
    assert [s["name"] for s in small["results"]] == ["School 001", "School 002"]
    assert len(client.get(reverse("api:school-list"), {"page_size": 1000}).json()["results"]) == 500
    assert client.get(reverse("api:school-list"), {"page": 99}).status_code == 404


def test_schools_filter_as_the_school_list_does(world, as_user):
    School.objects.filter(urn=125001).update(ofsted_outcome=Outcome.GOOD, ofsted_outcome_date=date(2023, 5, 1))
    client = as_user("olivia")

    def found(**query):
        return urns(client.get(reverse("api:school-list"), query))

    assert found(la=330) == [103001, 139001]
    assert found(la=937) == [125001]
    assert found(phase="secondary") == [125001, 139001]
    assert found(type="Academy converter") == [139001]
    assert found(status="Open") == [103001, 125001, 139001]
    assert found(q="ashfield") == [103001]
    assert found(q="103001") == [103001]
    assert found(q="330/2001") == [103001]
    assert found(ofsted="good") == [125001]
    assert found(ofsted="none") == [103001, 139001]
    assert found(la=330, phase="Secondary") == [139001]
    # A partner's filters search only their own schools.
    assert urns(as_user("alice").get(reverse("api:school-list"), {"la": 330})) == [103001]


@pytest.mark.parametrize(
    "query", [{"la": "abc"}, {"la": "1000"}, {"la": "-1"}, {"ofsted": "brilliant"}, {"q": "a\x00b"}]
)
def test_a_filter_value_of_the_wrong_kind_answers_400(world, as_user, query):
    response = as_user("olivia").get(reverse("api:school-list"), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_visits_and_packages_filter(world, as_user):
    client = as_user("olivia")
    visits = client.get(reverse("api:visit-list"), {"school": world.B.school.urn, "status": "scheduled"}).json()
    assert [v["id"] for v in visits["results"]] == [world.B.scheduled_visit.pk]
    packages = client.get(reverse("api:support-package-list"), {"academic_year": world.year - 1}).json()
    assert packages["count"] == 0
    entries = client.get(reverse("api:priority-entry-list"), {"status": "proposed"}).json()
    assert entries["count"] == 0
