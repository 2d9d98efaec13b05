# ruff: noqa: F811 - the tests take the world fixture they import from the permission matrix
"""The cross-authority permission matrix (issue 20): two authorities whose remits overlap, so every
school of the world is in both, and each holds its own case for it.

The world of ``tests/test_permission_matrix.py`` is built in the default authority (A). Beside it
works a neighbouring partnership (B), whose remit covers the same schools, with a person of each
role: an officer, an administrator, a partner and a headteacher assigned to Ashfield and Beacon
Hill there, a board member whose list holds Ashfield, and a commissioner. B holds a visit of its
own to Ashfield, with its own findings.

- Every URL that names one of A's case records (a visit, a plan's action, a letter, a notice, a
  meeting, a board decision's item, a monthly report, a framework's trigger, a partner of A's):
  GET and POST answer 403 or 404 to each of B's people, and a POST writes nothing.
- Every page B's people may open (lists, dashboards, the school's own pages, the API's lists),
  about the schools both authorities hold: none of A's case records shows, only B's.
- And back: A's people get 404 for B's visit.

Schools, inspections and imports are the shared register: the same for both, and not checked here.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.authorities import working_in
from accounts.models import Authority, Role, SchoolAssignment
from accounts.policy import access_for
from tests.factories import SchoolAssignmentFactory, UserFactory, VisitFactory
from tests.test_permission_matrix import (  # noqa: F401 - the world and its fixture
    NAMES,
    PARAMS,
    _in_the_world,
    ask,
    may,
    post_only,
    report,
    session_of,
    url_of,
    world,
)

OTHER = {
    "b-officer": Role.LA_OFFICER,
    "b-admin": Role.ADMIN,
    "b-partner": Role.PRIORITY_PARTNER,
    "b-head": Role.HEADTEACHER,
    "b-board": Role.BOARD_MEMBER,
    "b-commissioner": Role.COMMISSIONER,
}
OURS = ["olivia", "adam", "alice", "hannah", "bella", "colin"]
# What A's case records say (tests.test_permission_matrix.build_world), which none of B's pages may.
A_SAYS = [
    "Phonics is secure.",
    "Visits cancelled",
    "Our head has resigned",
    "Agreed at panel",
    "No progress",
    "Olivia Officer",
    "Alice Partner",
]
B_SAYS = "Governors are rebuilding the leadership team."
# Parameters that name a case record of A's (the school's URN and a framework's code and number
# name what both authorities hold, each its own).
RECORD_PARAMS = {"pk", "priority"}
SHARED = {name for name in NAMES if name.startswith("schools:import")}
RECORD_NAMES = sorted(
    name
    for name in NAMES
    if (RECORD_PARAMS & set(PARAMS[name]) or name == "support:update-action")
    and name not in SHARED
    and not access_for(name).admin_site
)
PAGE_NAMES = sorted(
    name for name in NAMES if name not in SHARED and set(PARAMS[name]) <= {"urn"} and not access_for(name).admin_site
)


@pytest.fixture(scope="module")
def other(world, django_db_blocker):
    """Authority B, built inside the world's transaction (rolled back with it)."""
    from boards import services as boards
    from boards.models import Decision
    from support import services as support
    from support.models import Visit

    with django_db_blocker.unblock():
        authority = Authority.objects.create(name="Neighbouring Partnership", la_codes=[330, 937], academies=True)
        with working_in(authority):
            people = {
                who: UserFactory(
                    email=f"{who}@partnership.example",
                    full_name=f"{who.title()} Person",
                    role=role,
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                for who, role in OTHER.items()
            }
            partner, head = SchoolAssignment.Relationship.PRIORITY_PARTNER, SchoolAssignment.Relationship.HEADTEACHER
            for school in (world.A.school, world.B.school):
                SchoolAssignmentFactory(user=people["b-partner"], school=school, relationship=partner)
            SchoolAssignmentFactory(user=people["b-head"], school=world.A.school, relationship=head)
            boards.decide(
                school=world.A.school,
                kind=Decision.Kind.ADD,
                rationale="Leadership",
                by=people["b-officer"],
                reason="ofsted_ri",
            )
            visit = VisitFactory(
                school=world.A.school,
                visitor=people["b-partner"],
                status=Visit.Status.HELD,
                held_on=timezone.localdate(),
            )
            report_ = support.start_report(visit=visit, by=people["b-partner"])
            support.edit_report(
                report=report_, by=people["b-partner"], findings=B_SAYS, next_steps="Governor training."
            )
        world.sessions.update({who: session_of(user) for who, user in people.items()})
    return SimpleNamespace(authority=authority, people=people, visit=visit)


def _like(who: str) -> str:
    """The person of A's with the same role (the policy is read by person)."""
    return OURS[list(OTHER).index(who)]


def case_record_refused(world, name: str, who: str) -> list[str]:
    """A's case record as one of B's people: 403 or 404, by GET and POST, and nothing written."""
    access = access_for(name)
    url = url_of(world, name, "A")
    wrong = []
    if not post_only(access):
        answer = ask(world, who, "GET", url)
        if answer.status not in (403, 404):
            wrong.append(f"GET {url} ({name}) as {who}: {answer.status} {answer.location}")
    if access.takes_post:
        answer = ask(world, who, "POST", url, csrf=True, token=True)
        if answer.status not in (403, 404) or answer.changed:
            wrong.append(f"POST {url} ({name}) as {who}: {answer.status} {answer.location} {answer.changed}")
    return wrong


def page_keeps_to_its_authority(world, name: str, who: str) -> list[str]:
    """A page B's person may open, about a school both hold: none of A's case records on it."""
    access = access_for(name)
    if post_only(access) or not may(access, _like(who), "get"):
        return []
    url = url_of(world, name, "A")
    client_answer = _body(world, who, url)
    if client_answer is None:
        return []
    _, body = client_answer
    return [f"GET {url} ({name}) as {who} shows A's {said!r}" for said in A_SAYS if said in body]


def _body(world, who: str, url: str) -> tuple[int, str] | None:
    from django.db import transaction

    from tests.test_permission_matrix import _close, client_for

    client = client_for(world, who)
    with transaction.atomic():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        _close(response)
        transaction.set_rollback(True)
    if response.status_code != 200:
        return None
    text = body.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return response.status_code, text


@pytest.mark.parametrize("name", RECORD_NAMES)
def test_another_authoritys_case_record_is_not_found(world, other, name):
    report([wrong for who in OTHER for wrong in case_record_refused(world, name, who)])


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_pages_about_a_school_both_hold_show_only_the_authoritys_own_case(world, other, name):
    report([wrong for who in OTHER for wrong in page_keeps_to_its_authority(world, name, who)])


def test_each_authority_finds_only_its_own_visit_to_the_school_both_hold(world, other):
    url = reverse("support:visit", args=[other.visit.pk])
    assert ask(world, "b-officer", "GET", url).status == 200
    for who in OURS:
        assert ask(world, who, "GET", url).status in (403, 404), who
    assert B_SAYS in _body(world, "b-officer", url)[1]


def test_the_matrix_covers_every_case_record_and_page():
    """How many checks: printed with -s for the issue's note."""
    checks = {
        "case records × B's roles (GET and POST)": sum(
            len(OTHER) * ((0 if post_only(access_for(n)) else 1) + (1 if access_for(n).takes_post else 0))
            for n in RECORD_NAMES
        ),
        "pages × B's roles": len(PAGE_NAMES) * len(OTHER),
    }
    print(f"\nCross-authority matrix: {len(RECORD_NAMES)} case-record URLs, {len(PAGE_NAMES)} pages, {checks}")
    assert len(RECORD_NAMES) >= 40
    assert len(PAGE_NAMES) >= 40
