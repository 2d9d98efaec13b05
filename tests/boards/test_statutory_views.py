"""The board's statutory pages for every role: letters and their templates, warning notices,
escalations, schools-causing-concern meetings and inspections of priority schools; who may open
what, and the journeys through the pages."""

import html
import io
from datetime import date, timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.policy import access_for
from boards import services
from boards.models import (
    ConcernMeeting,
    Decision,
    Escalation,
    InspectionNotice,
    Letter,
    LetterKind,
    LetterTemplate,
    PriorityEntry,
    WarningNotice,
)
from tests.factories import PriorityEntryFactory, SchoolAssignmentFactory, SchoolFactory, UserFactory
from tests.roles import NOT_OFFICERS, OFFICERS, ROLES, assert_each_page_by_role

pytestmark = pytest.mark.django_db

OFFICERS_ONLY = OFFICERS | NOT_OFFICERS
ALL_404 = dict.fromkeys([*OFFICERS, *NOT_OFFICERS], 404)
REQUIRED_ACTION = "Agree a Statement of Action with the LA and show progress on reading at each monthly review."
RATIONALE = "Reading outcomes at key stage 2 have fallen for two years running"
NOTICE_RATIONALE = "Governors have not acted on the safeguarding review despite two reminders"


def _date(name: str, day: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def added(ashfield, olivia):
    """Ashfield added to this year's priority list by the board: board members see it now, and a
    confirmation letter is written (not sent)."""
    return services.decide(
        school=ashfield, kind=Decision.Kind.ADD, rationale=RATIONALE, by=olivia, reason=PriorityEntry.Reason.OFSTED_RI
    )


@pytest.fixture
def draft(added):
    return Letter.objects.get(school=added.school, kind=LetterKind.PRIORITY)


@pytest.fixture
def sent(draft, olivia, today):
    return services.mark_sent(letter=draft, by=olivia, sent_on=today, recipients=draft.recipients)


@pytest.fixture
def notice(added, olivia):
    services.decide(
        school=added.school, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=NOTICE_RATIONALE, by=olivia
    )
    return WarningNotice.objects.get(school=added.school)


@pytest.fixture
def castle_notice(castle, olivia):
    """A notice about a school that is neither on the list nor on an agenda."""
    services.decide(school=castle, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=NOTICE_RATIONALE, by=olivia)
    return WarningNotice.objects.get(school=castle)


@pytest.fixture
def issued_notice(castle_notice, olivia, today):
    services.notice_step(notice=castle_notice, step="accept", by=olivia, on=today, comment="Agreed")
    return services.notice_step(
        notice=castle_notice,
        step="issue",
        by=olivia,
        on=today,
        grounds=[WarningNotice.Ground.LOW_STANDARDS],
        required_action=REQUIRED_ACTION,
        compliance_period_days=28,
    )


@pytest.fixture
def escalation(ashfield, alice):
    return services.escalate(school=ashfield, by=alice, reason="The head has cancelled the last three visits")


@pytest.fixture
def concern_meeting(ashfield, olivia, today):
    return services.record_concern_meeting(
        by=olivia,
        held_on=today,
        attendees="School improvement, finance, HR, governor services",
        notes="Deficit recovery plan overdue",
        school_ids=[ashfield.pk],
        actions=[("Ask for the recovery plan", "Finance", today + timedelta(days=14), ashfield.pk)],
    )


@pytest.fixture
def inspection_notice(ashfield, olivia, alice, today):
    return services.log_inspection_notice(
        school=ashfield, by=olivia, notified_on=today, starts_on=today + timedelta(days=1), partner_attending=alice
    )


@pytest.fixture
def pages(
    everyone,
    ashfield,
    added,
    draft,
    sent,
    notice,
    castle_notice,
    issued_notice,
    escalation,
    concern_meeting,
    inspection_notice,
):
    unsent = services.draft_letter(school=ashfield, kind=LetterKind.CONCERN, by=everyone["olivia"])
    urn = ashfield.urn
    # Heads read sent letters to their own school; partners, the board and commissioners never use letters.
    head_reads = OFFICERS_ONLY | {"hannah": 200, "ezra": 404}
    # A school's partner and officers; another partner does not see the school.
    partner_and_officers = dict.fromkeys(ROLES, 403) | OFFICERS | {"alice": 200, "bob": 404}
    return {
        "letters": (reverse("boards:letters"), OFFICERS_ONLY),
        "annual letters": (reverse("boards:annual-letters"), OFFICERS_ONLY),
        "a sent letter": (reverse("boards:letter", args=[sent.pk]), head_reads),
        "a letter not sent yet": (reverse("boards:letter", args=[unsent.pk]), head_reads | {"hannah": 404}),
        "a sent letter's PDF": (reverse("boards:letter-pdf", args=[sent.pk]), head_reads),
        "an unsent letter's PDF": (reverse("boards:letter-pdf", args=[unsent.pk]), head_reads | {"hannah": 404}),
        "letter templates": (reverse("boards:letter-templates"), OFFICERS_ONLY),
        "change a template": (reverse("boards:edit-template", args=[LetterKind.PRIORITY]), OFFICERS_ONLY),
        "an unknown template": (
            reverse("boards:edit-template", args=["nonsense"]),
            dict.fromkeys(OFFICERS, 404) | NOT_OFFICERS,
        ),
        "warning notices": (reverse("boards:notices"), OFFICERS_ONLY | {"bella": 200}),
        "a notice about a listed school": (reverse("boards:notice", args=[notice.pk]), OFFICERS_ONLY | {"bella": 200}),
        "a notice about a school off the list": (
            reverse("boards:notice", args=[castle_notice.pk]),
            OFFICERS_ONLY | {"bella": 404},
        ),
        "a notice step": (reverse("boards:notice-step", args=[notice.pk, "accept"]), OFFICERS_ONLY),
        # The documents: officers only; to anyone else they do not exist, nor does a notice not yet issued.
        "the recommendation to the DCS": (
            reverse("boards:notice-recommendation-pdf", args=[notice.pk]),
            OFFICERS | dict.fromkeys(NOT_OFFICERS, 404),
        ),
        "an issued warning notice": (
            reverse("boards:notice-pdf", args=[issued_notice.pk]),
            OFFICERS | dict.fromkeys(NOT_OFFICERS, 404),
        ),
        "a warning notice not yet issued": (reverse("boards:notice-pdf", args=[notice.pk]), ALL_404),
        "an unknown notice step": (
            reverse("boards:notice-step", args=[notice.pk, "shred"]),
            dict.fromkeys(OFFICERS, 404) | NOT_OFFICERS,
        ),
        "escalations": (reverse("boards:escalations"), OFFICERS_ONLY),
        "an escalation": (reverse("boards:escalation", args=[escalation.pk]), OFFICERS_ONLY),
        "recommend a notice after an escalation": (
            reverse("boards:escalation-notice", args=[escalation.pk]),
            OFFICERS_ONLY,
        ),
        "escalate Ashfield": (reverse("boards:escalate", args=[urn]), partner_and_officers),
        "concern meetings": (reverse("boards:concern-meetings"), OFFICERS_ONLY),
        "record a concern meeting": (reverse("boards:new-concern-meeting"), OFFICERS_ONLY),
        "a concern meeting": (reverse("boards:concern-meeting", args=[concern_meeting.pk]), OFFICERS_ONLY),
        "inspections": (reverse("boards:inspections"), OFFICERS_ONLY),
        "log a notice of inspection": (reverse("boards:new-inspection-notice", args=[urn]), OFFICERS_ONLY),
        "an inspection": (reverse("boards:inspection", args=[inspection_notice.pk]), partner_and_officers),
        "inspection feedback": (
            reverse("boards:inspection-feedback", args=[inspection_notice.pk]),
            partner_and_officers,
        ),
        "inspection outcome": (reverse("boards:inspection-outcome", args=[inspection_notice.pk]), OFFICERS_ONLY),
    }


PAGE_NAMES = [
    "letters",
    "annual letters",
    "a sent letter",
    "a letter not sent yet",
    "a sent letter's PDF",
    "an unsent letter's PDF",
    "letter templates",
    "change a template",
    "an unknown template",
    "warning notices",
    "a notice about a listed school",
    "a notice about a school off the list",
    "a notice step",
    "the recommendation to the DCS",
    "an issued warning notice",
    "a warning notice not yet issued",
    "an unknown notice step",
    "escalations",
    "an escalation",
    "recommend a notice after an escalation",
    "escalate Ashfield",
    "concern meetings",
    "record a concern meeting",
    "a concern meeting",
    "inspections",
    "log a notice of inspection",
    "an inspection",
    "inspection feedback",
    "inspection outcome",
]


def test_every_role_gets_exactly_what_it_may_see(client, everyone, pages):
    assert_each_page_by_role(client, everyone, pages, PAGE_NAMES)


def test_the_matrix_covers_every_statutory_page(pages):
    from boards.urls import urlpatterns

    # Every statutory page that answers GET; the one POST-only step (an unsent letter written again in
    # another language) has its own tests (tests/boards/test_welsh_letters.py).
    statutory = {
        p.name
        for p in urlpatterns
        if p.callback.__module__ == "boards.statutory_views" and access_for(f"boards:{p.name}").get
    }
    assert len(statutory) == 23
    assert {resolve(url).url_name for url, _ in pages.values()} == statutory
    assert set(PAGE_NAMES) == set(pages)


# Letters ---------------------------------------------------------------------------------------------------


def test_a_letter_reaches_its_head_only_once_sent(client, olivia, hannah, draft, today):
    url = reverse("boards:letter", args=[draft.pk])
    client.force_login(hannah)
    assert client.get(url).status_code == 404
    assert client.get(reverse("boards:letter-pdf", args=[draft.pk])).status_code == 404

    client.force_login(olivia)
    page = _text(client.get(url))
    assert "Record as sent" in page
    assert "The chair of governors, Ashfield Primary School" in page  # recipients prefilled
    response = client.post(url, {**_date("sent_on", today), "recipients": "Hannah Head\nThe chair of governors"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.sent_on, draft.sent_by, draft.recipients) == (today, olivia, "Hannah Head\nThe chair of governors")
    assert draft.decision.communicated_on == today

    client.force_login(hannah)
    page = _text(client.get(url))
    assert RATIONALE in page
    assert "Record as sent" not in page
    assert client.get(reverse("boards:letter-pdf", args=[draft.pk])).status_code == 200
    # Only officers record a letter as sent.
    assert client.post(url, {**_date("sent_on", today), "recipients": "Hannah"}).status_code == 403


def test_a_letter_cannot_be_sent_in_the_future_or_twice(client, olivia, draft, today):
    url = reverse("boards:letter", args=[draft.pk])
    client.force_login(olivia)
    response = client.post(url, {**_date("sent_on", today + timedelta(days=3)), "recipients": draft.recipients})
    assert response.status_code == 400
    assert response.context["form"].errors == {"sent_on": ["A letter cannot be sent in the future"]}
    assert "<title>Error: " in response.content.decode()
    draft.refresh_from_db()
    assert draft.sent_on is None

    client.post(url, {**_date("sent_on", today), "recipients": draft.recipients})
    response = client.post(url, {**_date("sent_on", today), "recipients": draft.recipients})
    assert response.status_code == 400
    assert "This letter has already been sent." in _text(response)


def test_the_letter_pdf_holds_the_school_the_rationale_and_the_date(client, hannah, sent):
    client.force_login(hannah)
    response = client.get(reverse("boards:letter-pdf", args=[sent.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="letter-103001-{sent.dated:%Y-%m-%d}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Ashfield Primary School" in text
    assert RATIONALE in text
    assert _long(sent.dated) in text
    assert "Birmingham" in text  # the letterhead


def test_the_letters_list_filters_by_sent_and_kind(client, olivia, ashfield, sent, castle):
    services.draft_letter(school=castle, kind=LetterKind.CONCERN, by=olivia)
    client.force_login(olivia)
    everything = _text(client.get(reverse("boards:letters")))
    assert "Ashfield Primary School" in everything
    assert "Castle Secondary School" in everything
    not_sent = _text(client.get(reverse("boards:letters"), {"sent": "no"}))
    assert "Castle Secondary School" in not_sent
    assert "Ashfield Primary School" not in not_sent
    concern = _text(client.get(reverse("boards:letters"), {"kind": LetterKind.PRIORITY}))
    assert "Ashfield Primary School" in concern
    assert "Castle Secondary School" not in concern


def test_the_annual_letters_are_written_for_every_maintained_school_of_the_la(
    client, olivia, ashfield, beacon_hill, castle, birmingham
):
    beacon_hill.type_group_name = "Academies"  # an academy gets no letter from the LA's review
    beacon_hill.save()
    oak = SchoolFactory(name="Oak Lane Nursery School", la=birmingham)
    year = services.support_selectors.current_year()
    PriorityEntryFactory(
        school=ashfield, academic_year=year, reason=PriorityEntry.Reason.OFSTED_RI, status=PriorityEntry.Status.ON_LIST
    )
    client.force_login(olivia)
    page = client.get(reverse("boards:annual-letters")).content.decode()
    assert f'value="{year}"' in page
    response = client.post(reverse("boards:annual-letters"), {"la": birmingham.pk, "year": year}, follow=True)
    assert "2 letters written" in _text(response)
    assert "Oak Lane Nursery School" in _text(response)  # the list of letters not sent yet
    kinds = dict(Letter.objects.values_list("school__urn", "kind"))
    assert kinds == {ashfield.urn: LetterKind.PRIORITY, oak.urn: LetterKind.NOT_PRIORITY}
    # Again: every school already has its letter.
    response = client.post(reverse("boards:annual-letters"), {"la": birmingham.pk, "year": year}, follow=True)
    assert "No new letters" in _text(response)
    assert Letter.objects.count() == 2


def test_the_templates_page_lists_the_four_letters_and_the_merge_fields(client, olivia):
    client.force_login(olivia)
    page = _text(client.get(reverse("boards:letter-templates")))
    for kind in LetterKind:
        assert kind.label in page
        assert reverse("boards:edit-template", args=[kind.value]) in page
    assert "{school_name}" in page
    assert "The board's rationale" in page


def test_a_template_with_an_unknown_merge_field_is_refused_at_the_field(client, olivia):
    template = LetterTemplate.objects.get(kind=LetterKind.PRIORITY)
    before = (template.subject, template.body)
    client.force_login(olivia)
    url = reverse("boards:edit-template", args=[LetterKind.PRIORITY])
    response = client.post(
        url, {"subject": template.subject, "body": "Dear {headteacher}, {shcool_name} is a priority."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert response.context["form"].errors == {"body": ["Unknown merge fields: {shcool_name}. Use only those listed."]}
    assert 'id="id_body_1_error"' in page  # the message is at the field, not only in the summary
    assert "Unknown merge fields: {shcool_name}. Use only those listed." in _text(response)
    template.refresh_from_db()
    assert (template.subject, template.body) == before

    # A typo in the subject is shown at the subject.
    response = client.post(url, {"subject": "{school_nam}: a priority", "body": template.body})
    assert "Unknown merge fields: {school_nam}" in _text(response)
    assert response.context["form"].errors.keys() == {"subject"}
    template.refresh_from_db()
    assert (template.subject, template.body) == before


def test_an_officer_changes_a_template_and_new_letters_use_it(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.post(
        reverse("boards:edit-template", args=[LetterKind.CONCERN]),
        {"subject": "Concern about {school_name}", "body": "Dear {headteacher},\n\nWe are concerned: {rationale}"},
    )
    assert response.status_code == 302
    letter = services.draft_letter(school=ashfield, kind=LetterKind.CONCERN, by=olivia)
    assert letter.subject == "Concern about Ashfield Primary School"
    assert LetterTemplate.objects.get(kind=LetterKind.CONCERN).updated_by == olivia


# Warning notices ----------------------------------------------------------------------------------------------


def _step(client, notice, step, **data):
    return client.post(reverse("boards:notice-step", args=[notice.pk, step]), data)


def test_a_notice_cannot_be_lifted_before_it_is_issued(client, olivia, notice, today):
    client.force_login(olivia)
    url = reverse("boards:notice-step", args=[notice.pk, "lift"])
    why = "A notice can be lifted only after the school has complied with it. This notice is recommended."
    assert why in _text(client.get(url))
    response = client.post(url, {**_date("on", today), "comment": "All done"})
    assert response.status_code == 200
    page = _text(response)
    assert why in page
    assert "<title>Error: " in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == WarningNotice.Status.RECOMMENDED
    assert notice.lifted_on is None


def test_issuing_sets_the_deadline_and_a_church_schools_diocese_receives_the_notice(client, olivia, birmingham, today):
    school = SchoolFactory(
        name="St Chad's CofE Primary School",
        la=birmingham,
        religious_character="Church of England",
        diocese_name="Birmingham",
        head_first_name="Grace",
        head_last_name="Okafor",
    )
    services.decide(school=school, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=NOTICE_RATIONALE, by=olivia)
    notice = WarningNotice.objects.get(school=school)
    client.force_login(olivia)
    page = _text(client.get(notice.get_absolute_url()))
    assert "Record that the DCS accepted the recommendation" in page
    assert "Record the notice as issued" not in page

    issued = today - timedelta(days=2)
    WarningNotice.objects.filter(pk=notice.pk).update(recommended_on=today - timedelta(days=9))
    response = _step(client, notice, "accept", **_date("on", issued), comment="Agreed")
    assert response.status_code == 302
    # Issue without a ground or a period: the errors are at the fields.
    response = _step(client, notice, "issue", **_date("on", issued))
    assert set(response.context["form"].errors) == {"grounds", "required_action", "compliance_period_days"}
    response = _step(
        client,
        notice,
        "issue",
        **_date("on", issued),
        grounds=[WarningNotice.Ground.LOW_STANDARDS, WarningNotice.Ground.BREAKDOWN],
        required_action=REQUIRED_ACTION,
        compliance_period_days="28",
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == WarningNotice.Status.ISSUED
    assert notice.issued_on == issued
    assert notice.compliance_deadline == issued + timedelta(days=28)
    assert "The diocese of Birmingham" in notice.recipients.splitlines()
    assert notice.dcs_comment == "Agreed"
    page = _text(client.get(notice.get_absolute_url(), follow=True))
    assert "The diocese of Birmingham" in page
    assert _long(issued + timedelta(days=28)) in page
    assert "Standards of performance are unacceptably low" in page
    assert "Due soon" not in page  # 26 days left
    assert "Record that the school has complied" in page


def test_an_issued_notice_past_its_deadline_is_overdue_on_the_list(client, olivia, bella, notice, today):
    WarningNotice.objects.filter(pk=notice.pk).update(recommended_on=today - timedelta(days=45))
    notice.refresh_from_db()
    services.notice_step(notice=notice, step="accept", by=olivia, on=today - timedelta(days=40))
    services.notice_step(
        notice=notice,
        step="issue",
        by=olivia,
        on=today - timedelta(days=35),
        grounds=[WarningNotice.Ground.SAFETY],
        required_action=REQUIRED_ACTION,
        compliance_period_days=28,
    )
    for who in (olivia, bella):
        client.force_login(who)
        page = _text(client.get(reverse("boards:notices")))
        assert "Overdue" in page
        assert "Ashfield Primary School" in page
    # A board member follows the notice but takes no step.
    page = _text(client.get(notice.get_absolute_url()))
    assert NOTICE_RATIONALE in page
    assert "Record that the school has complied" not in page
    assert _step(client, notice, "comply", **_date("on", today)).status_code == 403


def test_the_board_member_sees_only_notices_of_schools_on_the_list(client, bella, notice, castle_notice):
    client.force_login(bella)
    page = _text(client.get(reverse("boards:notices")))
    assert "Ashfield Primary School" in page
    assert "Castle Secondary School" not in page


def test_an_academys_recommendation_is_referred_not_issued(client, olivia, birmingham, today):
    academy = SchoolFactory(name="Northfield Academy", la=birmingham, type_group_name="Academies")
    services.decide(school=academy, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=NOTICE_RATIONALE, by=olivia)
    notice = WarningNotice.objects.get(school=academy)
    client.force_login(olivia)
    page = _text(client.get(notice.get_absolute_url()))
    assert "Record the referral to the DfE regional director" in page
    assert "Record that the DCS accepted the recommendation" not in page
    response = _step(client, notice, "accept", **_date("on", today))
    assert "The LA does not issue warning notices to academies" in _text(response)
    assert _step(client, notice, "refer", **_date("on", today)).status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.referred_on) == (WarningNotice.Status.REFERRED, today)
    # The regional director gives the trust a termination warning notice: recorded, not issued by the LA.
    response = _step(client, notice, "rd_issue", **_date("on", today), **_date("comply_by", today + timedelta(30)))
    assert response.status_code == 302
    page = _text(client.get(notice.get_absolute_url()))
    assert f"Given {_long(today)} under the funding agreement, to be complied with by" in page
    assert "Record the outcome of the regional director's notice" in page
    assert "The warning notice (PDF)" not in page


def test_forms_beside_a_status_tag_render_as_govuk_form_groups(client, olivia, notice, escalation):
    # A context variable named like crispy's wrapper tag once turned every form group into <govuk-tag--blue>.
    client.force_login(olivia)
    page = client.get(reverse("boards:notice-step", args=[notice.pk, "accept"])).content.decode()
    assert '<div id="div_id_on" class="govuk-form-group">' in page
    page = client.get(reverse("boards:escalation", args=[escalation.pk])).content.decode()
    assert '<div id="div_id_outcome" class="govuk-form-group">' in page
    assert "<govuk-tag" not in page


def test_a_notice_step_cannot_be_dated_in_the_future(client, olivia, notice, today):
    client.force_login(olivia)
    response = _step(client, notice, "accept", **_date("on", today + timedelta(days=1)))
    assert response.context["form"].errors == {"on": ["The date cannot be in the future"]}
    notice.refresh_from_db()
    assert notice.status == WarningNotice.Status.RECOMMENDED


# Escalations --------------------------------------------------------------------------------------------------


def test_a_partner_escalates_their_own_school_but_not_another(client, alice, ashfield, beacon_hill):
    client.force_login(alice)
    response = client.post(reverse("boards:escalate", args=[ashfield.urn]), {"reason": "No plan agreed since May"})
    assert response.status_code == 302
    assert response["Location"] == ashfield.get_absolute_url()
    escalation = Escalation.objects.get()
    assert (escalation.school, escalation.raised_by, escalation.status) == (ashfield, alice, Escalation.Status.OPEN)

    assert client.get(reverse("boards:escalate", args=[beacon_hill.urn])).status_code == 404
    assert client.post(reverse("boards:escalate", args=[beacon_hill.urn]), {"reason": "x"}).status_code == 404
    assert Escalation.objects.count() == 1


def test_an_escalation_needs_a_reason(client, alice, ashfield):
    client.force_login(alice)
    response = client.post(reverse("boards:escalate", args=[ashfield.urn]), {"reason": " "})
    assert response.status_code == 200
    assert "Say what is preventing progress" in _text(response)
    assert not Escalation.objects.exists()


def test_seed_004_a_warning_notice_recommended_after_an_escalation_and_the_escalation_link_each_other(
    client, olivia, escalation, today
):
    client.force_login(olivia)
    url = reverse("boards:escalation-notice", args=[escalation.pk])
    response = client.post(url, {"rationale": "Still no plan after the EIG meeting."})
    notice = WarningNotice.objects.get(from_escalation=escalation)
    assert response.url == reverse("boards:notice", args=[notice.pk])
    assert (notice.school, notice.status, notice.recommended_on) == (
        escalation.school,
        WarningNotice.Status.RECOMMENDED,
        today,
    )
    page = _text(client.get(response.url))
    assert f"Recommended after the escalation of {_long(escalation.raised_on)}" in page
    assert reverse("boards:escalation", args=[escalation.pk]) in client.get(response.url).content.decode()
    page = client.get(reverse("boards:escalation", args=[escalation.pk])).content.decode()
    assert reverse("boards:notice", args=[notice.pk]) in page
    assert url not in page  # once per escalation
    response = client.post(url, {"rationale": "Again"})
    assert "A warning notice has already been recommended after this escalation." in _text(response)
    assert WarningNotice.objects.filter(from_escalation=escalation).count() == 1


def test_an_officer_takes_an_escalation_to_the_eig(client, olivia, escalation, today):
    client.force_login(olivia)
    assert "The head has cancelled the last three visits" in _text(client.get(reverse("boards:escalations")))
    url = reverse("boards:escalation", args=[escalation.pk])
    response = client.post(url, {"status": Escalation.Status.TO_EIG, "outcome": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "eig_meeting_on": ["Enter the date of the Education Improvement Group meeting"]
    }
    meeting = today + timedelta(days=7)
    response = client.post(url, {"status": Escalation.Status.TO_EIG, **_date("eig_meeting_on", meeting)})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.eig_meeting_on, escalation.updated_by) == (
        Escalation.Status.TO_EIG,
        meeting,
        olivia,
    )
    page = _text(client.get(reverse("boards:escalations")))
    assert "Taken to the Education Improvement Group" in page
    assert meeting.strftime("%b %Y") in page


# Schools-causing-concern meetings ----------------------------------------------------------------------------


def test_a_concern_meeting_with_an_unknown_urn_names_it(client, olivia, ashfield, beacon_hill, today):
    client.force_login(olivia)
    url = reverse("boards:new-concern-meeting")
    data = {**_date("held_on", today), "attendees": "School improvement, finance", "urns": "103001, 999999"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "There is no school with URN 999999" in _text(response)
    assert response.context["form"].errors.keys() == {"urns"}
    response = client.post(url, data | {"urns": "888888 999999"})
    assert "There are no schools with URNs 888888 and 999999" in _text(response)
    assert not ConcernMeeting.objects.exists()

    response = client.post(
        url,
        data
        | {
            "urns": "103001 139001,103001",
            "action_1": "Meet the chair of governors",
            "owner_1": "Governor services",
            **_date("deadline_1", today + timedelta(days=10)),
            "urn_1": "103001",
            "action_2": "An action with no owner",
        },
    )
    assert response.context["form"].errors == {
        "owner_2": ["Enter who owns action 2"],
        "deadline_2": ["Enter the deadline for action 2"],
    }
    del data["urns"]
    response = client.post(
        url,
        data
        | {
            "urns": "103001 139001,103001",
            "action_1": "Meet the chair of governors",
            "owner_1": "Governor services",
            **_date("deadline_1", today + timedelta(days=10)),
            "urn_1": "103001",
        },
    )
    meeting = ConcernMeeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert set(meeting.schools.all()) == {ashfield, beacon_hill}
    action = meeting.actions.get()
    assert (action.description, action.owner, action.school) == (
        "Meet the chair of governors",
        "Governor services",
        ashfield,
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("schools:detail", args=[ashfield.urn]) in page
    assert reverse("schools:detail", args=[beacon_hill.urn]) in page
    assert "Meet the chair of governors" in page


# Inspections of priority schools --------------------------------------------------------------------------------


def test_an_officer_logs_a_notice_with_a_current_partner_attending(client, olivia, alice, bob, ashfield, today):
    former = UserFactory(full_name="Fiona Former", role="partner")
    SchoolAssignmentFactory(user=former, school=ashfield, starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31))
    client.force_login(olivia)
    url = reverse("boards:new-inspection-notice", args=[ashfield.urn])
    page = client.get(url).content.decode()
    assert "Alice Partner" in page
    assert "Bob Partner" not in page
    assert "Fiona Former" not in page
    response = client.post(
        url, {**_date("notified_on", today), **_date("starts_on", today - timedelta(days=1)), "partner_attending": ""}
    )
    assert response.context["form"].errors == {
        "starts_on": ["The inspection starts on or after the day of notification"]
    }
    response = client.post(
        url,
        {**_date("notified_on", today), **_date("starts_on", today + timedelta(days=1)), "partner_attending": alice.pk},
    )
    notice = InspectionNotice.objects.get()
    assert response["Location"] == notice.get_absolute_url()
    assert (notice.partner_attending, notice.recorded_by) == (alice, olivia)


def test_the_inspections_page_finds_a_school_to_log_a_notice_for(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.get(reverse("boards:inspections"), {"urn": ashfield.urn})
    assert response["Location"] == reverse("boards:new-inspection-notice", args=[ashfield.urn])
    response = client.get(reverse("boards:inspections"), {"urn": "999999"})
    assert response.status_code == 200
    assert "There is no school with URN 999999" in _text(response)


def test_the_partner_attending_records_the_feedback(client, alice, olivia, ashfield, inspection_notice):
    other = UserFactory(full_name="Pat Partner", role="partner")
    SchoolAssignmentFactory(user=other, school=ashfield)
    url = reverse("boards:inspection-feedback", args=[inspection_notice.pk])
    client.force_login(other)
    assert client.get(reverse("boards:inspection", args=[inspection_notice.pk])).status_code == 200
    assert client.get(url).status_code == 403

    client.force_login(alice)
    response = client.post(url, {"feedback_notes": "Leaders know the school well.", "further_support_indicated": "no"})
    assert response["Location"] == inspection_notice.get_absolute_url()
    inspection_notice.refresh_from_db()
    assert (inspection_notice.feedback_notes, inspection_notice.further_support_indicated) == (
        "Leaders know the school well.",
        False,
    )
    # The form opens with what was recorded, to change it.
    assert client.get(url).context["form"].initial == {
        "feedback_notes": "Leaders know the school well.",
        "further_support_indicated": "no",
    }
    client.post(url, {"feedback_notes": "Still to hear.", "further_support_indicated": "unknown"})
    inspection_notice.refresh_from_db()
    assert inspection_notice.further_support_indicated is None
    client.force_login(olivia)
    page = _text(client.get(inspection_notice.get_absolute_url()))
    assert "Still to hear." in page
    assert "Not yet known" in page


def test_the_outcome_form_records_a_report_card_and_the_school_outcome_changes(
    client, olivia, ashfield, inspection_notice, django_capture_on_commit_callbacks
):
    assert ashfield.ofsted_outcome == ""
    client.force_login(olivia)
    url = reverse("boards:inspection-outcome", args=[inspection_notice.pk])
    page = client.get(url).content.decode()
    assert "Not inspected" in page
    assert "Needs attention" in page
    grades = {
        "rc_inclusion": "3",
        "rc_curriculum_and_teaching": "4",
        "rc_achievement": "3",
        "rc_attendance_and_behaviour": "3",
        "rc_personal_development": "2",
        "rc_leadership_and_governance": "3",
        "rc_early_years": "",
        "rc_post_16": "",
    }
    response = client.post(url, {**grades, "rc_achievement": "", "safeguarding_met": "yes"})
    assert response.context["form"].errors == {"rc_achievement": ["Choose the grade for achievement"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**grades, "safeguarding_met": "yes"})
    assert response.status_code == 302
    inspection_notice.refresh_from_db()
    inspection = inspection_notice.inspection
    assert inspection.shape == "report_card"
    assert (inspection.rc_curriculum_and_teaching, inspection.rc_early_years, inspection.rc_safeguarding_met) == (
        4,
        None,
        True,
    )
    ashfield.refresh_from_db()
    assert ashfield.ofsted_outcome == "rc_needs_attention"
    assert ashfield.latest_inspection == inspection
    page = _text(client.get(inspection_notice.get_absolute_url()))
    assert inspection.summary in page
    assert "Record the outcome" not in page
    # A second outcome is refused with the reason.
    response = client.post(url, {**grades, "safeguarding_met": "yes"})
    assert "The outcome of this inspection is already recorded." in _text(response)


# Warning notices: the dates on the form, the documents ------------------------------------------------------------


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_dcs_response_before_the_recommendation_shows_on_the_date_field(client, olivia, bella, notice, today):
    WarningNotice.objects.filter(pk=notice.pk).update(recommended_on=today - timedelta(days=3))
    client.force_login(olivia)
    response = _step(client, notice, "accept", **_date("on", today - timedelta(days=4)))
    assert response.context["form"].errors == {
        "on": [
            f"The DCS response date ({_long(today - timedelta(days=4))}) must be on or after the date the board "
            f"recommended the notice ({_long(today - timedelta(days=3))})"
        ]
    }
    assert _step(client, notice, "accept", **_date("on", today), comment="Go ahead").status_code == 302
    # The board follows the DCS's response on the notice.
    client.force_login(bella)
    page = _text(client.get(notice.get_absolute_url()))
    assert f"Accepted on {_long(today)}" in page


def test_seed_004_the_dcs_is_told_of_the_recommendation_with_its_rationale_grounds_and_evidence(
    client, olivia, notice, today
):
    client.force_login(olivia)
    assert "The recommendation to the DCS (PDF)" in _text(client.get(notice.get_absolute_url()))
    response = client.get(reverse("boards:notice-recommendation-pdf", args=[notice.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="warning-notice-recommendation-103001-{today:%Y-%m-%d}.pdf"'
    )
    text = _pdf_text(response)
    assert "The Director of Children's Services" in text
    assert "Ashfield Primary School" in text
    assert NOTICE_RATIONALE in text
    assert "Education and Inspections Act 2006, s60" in text
    assert "Standards of performance are unacceptably low" in text  # the grounds the DCS may rely on
    assert "Priority for support" in text
    assert "Latest inspection" in text


def test_the_warning_notice_is_addressed_to_the_governing_body_with_the_deadline_and_the_powers(
    client, olivia, birmingham, today
):
    school = SchoolFactory(
        name="St Chad's CofE Primary School",
        la=birmingham,
        religious_character="Church of England",
        diocese_name="Birmingham",
        head_first_name="Grace",
        head_last_name="Okafor",
    )
    services.decide(school=school, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=NOTICE_RATIONALE, by=olivia)
    notice = WarningNotice.objects.get(school=school)
    services.notice_step(notice=notice, step="accept", by=olivia, on=today)
    services.notice_step(
        notice=notice,
        step="issue",
        by=olivia,
        on=today,
        grounds=[WarningNotice.Ground.SAFETY],
        required_action=REQUIRED_ACTION,
        compliance_period_days=28,
    )
    client.force_login(olivia)
    assert "The warning notice (PDF)" in _text(client.get(notice.get_absolute_url()))
    text = _pdf_text(client.get(reverse("boards:notice-pdf", args=[notice.pk])))
    assert "To: The governing body of St Chad's CofE Primary School" in text
    assert "For the attention of: The chair of governors" in text
    assert "Copied to: Grace Okafor, headteacher; The diocese of Birmingham" in text
    assert "Education and Inspections Act 2006, s60" in text
    assert "The safety of pupils or staff is threatened" in text
    assert REQUIRED_ACTION in text
    assert f"within 28 days of the date of this notice: by {_long(today + timedelta(days=28))}" in text
    assert "sections 63 to 66" in text
    assert "interim executive board (section 65)" in text
    assert "reasonable written notice" in text
