"""The permission matrix: every URL pattern the project resolves, for anonymous visitors and every
role, against the declared policy (``accounts/policy.py``).

The walk goes through ``get_resolver()`` (URLResolver and URLPattern, with namespaces). A named URL
without a policy entry, a policy entry without a URL, an unnamed pattern outside the Django
administration and a URL whose parameters the table below cannot fill each fail
``test_every_url_has_a_policy_entry``.

A world where each kind of object exists twice is built once for the module: side A belongs to
Ashfield (Alice is its partner, Hannah its head; on the priority list, so Bella the board member
sees it) and side B to Beacon Hill (Bob its partner, Ezra its head; neither on the list nor on this
year's agendas). Each person's own side is the one their assignments give them (officers,
administrators and the commissioner use side A). For every URL and person:

- GET: anonymous visitors are sent to sign in (the sign-in pages excepted); a role the policy does
  not allow gets 403 or 404, never a 2xx; an allowed role gets a 2xx or a redirect; a URL that only
  takes POST answers 405. The Django administration sends people who are not staff to its sign-in.
  An API endpoint (``api=True``) answers anonymous visitors 401 or 403, never a redirect.
- Another school's object (side B for Alice, Hannah and Bella; side A for Bob and Ezra): 404 for a
  role allowed on the page (403 or 404 otherwise), by GET and, where the URL takes it, by POST.
  Likewise one's own school in the URL with another school's object (``MIXED``).
- POST with a client that enforces CSRF checks and no token: 403 (401 or 403 for an anonymous
  visitor to an API endpoint, which has no session to check), as an anonymous visitor and as each
  person the policy lets POST (the people a forged request would act for), or one signed-in person
  where nobody may: the check runs before the view and the policy, the same for everyone.
- POST with a valid token by anyone the policy does not let POST: refused (sign-in for anonymous
  visitors, 403 or 404 for a role, the admin's sign-in for the administration) and no table's row
  count changes.

Allowed roles POST only to another school's object, which must answer 404: this test is about
refusals, not the forms' behaviour. There is one test per URL and kind of check, over every person
(the failure lists each wrong answer); every request runs in a savepoint rolled back afterwards, so
each check stands alone. ``test_every_url_has_a_policy_entry`` prints how many URL × person checks
there are (run with ``-s``).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.access import permission
from accounts.models import Notification, Role, SchoolAssignment
from accounts.notifications import notify
from accounts.policy import POLICY, Access, access_for
from schools import services as school_services
from tests.builtin_data import ensure_builtin_data
from tests.factories import (
    ImportRunFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    MeetingFactory,
    PartnerProfileFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    UserFactory,
    VisitFactory,
    WarningNoticeFactory,
)
from tests.roles import ROLES

# The people of tests/conftest.py, by the role each has.
ROLE_OF = {
    "olivia": Role.LA_OFFICER,
    "adam": Role.ADMIN,
    "alice": Role.PRIORITY_PARTNER,
    "bob": Role.PRIORITY_PARTNER,
    "hannah": Role.HEADTEACHER,
    "ezra": Role.HEADTEACHER,
    "bella": Role.BOARD_MEMBER,
    "colin": Role.COMMISSIONER,
}
ANONYMOUS = "anonymous"
PEOPLE = [ANONYMOUS, *ROLES]
# Whose own school is on which side; everyone else uses side A.
OWN_SIDE = {"bob": "B", "ezra": "B"}
SCOPED_PEOPLE = ["alice", "bob", "hannah", "ezra", "bella"]


def post_only(access: Access) -> bool:
    """Whether the entry takes a POST and nobody may GET it."""
    return not access.get and bool(access.post)


def own_side(who: str) -> str:
    return OWN_SIDE.get(who, "A")


def other_side(who: str) -> str:
    return "A" if own_side(who) == "B" else "B"


# The walk --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced: "boards:meeting"; None for an unnamed pattern
    route: str  # the pattern as written, prefixes joined
    namespace: str
    params: frozenset[str] = field(default_factory=frozenset)
    view: object = field(default=None, compare=False)  # the callable the pattern calls


def walk(resolver: URLResolver | None = None, namespace: str = "", prefix: str = "") -> list[Route]:
    """Every URL pattern under the resolver (the project's by default), depth first."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            routes += walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
            params = frozenset(entry.pattern.regex.groupindex) | frozenset(getattr(entry.pattern, "converters", {}))
            routes.append(Route(name, prefix + str(entry.pattern), namespace, params, entry.callback))
    return routes


def problems(routes: list[Route]) -> list[str]:
    """What the policy and the kwargs table miss, and what they list that no longer exists."""
    found = []
    names = {r.name for r in routes if r.name}
    for route in routes:
        if route.name is None:
            if route.namespace.split(":")[0] != "admin":
                found.append(f"unnamed URL pattern {route.route!r}: name it and give it a policy entry")
            continue
        if access_for(route.name) is None:
            found.append(f"no policy entry for {route.name} ({route.route})")
        elif route.params and route.name not in {*KWARGS, *PERSONAL} and not route.name.startswith("admin:"):
            found.append(f"no kwargs in the permission matrix for {route.name} ({route.route})")
    namespaces = {r.namespace for r in routes}
    for key in POLICY:
        if key.endswith(":*"):
            if key[:-2] not in namespaces:
                found.append(f"policy entry {key} matches no URL")
        elif key not in names:
            found.append(f"policy entry {key} matches no URL")
    found += [f"kwargs for {key}, which matches no URL" for key in [*KWARGS, *MIXED] if key not in names]
    return found


def declares(view, name: str) -> bool:
    """Does this view (as a URL pattern holds it) take its permission from the policy's ``name``?

    A function view declares it with ``permission``; a Django REST framework view lists a permission
    class marked ``from_policy`` (``api.permissions.FromPolicy``), which reads the entry of the URL
    it answers.
    """
    if getattr(view, "permission", None) == name:
        return True
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return any(getattr(check, "from_policy", False) for check in getattr(cls, "permission_classes", ()))


def undeclared(routes: list[Route]) -> list[str]:
    """Views that do not take their permission from the policy (``accounts.access.permission``, or
    ``api.permissions.FromPolicy`` for the API); the Django administration keeps its own."""
    return [
        f"{route.name} ({route.route}): its view does not declare its policy entry"
        for route in routes
        if route.name and not route.name.startswith("admin:") and not declares(route.view, route.name)
    ]


ROUTES = walk()
NAMES = sorted({r.name for r in ROUTES if r.name and access_for(r.name)})


def may(access: Access, who: str, method: str) -> bool:
    if who == ANONYMOUS:
        return access.public
    allowed = access.get if method == "get" else (access.post or frozenset())
    return ROLE_OF[who] in allowed


# The world -------------------------------------------------------------------------------------------------------


class World(SimpleNamespace):
    """The objects of both sides (``world["A"]``, ``world["B"]``) and those that belong to no school."""

    def __getitem__(self, side: str) -> SimpleNamespace:
        return getattr(self, side)


def build_world() -> World:
    from boards import services as boards
    from boards.models import (
        AcademyNotification,
        AgendaItem,
        BoardMeeting,
        ConcernAction,
        ConcernMeeting,
        Decision,
        InformalWarningNotice,
        LetterKind,
        PriorityEntry,
        WarningNotice,
    )
    from categorisation import selectors as categorisation_selectors
    from categorisation import services as categorisation
    from categorisation.models import CategoryDecision
    from reporting import services as reporting
    from reporting.models import MonthlyReport
    from support import selectors as support_selectors
    from support import services as support
    from support.models import BrokeredSupport, NetworkMeeting, SupportPackage, Visit

    ensure_builtin_data()
    today = timezone.localdate()
    year = support_selectors.current_year(today)
    birmingham = LocalAuthorityFactory(code=330, name="Birmingham")
    warwickshire = LocalAuthorityFactory(code=937, name="Warwickshire")
    ashfield = SchoolFactory(urn=103001, name="Ashfield Primary School", la=birmingham, establishment_number=2001)
    beacon_hill = SchoolFactory(
        urn=139001,
        name="Beacon Hill Academy",
        la=birmingham,
        establishment_number=4001,
        phase_name="Secondary",
        type_name="Academy converter",
        type_group_name="Academies",
    )
    castle = SchoolFactory(urn=125001, name="Castle Secondary School", la=warwickshire, phase_name="Secondary")

    def person(email, name, role, **extra):
        return UserFactory(email=email, full_name=name, role=role, **extra)

    people = {
        "olivia": person("olivia@council.example", "Olivia Officer", Role.LA_OFFICER),
        "adam": person("adam@council.example", "Adam Admin", Role.ADMIN, is_staff=True, is_superuser=True),
        "alice": person("alice@partners.example", "Alice Partner", Role.PRIORITY_PARTNER),
        "bob": person("bob@partners.example", "Bob Partner", Role.PRIORITY_PARTNER),
        "hannah": person("hannah@school.example", "Hannah Head", Role.HEADTEACHER),
        "ezra": person("ezra@school.example", "Ezra Executive", Role.HEADTEACHER),
        "bella": person("bella@council.example", "Bella Board", Role.BOARD_MEMBER),
        "colin": person("colin@council.example", "Colin Commissioner", Role.COMMISSIONER),
    }
    partner, head = SchoolAssignment.Relationship.PRIORITY_PARTNER, SchoolAssignment.Relationship.HEADTEACHER
    for who, school, relationship in [
        ("alice", ashfield, partner),
        ("bob", beacon_hill, partner),
        ("hannah", ashfield, head),
        ("ezra", beacon_hill, head),
        ("ezra", castle, head),
    ]:
        SchoolAssignmentFactory(user=people[who], school=school, relationship=relationship)
    olivia = people["olivia"]

    categorisation.recategorise(trigger="manual")
    for school in (ashfield, beacon_hill):
        categorisation.agree_category(school=school, by=olivia, category_code="intensive", rationale="Agreed at panel")
        support.create_package(school=school, year=year, by=olivia)
    # Ashfield joins this year's priority list (Bella sees it); Beacon Hill does not.
    boards.decide(school=ashfield, kind=Decision.Kind.ADD, rationale="Inadequate", by=olivia, reason="ofsted_ri")

    def side(school, partner_user, head_user) -> SimpleNamespace:
        held = today - timedelta(days=14)
        shared_visit = VisitFactory(school=school, visitor=partner_user, status=Visit.Status.HELD, held_on=held)
        report = support.start_report(visit=shared_visit, by=partner_user)
        support.edit_report(report=report, by=partner_user, findings="Phonics is secure.", next_steps="Year 3.")
        support.submit_report(report=report, by=partner_user)
        support.share_report(report=report, by=partner_user)
        draft_visit = VisitFactory(school=school, visitor=partner_user, status=Visit.Status.HELD, held_on=held)
        support.start_report(visit=draft_visit, by=partner_user)
        plan = support.create_plan(school=school, year=year, by=partner_user)
        priority = support.add_priority(plan=plan, by=partner_user, title="Reading")
        plan_action = support.add_action(
            priority=priority, by=partner_user, description="Train staff", owner="Deputy", deadline=today
        )
        letter = boards.draft_letter(school=school, kind=LetterKind.CONCERN, by=olivia)
        boards.mark_sent(letter=letter, by=olivia, sent_on=today, recipients=letter.recipients)
        boards.decide(school=school, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale="No progress", by=olivia)
        return SimpleNamespace(
            school=school,
            shared_visit=shared_visit,
            draft_visit=draft_visit,
            plan=plan,
            priority=priority,
            action=plan_action,
            meeting=MeetingFactory(school=school, scheduled_for=today + timedelta(days=7)),
            self_referral=support.self_refer(school=school, by=head_user, reason="Our head has resigned"),
            letter=letter,
            notice=WarningNotice.objects.get(school=school),
            issued_notice=WarningNoticeFactory(
                school=school,
                status=WarningNotice.Status.ISSUED,
                dcs_response_on=today,
                issued_on=today,
                compliance_period_days=28,
                compliance_deadline=today + timedelta(days=28),
                required_action="Agree a plan",
            ),
            escalation=boards.escalate(school=school, by=partner_user, reason="Visits cancelled"),
            inspection_notice=boards.log_inspection_notice(
                school=school, by=olivia, notified_on=today, starts_on=today, partner_attending=partner_user
            ),
            profile=PartnerProfileFactory(user=partner_user),
            partner_assignment=SchoolAssignment.objects.get(user=partner_user, school=school, relationship=partner),
            inspection=InspectionFactory(school=school),
            package=SupportPackage.objects.get(school=school, academic_year=year),
            category_decision=CategoryDecision.objects.filter(school=school).first(),
            # A Welsh authority's records (boards.welsh_services refuses them in England: made directly here).
            informal_notice=InformalWarningNotice.objects.create(
                school=school,
                issued_on=today,
                concerns="Reading",
                improvements="Reading",
                improve_by=today,
                issued_by=olivia,
            ),
            governor=BrokeredSupport.objects.create(
                school=school,
                academic_year=year,
                provider_type=BrokeredSupport.Provider.CONSULTANT_GOVERNOR,
                provider="Gareth Governor",
                starts=today,
                funding_source=BrokeredSupport.Funding.LOCAL_AUTHORITY,
            ),
        )

    a = side(ashfield, people["alice"], people["hannah"])
    b = side(beacon_hill, people["bob"], people["ezra"])
    # This year's meeting has Ashfield on its agenda and a pack; last year's had Beacon Hill.
    a.board_meeting = BoardMeeting.objects.create(meets_on=today)
    a.board_meeting.pack.save("pack.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    a.board_meeting.pack_status = BoardMeeting.PackStatus.READY
    a.board_meeting.save()
    a.item = AgendaItem.objects.create(meeting=a.board_meeting, school=ashfield, reasons=["New inspection"])
    b.board_meeting = BoardMeeting.objects.create(meets_on=today - timedelta(days=400))
    b.item = AgendaItem.objects.create(meeting=b.board_meeting, school=beacon_hill, reasons=["New inspection"])
    assert PriorityEntry.objects.filter(school=beacon_hill).count() == 0
    a.entry = PriorityEntry.objects.get(school=ashfield, academic_year=year)

    risk_conference = ConcernMeeting.objects.create(
        kind=ConcernMeeting.Kind.RISK_CONFERENCE, held_on=today, attendees="Huw Hughes, Human Resources"
    )
    # A consortium of schools (seed 002) with a school and a lead member.
    consortium = school_services.create_consortium(name="North Primary", phase="primary", by=olivia)
    consortium_member = school_services.add_school_to_consortium(consortium=consortium, school=castle, by=olivia)
    consortium_lead = school_services.add_consortium_lead(
        consortium=consortium, by=olivia, name="Amira Khan", criterion="nle"
    )

    version = categorisation_selectors.active_version()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return World(
        A=a,
        B=b,
        people=people,
        castle=castle,
        import_run=ImportRunFactory(started_by=olivia),
        concern_meeting=boards.record_concern_meeting(
            by=olivia, held_on=today, attendees="Finance, HR", notes="", school_ids=[ashfield.pk]
        ),
        risk_conference=risk_conference,
        academy_notification=AcademyNotification.objects.create(
            academic_year=year, notified_on=today, notified_by=olivia, summary="Concerns about two academies"
        ),
        conference_action=ConcernAction.objects.create(
            meeting=risk_conference, description="Write to the governors", owner="Huw", deadline=today
        ),
        version=version,
        trigger=version.triggers.first(),
        rule=version.rules.first(),
        category=version.categories.first(),
        report=reporting.generate(last_month, trigger=MonthlyReport.Trigger.ON_DEMAND)[0],
        sessions={who: session_of(user) for who, user in people.items()},
        consortium=consortium,
        consortium_member=consortium_member,
        consortium_lead=consortium_lead,
        network_meeting=NetworkMeeting.objects.create(held_on=today, topic="Leading a school causing concern"),
        notifications={
            who: notify([user], kind=Notification.Kind.DEADLINE_NEAR, key=f"matrix:{who}", title="Due", url="/")[0]
            for who, user in people.items()
        },
    )


def session_of(user) -> str:
    """A signed-in session, made once: each request carries its cookie (and whatever a request
    writes to it is rolled back with the rest)."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction rolled back when the module ends; each test runs in a
    savepoint inside it (pytest-django's ``db``), and each request in one of its own."""
    media = tmp_path_factory.mktemp("permission-matrix-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=str(media), PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                built = build_world()
            built.media = media
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _in_the_world(world, db, settings, _fast_and_isolated):
    settings.MEDIA_ROOT = str(world.media)
    # The sessions were made when the module started: idleness is not what this test is about.
    settings.SESSION_IDLE_TIMEOUT = 24 * 60 * 60


# URL parameters per URL name: side A or B --------------------------------------------------------------------------


def urn(w, side):
    return {"urn": w[side].school.urn}


def pk_of(attribute: str, **extra):
    return lambda w, side: {"pk": getattr(w[side], attribute).pk, **extra}


def version(w, side, **extra):
    return {"code": w.version.framework.code, "number": w.version.number, **extra}


def only(make):
    """Parameters of an object that belongs to no school: the same for both sides."""
    return lambda w, side: make(w)


import_run = only(lambda w: {"pk": w.import_run.pk})

KWARGS = {
    # A reset link that is not valid: the "link has expired" page, for anyone.
    "accounts:password-reset-confirm": only(lambda w: {"uidb64": "MA", "token": "not-a-token"}),
    "schools:detail": urn,
    "schools:note-create": urn,
    "schools:import-detail": import_run,
    "schools:import-now": import_run,
    "schools:import-retry": import_run,
    "schools:import-confirm": import_run,
    "schools:import-cancel": import_run,
    "schools:import-undo": import_run,
    "schools:import-problems": import_run,
    "schools:history": urn,
    "schools:estyn-create": urn,
    "schools:governance": urn,
    "schools:governance-review": urn,
    "categorisation:version": version,
    "categorisation:what-if": version,
    "categorisation:version-action": lambda w, side: version(w, side, action="copy"),
    "categorisation:edit-trigger": lambda w, side: version(w, side, pk=w.trigger.pk),
    "categorisation:edit-rule": lambda w, side: version(w, side, pk=w.rule.pk),
    "categorisation:edit-support": lambda w, side: version(w, side, pk=w.category.pk),
    "categorisation:edit-matrix": version,
    "categorisation:decide": urn,
    "categorisation:welsh-steps": urn,
    "support:partner": pk_of("profile"),
    "support:edit-partner": pk_of("profile"),
    "support:declare-interest": pk_of("profile"),
    "support:partner-quality": pk_of("profile"),
    "support:edit-partner-quality": pk_of("profile"),
    "support:add-partner-training": pk_of("profile"),
    "support:overview-option": urn,
    "support:support": urn,
    "support:assign-partner": urn,
    "support:unassign-partner": lambda w, side: {**urn(w, side), "pk": w[side].partner_assignment.pk},
    "support:create-package": urn,
    "support:adjust": urn,
    "support:allocate": urn,
    "support:brokered": urn,
    "support:traded": urn,
    "support:new-head": urn,
    "support:recruitment": urn,
    "support:schedule-meetings": urn,
    "support:new-visit": urn,
    "support:plan": urn,
    "support:add-priority": urn,
    "support:add-action": lambda w, side: {**urn(w, side), "priority": w[side].priority.pk},
    "support:update-action": lambda w, side: {**urn(w, side), "action": w[side].action.pk},
    "support:add-milestone": urn,
    "support:academy-order": urn,
    "support:plan-step": lambda w, side: {**urn(w, side), "step": "comment"},
    "support:agree-plan": urn,
    "support:self-referral": urn,
    "support:consider-referral": pk_of("self_referral"),
    "support:visit": pk_of("shared_visit"),
    "support:report-edit": pk_of("draft_visit"),
    "support:report-pdf": pk_of("shared_visit"),
    "support:respond": pk_of("shared_visit"),
    "support:quality": pk_of("shared_visit"),
    "support:visit-step": pk_of("shared_visit", step="held"),
    "support:meeting": pk_of("meeting"),
    "support:arrange-strategy-meeting": urn,
    "support:ri-review": urn,
    "support:network-meeting": only(lambda w: {"pk": w.network_meeting.pk}),
    "boards:meeting": pk_of("board_meeting"),
    "boards:generate-agenda": pk_of("board_meeting"),
    "boards:consent": pk_of("board_meeting"),
    "boards:add-item": pk_of("board_meeting"),
    "boards:record-meeting": pk_of("board_meeting"),
    "boards:build-pack": pk_of("board_meeting"),
    "boards:pack-pdf": only(lambda w: {"pk": w.A.board_meeting.pk}),
    "boards:drop-item": pk_of("item"),
    "boards:decide": pk_of("item"),
    "boards:letter": pk_of("letter"),
    "boards:letter-pdf": pk_of("letter"),
    "boards:letter-language": pk_of("letter"),
    "boards:edit-template": only(lambda w: {"kind": "priority"}),
    "boards:notice": pk_of("notice"),
    "boards:notice-step": pk_of("notice", step="accept"),
    "boards:notice-recommendation-pdf": pk_of("notice"),
    "boards:notice-pdf": pk_of("issued_notice"),
    "boards:escalation": pk_of("escalation"),
    "boards:escalation-notice": pk_of("escalation"),
    "boards:escalate": urn,
    "boards:concern-meeting": only(lambda w: {"pk": w.concern_meeting.pk}),
    "boards:vulnerability-visit": urn,
    "boards:academy-notification": only(lambda w: {"pk": w.academy_notification.pk}),
    "boards:new-inspection-notice": urn,
    "boards:inspection": pk_of("inspection_notice"),
    "boards:inspection-feedback": pk_of("inspection_notice"),
    "boards:inspection-outcome": pk_of("inspection_notice"),
    "boards:new-informal-notice": urn,
    "boards:informal-notice": pk_of("informal_notice"),
    "boards:informal-notice-step": pk_of("informal_notice", step="lift"),
    "boards:risk-conference": only(lambda w: {"pk": w.risk_conference.pk}),
    "boards:conference-action-done": only(lambda w: {"pk": w.conference_action.pk}),
    "boards:school-target-reviews": urn,
    "boards:new-target-review": urn,
    "boards:new-consultant-governor": urn,
    "boards:governor-peer-review": pk_of("governor"),
    "reporting:report": only(lambda w: {"pk": w.report.pk}),
    "reporting:report-pdf": only(lambda w: {"pk": w.report.pk}),
    "reporting:report-xlsx": only(lambda w: {"pk": w.report.pk}),
    "reporting:report-csv": only(lambda w: {"pk": w.report.pk, "key": "support"}),
    "api:school-detail": urn,
    "api:school-inspection-list": urn,
    "api:school-inspection-detail": lambda w, side: {
        **urn(w, side),
        "inspection_number": w[side].inspection.inspection_number,
    },
    "api:category-detail": urn,
    "api:category-decision-detail": pk_of("category_decision"),
    "api:priority-entry-detail": only(lambda w: {"pk": w.A.entry.pk}),
    "api:support-package-detail": pk_of("package"),
    "api:visit-detail": pk_of("shared_visit"),
}


# Consortia and the School Improvement Board (seed 002).
KWARGS.update(
    {
        "schools:consortium": only(lambda w: {"pk": w.consortium.pk}),
        "schools:consortium-add-school": only(lambda w: {"pk": w.consortium.pk}),
        "schools:consortium-add-lead": only(lambda w: {"pk": w.consortium.pk}),
        "schools:consortium-remove-school": only(lambda w: {"pk": w.consortium_member.pk}),
        "schools:consortium-remove-lead": only(lambda w: {"pk": w.consortium_lead.pk}),
        "boards:vote": pk_of("item"),
    }
)


# URLs naming a school and something of it: one's own school with the other school's object.
MIXED = {
    "support:add-action": lambda w, own, other: {**urn(w, own), "priority": w[other].priority.pk},
    "support:update-action": lambda w, own, other: {**urn(w, own), "action": w[other].action.pk},
    "support:unassign-partner": lambda w, own, other: {**urn(w, own), "pk": w[other].partner_assignment.pk},
    "api:school-inspection-detail": lambda w, own, other: {
        **urn(w, own),
        "inspection_number": w[other].inspection.inspection_number,
    },
}


def admin_kwargs(w, name: str, params: frozenset[str]) -> dict:
    """An administration URL's parameters: a real object of the model the URL name is about where
    there is one (the refusal for non-staff comes before any lookup either way)."""
    model = next(
        (
            m
            for m in admin.site._registry
            if name.removeprefix("admin:").startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
        ),
        None,
    )
    first = model._default_manager.order_by("pk").first() if model else None
    values = {
        "object_id": str(first.pk) if first else "1",
        "id": str(w.people["adam"].pk),
        "app_label": "accounts",
        "content_type_id": str(ContentType.objects.get_for_model(w.A.school).pk),
    }
    if "content_type_id" in params:
        values["object_id"] = str(w.A.school.pk)
    return {param: values.get(param, "1") for param in params}


PARAMS = {r.name: r.params for r in ROUTES if r.name}


# URL parameters of a person's own object (their notification): an anonymous visitor asks for an officer's.
PERSONAL = {"accounts:notification": lambda w, who: {"pk": w.notifications[who].pk}}


def url_of(w, name: str, side: str, who: str = "olivia") -> str:
    params = PARAMS[name]
    if not params:
        return reverse(name)
    if name in PERSONAL:
        return reverse(name, kwargs=PERSONAL[name](w, "olivia" if who == ANONYMOUS else who))
    if name in KWARGS:
        return reverse(name, kwargs=KWARGS[name](w, side))
    return reverse(name, kwargs=admin_kwargs(w, name, params))


# Requests and what they may answer ---------------------------------------------------------------------------------

TOKEN = get_random_string(32)

# A client's handler loads the middleware on its first request, and WhiteNoise then indexes every
# static file: the thousands of requests share two handlers instead (with and without CSRF checks).
_HANDLERS: dict[bool, object] = {}


def client_for(w, who: str, *, csrf: bool = False, token: bool = False) -> Client:
    """A client signed in as the person (with the session the world made for them) or anonymous;
    with ``csrf`` it enforces CSRF checks, and with ``token`` it holds a valid CSRF cookie."""
    client = Client(enforce_csrf_checks=csrf)
    client.handler = _HANDLERS.setdefault(csrf, client.handler)
    if who != ANONYMOUS:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = w.sessions[who]
    if token:
        client.cookies[django_settings.CSRF_COOKIE_NAME] = TOKEN
    return client


_TABLES: list[str] = []


def row_counts() -> dict[str, int]:
    """How many rows each table holds (sessions aside), in one query."""
    if not _TABLES:
        models = apps.get_models(include_auto_created=True)
        tables = {m._meta.db_table for m in models if m._meta.managed} & set(connection.introspection.table_names())
        _TABLES.extend(sorted(tables - {"django_session"}))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _TABLES))  # noqa: S608
        return dict(zip(_TABLES, cursor.fetchone(), strict=True))


@dataclass
class Answer:
    status: int
    location: str
    changed: dict[str, tuple[int, int]]  # table: (rows before, rows after), for a POST


def ask(w, who: str, method: str, url: str, *, csrf: bool = False, token: bool = False) -> Answer:
    """One request, undone afterwards (a savepoint rolled back) so that each check stands alone."""
    client = client_for(w, who, csrf=csrf, token=token)
    with transaction.atomic():
        before = row_counts() if method == "POST" else {}
        if method == "POST":
            response = client.post(url, {"csrfmiddlewaretoken": TOKEN} if token else {})
        else:
            response = client.get(url)
        _close(response)
        after = row_counts() if method == "POST" else {}
        transaction.set_rollback(True)
    changed = {t: (before[t], n) for t, n in after.items() if before.get(t) != n}
    return Answer(response.status_code, response.get("Location", ""), changed)


def _close(response) -> None:
    """Closes a (streamed) response without what closing one does after a real request: closing
    old database connections would close the one holding the matrix's world (on PostgreSQL; an
    in-memory SQLite database ignores it)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def sends_to_sign_in(answer: Answer) -> bool:
    return answer.status == 302 and answer.location.startswith(reverse("accounts:sign-in"))


def sends_to_admin_sign_in(answer: Answer) -> bool:
    return answer.status == 302 and answer.location.startswith(reverse("admin:login"))


def turned_away_by_the_admin(answer: Answer) -> bool:
    """The administration's refusal: its sign-in page (its sign-out page sends to its index, which
    sends on to its sign-in)."""
    return sends_to_admin_sign_in(answer) or (answer.status == 302 and answer.location == reverse("admin:index"))


def anonymous_refused(access: Access, answer: Answer) -> bool:
    """The portal's sign-in page; the administration's site-wide pages send to their own; an API
    endpoint answers 401 (or 403), never with a redirect."""
    if access.api:
        return answer.status in (401, 403)
    return sends_to_sign_in(answer) or (access.admin_site and sends_to_admin_sign_in(answer))


def refused(access: Access, who: str, answer: Answer) -> bool:
    if who == ANONYMOUS:
        return anonymous_refused(access, answer)
    if access.admin_site:
        return turned_away_by_the_admin(answer)
    return answer.status in (403, 404)


def get_is_right(access: Access, name: str, who: str, answer: Answer) -> bool:
    """What a GET of the page as this person may answer, by the policy."""
    if who == ANONYMOUS and not access.public:
        return anonymous_refused(access, answer)
    if access.admin_site and not (may(access, who, "get") or may(access, who, "post")):
        return turned_away_by_the_admin(answer)
    if post_only(access):
        return answer.status == 405  # require_POST answers before any check, for everyone signed in
    if not may(access, who, "get"):
        return answer.status in (403, 404)
    if access.admin_site:
        # Past the administration's door its own model permissions rule (a read-only model refuses
        # "add" with 403, a missing object sends to the index): the matrix is about the door.
        return answer.status < 500 and (name == "admin:login" or not sends_to_admin_sign_in(answer))
    return 200 <= answer.status < 400 and not sends_to_sign_in(answer)


def said(name: str, who: str, method: str, url: str, answer: Answer) -> str:
    changed = f"; rows changed: {answer.changed}" if answer.changed else ""
    return f"{method} {url} ({name}) as {who}: {answer.status} {answer.location}".strip() + changed


# The checks, each for one URL and one person; a list of what went wrong ---------------------------------------------


def check_get(w, name: str, who: str) -> list[str]:
    url = url_of(w, name, own_side(who), who)
    answer = ask(w, who, "GET", url)
    return [] if get_is_right(access_for(name), name, who, answer) else [said(name, who, "GET", url, answer)]


def check_refused_post(w, name: str, who: str, url: str) -> list[str]:
    """A POST with a valid CSRF token by someone the policy does not let POST: refused, nothing written."""
    answer = ask(w, who, "POST", url, csrf=True, token=True)
    right = refused(access_for(name), who, answer) and not answer.changed
    return [] if right else [said(name, who, "POST", url, answer)]


def check_another_school(w, name: str, who: str) -> list[str]:
    """Another school's object: 404 for a role the page is for (403 or 404 for any other)."""
    access = access_for(name)
    url = url_of(w, name, other_side(who))
    if url == url_of(w, name, own_side(who)):
        return [f"{name}: side A and side B give the same URL {url}"]
    wrong = []
    if not post_only(access):
        answer = ask(w, who, "GET", url)
        if answer.status not in ((404,) if may(access, who, "get") else (403, 404)):
            wrong.append(said(name, who, "GET", url, answer))
    if access.takes_post and may(access, who, "post"):
        answer = ask(w, who, "POST", url, csrf=True, token=True)
        if answer.status != 404 or answer.changed:
            wrong.append(said(name, who, "POST", url, answer))
    elif access.takes_post:
        wrong += check_refused_post(w, name, who, url)
    return wrong


def check_mixed(w, name: str, who: str) -> list[str]:
    """One's own school in the URL with another school's object: 404 whoever asks."""
    access = access_for(name)
    url = reverse(name, kwargs=MIXED[name](w, own_side(who), other_side(who)))
    wrong = []
    answer = ask(w, who, "GET", url)
    if answer.status not in ((404,) if may(access, who, "get") else (403, 404)):
        wrong.append(said(name, who, "GET", url, answer))
    if may(access, who, "post"):
        answer = ask(w, who, "POST", url, csrf=True, token=True)
        if answer.status != 404 or answer.changed:
            wrong.append(said(name, who, "POST", url, answer))
    return wrong


def check_csrf(w, name: str, who: str) -> list[str]:
    url = url_of(w, name, own_side(who), who)
    answer = ask(w, who, "POST", url, csrf=True)
    # An API endpoint checks CSRF as it authenticates a session: without credentials, 401.
    refusals = (401, 403) if access_for(name).api and who == ANONYMOUS else (403,)
    right = answer.status in refusals and not answer.changed
    return [] if right else [said(name, who, "POST without a CSRF token", url, answer)]


def csrf_askers(name: str) -> list[str]:
    """Who sends a POST without a token: an anonymous visitor, and each person the policy lets POST
    (whom a forged request would act for), or an officer where nobody may."""
    access = access_for(name)
    posters = [who for who in ROLES if access.takes_post and may(access, who, "post")]
    return [ANONYMOUS, *(posters or ["olivia"])]


def refused_posters(name: str) -> list[str]:
    access = access_for(name)
    return [who for who in PEOPLE if access.takes_post and not may(access, who, "post")]


# The tests: one per URL and kind of check, each over every person --------------------------------------------------

OTHER_SCHOOL_NAMES = [name for name in NAMES if access_for(name).school]
POST_NAMES = [name for name in NAMES if refused_posters(name)]
CHECKS = {
    "GET": len(NAMES) * len(PEOPLE),
    "another school's object": len(OTHER_SCHOOL_NAMES) * len(SCOPED_PEOPLE),
    "own school, another school's object": len(MIXED) * len(ROLES),
    "POST without a CSRF token": sum(len(csrf_askers(name)) for name in NAMES),
    "POST refused": sum(len(refused_posters(name)) for name in POST_NAMES),
}


def report(wrong: list[str]) -> None:
    assert not wrong, "\n".join(wrong)


def test_every_url_has_a_policy_entry():
    report(problems(ROUTES))
    print(
        f"\nPermission matrix: {len(NAMES)} URL patterns × {len(PEOPLE)} (anonymous and {len(ROLES)} people); "
        + ", ".join(f"{kind}: {n}" for kind, n in CHECKS.items())
        + f"; {sum(CHECKS.values())} URL × person checks in all"
    )
    assert CHECKS["GET"] == len({r.name for r in ROUTES if r.name}) * 9


def test_a_new_url_without_a_policy_entry_is_reported(settings, monkeypatch):
    module = types.ModuleType("permission_matrix_extra_urls")
    thing = path("thing/<int:pk>/", lambda request, pk: HttpResponse(), name="thing")
    module.urlpatterns = [
        path("", include(django_settings.ROOT_URLCONF)),
        path("brand-new/", lambda request: HttpResponse("new"), name="brand-new"),
        path("nameless/", lambda request: HttpResponse("new")),
        path("extra/", include(([thing], "extra"))),
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    before = problems(walk(get_resolver()))
    settings.ROOT_URLCONF = module.__name__
    routes = walk(get_resolver())
    assert len(routes) == len(ROUTES) + 3
    assert [p for p in problems(routes) if p not in before] == [
        "no policy entry for brand-new (brand-new/)",
        "unnamed URL pattern 'nameless/': name it and give it a policy entry",
        "no policy entry for extra:thing (extra/thing/<int:pk>/)",
    ]


def test_every_view_takes_its_permission_from_the_policy():
    assert undeclared(ROUTES) == []
    assert len(ROUTES) > 100


def test_a_view_that_does_not_declare_its_policy_entry_is_reported(settings, monkeypatch):
    module = types.ModuleType("permission_matrix_undeclared_urls")
    module.urlpatterns = [
        path("", include(django_settings.ROOT_URLCONF)),
        path("plain/", lambda request: HttpResponse("plain"), name="home"),
        path("wrong/", permission("home")(lambda request: HttpResponse("wrong")), name="health"),
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    settings.ROOT_URLCONF = module.__name__
    assert undeclared(walk(get_resolver())) == [
        "home (plain/): its view does not declare its policy entry",
        "health (wrong/): its view does not declare its policy entry",
    ]


def test_a_declared_view_refuses_whom_its_policy_entry_refuses(rf, db):
    olivia, colin = UserFactory(role=Role.LA_OFFICER), UserFactory(role=Role.COMMISSIONER)
    view = permission("reporting:reports")(lambda request: HttpResponse("reports"))
    assert view(get_as(rf, colin)).status_code == 200
    request = rf.post("/reports/")
    request.user = colin
    with pytest.raises(PermissionDenied, match="Only LA officers and administrators can do this"):
        view(request)
    request.user = olivia
    assert view(request).status_code == 200
    request = rf.put("/reports/")
    request.user = olivia
    assert view(request).status_code == 405


def get_as(rf, user):
    request = rf.get("/")
    request.user = user
    return request


@pytest.mark.parametrize("name", NAMES)
def test_get(world, name):
    report([wrong for who in PEOPLE for wrong in check_get(world, name, who)])


@pytest.mark.parametrize("name", OTHER_SCHOOL_NAMES)
def test_another_schools_object_is_not_found(world, name):
    report([wrong for who in SCOPED_PEOPLE for wrong in check_another_school(world, name, who)])


@pytest.mark.parametrize("name", sorted(MIXED))
def test_another_schools_object_under_ones_own_school_is_not_found(world, name):
    report([wrong for who in ROLES for wrong in check_mixed(world, name, who)])


@pytest.mark.parametrize("name", NAMES)
def test_a_post_without_a_csrf_token_is_refused(world, name):
    report([wrong for who in csrf_askers(name) for wrong in check_csrf(world, name, who)])


@pytest.mark.parametrize("name", POST_NAMES)
def test_a_post_by_someone_the_policy_does_not_allow_is_refused(world, name):
    wrong = []
    for who in refused_posters(name):
        wrong += check_refused_post(world, name, who, url_of(world, name, own_side(who)))
    report(wrong)


def test_the_world_gives_each_scoped_person_their_own_side(world):
    from schools.access import visible_schools

    for who in SCOPED_PEOPLE:
        mine = set(visible_schools(world.people[who]))
        assert world[own_side(who)].school in mine, who
        assert world[other_side(who)].school not in mine, who
