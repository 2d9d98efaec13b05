"""Every page a priority partner or a headteacher may open fits a phone 390 pixels wide: nothing scrolls
sideways (issue 23, build point 5). Tables reflow into one block per row below the tablet breakpoint,
each cell labelled with its column (``.app-table--reflow`` in static/src/app.scss).

The pages come from the policy (``accounts/policy.py``): every entry whose ``get`` includes the role,
less the API's endpoints, the administration and ``NOT_PAGES`` (what answers something other than an HTML
page: downloads, JSON, redirects). A page that takes parameters needs an entry in ``SAMPLES``, filled from
a realistic world (``build_world``): a new partner or head page without one fails
``test_every_partner_and_head_page_has_a_sample``. One signed-in page per role opens each page in turn.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.urls import get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import Authority, Membership, Role, SchoolAssignment
from accounts.policy import HEAD, PARTNER, POLICY, Access
from accounts.services import create_api_token
from boards import services as boards
from boards.models import Decision, LetterKind
from boards.welsh_services import record_target_review
from categorisation import services as categorisation
from support import selectors as support_selectors
from support import services as support
from support.models import Action, SupportPackage
from support.quality_services import record_training
from tests.browser.conftest import sign_in
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import (
    AuthorityFactory,
    InspectionFactory,
    PartnerProfileFactory,
    PerformanceMeasureFactory,
    SchoolAssignmentFactory,
)

PHONE = {"width": 390, "height": 844}

# Pages a partner or head may GET that are not HTML pages of their own: what each answers instead.
NOT_PAGES = {
    "accounts:sign-in": "sends a signed-in person home",
    "accounts:two-factor-verify": "without an authenticator app: sends on to the page asked for",
    "accounts:recovery-codes": "without an authenticator app: sends to Your account",
    "accounts:session": "JSON: the session warning's status",
    "health": "JSON for monitoring probes",
    "schools:list-csv": "a CSV download",
    "support:report-pdf": "a PDF",
    "boards:letter-pdf": "a PDF",
    "accounts:notification": "marks the notification read and sends on to the page it is about",
}

LONG_OWNER = (
    "Mrs Philippa Featherstonehaugh-Cholmondeley, Deputy Headteacher and Special Educational Needs Co-ordinator"
)
LONG_LINK = "https://www.ashfield-primary.example.sch.uk/documents/curriculum/reading/reading-policy-2026-27-final.pdf"
LONG_EMAIL = "philippa.featherstonehaugh-cholmondeley@ashfield-primary.example.sch.uk"


def pages_for(role: str) -> list[str]:
    """The names of the HTML pages the policy lets the role open."""
    return [name for name, access in POLICY.items() if role in access.get and is_page(name, access)]


def is_page(name: str, access: Access) -> bool:
    return not (access.api or access.admin_site or name in NOT_PAGES or name.endswith(":*"))


def params_of(name: str) -> set[str]:
    """The URL's parameters, from the project's URL patterns (``reverse`` needs them)."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    for part in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[part][1]
    return {
        param
        for possibility, *_ in resolver.reverse_dict.getlist(short)
        for _, params in possibility
        for param in params
    }


def urn(w):
    return {"urn": w.school.urn}


def welsh(w):
    return {"urn": w.welsh_school.urn}


# The URL parameters of each partner and head page that takes them, from the world below. A page in
# ``WELSH`` is opened once the authority is a Welsh one, for its Welsh school.
SAMPLES = {
    # A link from the email, here one that has expired: the page then says so and offers a new link.
    "accounts:password-reset-confirm": lambda w: {"uidb64": "MA", "token": "not-a-token"},
    "schools:detail": urn,
    "schools:note-create": urn,
    "categorisation:welsh-steps": welsh,
    "support:partner-quality": lambda w: {"pk": w.profile.pk},
    "support:support": urn,
    "support:new-visit": urn,
    "support:plan": urn,
    "support:add-priority": urn,
    "support:add-action": lambda w: {**urn(w), "priority": w.priority.pk},
    "support:update-action": lambda w: {**urn(w), "action": w.action.pk},
    "support:add-milestone": urn,
    "support:agree-plan": urn,
    "support:self-referral": urn,
    "support:visit": lambda w: {"pk": w.responded_visit.pk},
    "support:report-edit": lambda w: {"pk": w.draft_visit.pk},
    "support:respond": lambda w: {"pk": w.shared_visit.pk},
    "support:meeting": lambda w: {"pk": w.meeting.pk},
    "support:ri-review": urn,
    "boards:letter": lambda w: {"pk": w.letter.pk},
    "boards:escalate": urn,
    "boards:inspection": lambda w: {"pk": w.inspection_notice.pk},
    "boards:inspection-feedback": lambda w: {"pk": w.inspection_notice.pk},
    "boards:school-target-reviews": welsh,
    "boards:new-target-review": welsh,
}
WELSH = {"categorisation:welsh-steps", "boards:school-target-reviews", "boards:new-target-review"}
# The visit page again, for the report the head has not answered yet and for the partner's draft.
MORE = {
    PARTNER: [
        ("support:visit", lambda w: {"pk": w.shared_visit.pk}),
        ("support:visit", lambda w: {"pk": w.draft_visit.pk}),
    ],
    HEAD: [("support:visit", lambda w: {"pk": w.shared_visit.pk})],
}


def build_world(olivia, partner, head, school, welsh_school) -> SimpleNamespace:
    """A school at work: a package with allocated days, visits held and scheduled, reports shared and
    responded to, an action plan with priorities, actions (long owner names, every RAG), milestones and
    comments, meetings, a self-referral, a sent letter, an escalation and an inspection notice."""
    today = timezone.localdate()
    year = support_selectors.current_year(today)
    # The partner works for a second council too: the header offers the switch beside their name.
    county = AuthorityFactory(name="Warwickshire County Council", la_codes=[937])
    Membership.objects.create(user=partner, authority=county, role=Role.PRIORITY_PARTNER)
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=school, by=olivia, category_code="intensive", rationale="Agreed at panel")
    support.create_package(school=school, year=year, by=olivia)
    package = SupportPackage.objects.get(school=school, academic_year=year)
    support.allocate(package=package, kind="adviser", partner=partner, days=Decimal("4.5"), by=olivia)
    boards.decide(school=school, kind=Decision.Kind.ADD, rationale="Inadequate", by=olivia, reason="ofsted_ri")
    for year_of in (year - 3, year - 2, year - 1):
        for measure in ("census_nor", "census_fsm6_pct", "census_sen_support_pct", "census_eal_pct"):
            PerformanceMeasureFactory(school=school, academic_year=year_of, measure=measure, value=Decimal("1234.5"))
    InspectionFactory(school=school)

    def visit(purpose: str, days_ago: int, *, held: bool = True):
        when = today - timedelta(days=days_ago)
        item = support.schedule_visit(
            school=school, by=partner, visitor=partner, kind="adviser", purpose=purpose, scheduled_for=when, days=1
        )
        if held:
            support.record_visit_held(visit=item, by=partner, held_on=when)
        return item

    def report_on(item, *, share: bool = True):
        report = support.start_report(visit=item, by=partner)
        support.edit_report(
            report=report,
            by=partner,
            evidence=f"Heard twelve readers; read the reading policy ({LONG_LINK}).",
            findings="Pupils in year 4 read fluently and talk with confidence about the books they have chosen.",
            strengths="A love of reading is evident across the school.",
            areas_for_development="Fluency of the weakest readers in year 5.",
            next_steps=f"Extend the reading spine to year 6; send the plan to {LONG_EMAIL}.",
        )
        if share:
            support.submit_report(report=report, by=partner)
            support.share_report(report=report, by=partner)
        return report

    responded_visit = visit("Review of reading in key stage 2, with the English lead and the governor", 40)
    responded = report_on(responded_visit)
    support.respond_to_report(
        report=responded, by=head, response="accurate", comment=f"Agreed; the plan is at {LONG_LINK}"
    )
    shared_visit = visit("Review of phonics in key stage 1", 20)
    report_on(shared_visit)
    draft_visit = visit("Review of mathematics in year 6", 5)
    report_on(draft_visit, share=False)
    visit("Review of attendance and behaviour", -14, held=False)

    plan = support.create_plan(school=school, year=year, by=partner)
    priority = support.add_priority(
        plan=plan,
        by=partner,
        title="Raise attainment in reading",
        description="Key stage 2 reading fell two years running.",
    )
    other = support.add_priority(plan=plan, by=partner, title="Improve attendance of disadvantaged pupils")
    actions = [
        support.add_action(
            priority=owner_priority,
            by=partner,
            description=description,
            owner=LONG_OWNER,
            deadline=today + timedelta(days=days),
            success_criteria=f"Every teacher observed; the evidence is at {LONG_LINK}",
        )
        for owner_priority, description, days in [
            (priority, "Train all year 3 and year 4 staff in the phonics programme", 30),
            (priority, "Buy decodable books for the weakest readers", -10),
            (other, "Call the families of persistently absent pupils each morning", 60),
        ]
    ]
    for action, rag in zip(actions, [Action.Rag.AMBER, Action.Rag.RED, Action.Rag.COMPLETE], strict=True):
        support.update_action(action=action, by=partner, rag=rag, evidence=f"See {LONG_LINK}")
    support.add_milestone(
        plan=plan, by=partner, title="Half of the staff trained in phonics", due=today + timedelta(days=45)
    )
    support.add_milestone(
        plan=plan, by=partner, title="Reading assessments in every class", due=today + timedelta(days=90)
    )
    support.comment_on_plan(plan=plan, by=partner, text=f"Draft for the head to read; questions to {LONG_EMAIL}")

    meetings = support.schedule_meetings(school=school, year=year, by=partner)
    support.self_refer(school=school, by=head, reason="Our deputy headteacher leaves at Christmas and we need help.")
    letter = boards.draft_letter(school=school, kind=LetterKind.CONCERN, by=olivia)
    boards.mark_sent(letter=letter, by=olivia, sent_on=today, recipients=f"The headteacher; the chair ({LONG_EMAIL})")
    boards.escalate(school=school, by=partner, reason="Two visits cancelled by the school this term")
    inspection_notice = boards.log_inspection_notice(
        school=school, by=olivia, notified_on=today, starts_on=today + timedelta(days=1), partner_attending=partner
    )
    for user, relationship in [
        (partner, SchoolAssignment.Relationship.PRIORITY_PARTNER),
        (head, SchoolAssignment.Relationship.HEADTEACHER),
    ]:
        SchoolAssignmentFactory(user=user, school=welsh_school, relationship=relationship)
    for user in (partner, head):
        create_api_token(
            by=user, name="The spreadsheet of my schools, refreshed each morning", two_factor_verified=True
        )
    profile = PartnerProfileFactory(user=partner)
    record_training(partner=profile, year=year, by=olivia, kind="conference", attended_on=today, title=LONG_OWNER)
    # The Welsh school's termly target review, recorded while the authority is a Welsh one.
    authority = Authority.objects.filter(pk=DEFAULT_AUTHORITY)
    in_england = authority.values("nation", "la_codes").get()
    authority.update(nation=Authority.Nation.WALES, la_codes=[681])
    target = {"level": "pupil", "baseline": "62% at the expected standard", "current": "71%", "comment": LONG_LINK}
    record_target_review(
        school=welsh_school,
        by=type(partner).objects.get(pk=partner.pk),  # who reads the authority afresh: Welsh now
        reviewed_on=today,
        targets=[
            {**target, "target": "Reading at the expected standard in year 6", "on_track": True},
            {**target, "level": "school", "target": "Attendance of pupils eligible for free meals", "on_track": False},
        ],
    )
    authority.update(**in_england)
    return SimpleNamespace(
        school=school,
        welsh_school=welsh_school,
        profile=profile,
        responded_visit=responded_visit,
        shared_visit=shared_visit,
        draft_visit=draft_visit,
        plan=plan,
        priority=priority,
        action=actions[0],
        meeting=meetings[0],
        letter=letter,
        inspection_notice=inspection_notice,
    )


# What reaches past the right edge of the screen: the page's width, and the elements whose right edge is past
# it, innermost first (those in a box that scrolls sideways as well, which the page's width does not show;
# text hidden for all but screen readers aside).
OVERFLOW = """
() => {
  const width = window.innerWidth;
  // Inside a box of one pixel that hides what overflows it: text for screen readers only.
  const hidden = (each) => {
    for (let box = each; box; box = box.parentElement) {
      if (box.getBoundingClientRect().width <= 1 && getComputedStyle(box).overflow === "hidden") return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((each) => {
    const box = each.getBoundingClientRect();
    return box.width > 1 && box.right > width + 0.5 && !hidden(each);
  });
  const innermost = wide.filter((each) => !wide.some((other) => other !== each && each.contains(other)));
  const name = (each) => {
    const id = each.id ? "#" + each.id : "";
    const classes = [...each.classList].slice(0, 2).map((c) => "." + c).join("");
    const text = (each.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const right = Math.round(each.getBoundingClientRect().right);
    return `${each.tagName.toLowerCase()}${id}${classes} (right ${right}) "${text}"`;
  };
  return { width, scroll: document.documentElement.scrollWidth, wide: innermost.slice(0, 8).map(name) };
}
"""


def overflow(page: Page, url: str) -> str | None:
    """Open the page: what scrolls sideways on it, or None."""
    response = page.goto(url)
    if response is None or not response.ok:
        return f"{url} answered {response and response.status}"
    if page.url != url:
        return f"{url} sent the browser on to {page.url}: give it a sample that stays, or list it in NOT_PAGES"
    if "text/html" not in response.headers.get("content-type", ""):
        return f"{url} is not an HTML page: list it in NOT_PAGES"
    found = page.evaluate(OVERFLOW)
    if found["scroll"] <= found["width"] and not found["wide"]:
        return None
    return f"{url}: {found['scroll']} px wide in {found['width']} px; past the edge: " + "; ".join(found["wide"])


def check_every_page(page: Page, live_server, role: str, world: SimpleNamespace) -> None:
    page.set_viewport_size(PHONE)
    visits = [(name, SAMPLES.get(name)) for name in pages_for(role)] + MORE[role]
    wrong = []
    for name, sample in sorted(visits, key=lambda each: each[0] in WELSH):
        if name in WELSH and not Authority.objects.filter(pk=DEFAULT_AUTHORITY, nation=Authority.Nation.WALES).exists():
            Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(nation=Authority.Nation.WALES, la_codes=[681])
        url = live_server.url + reverse(name, kwargs=sample(world) if sample else None)
        if problem := overflow(page, url):
            wrong.append(f"{name} {problem}")
    assert not wrong, f"{len(wrong)} pages scroll sideways at 390 px:\n" + "\n".join(wrong)


def test_every_partner_and_head_page_has_a_sample():
    missing = [
        f"{name} ({role})"
        for role in (PARTNER, HEAD)
        for name in pages_for(role)
        if params_of(name) and name not in SAMPLES
    ]
    assert not missing, "give these partner or head pages a sample in SAMPLES (or NOT_PAGES): " + ", ".join(missing)


def test_every_partner_page_fits_a_phone(page, live_server, olivia, alice, hannah, ashfield, hamadryad):
    world = build_world(olivia, alice, hannah, ashfield, hamadryad)
    sign_in(page, live_server, alice)
    check_every_page(page, live_server, PARTNER, world)


def test_every_head_page_fits_a_phone(page, live_server, olivia, alice, hannah, ashfield, hamadryad):
    world = build_world(olivia, alice, hannah, ashfield, hamadryad)
    sign_in(page, live_server, hannah)
    check_every_page(page, live_server, HEAD, world)
