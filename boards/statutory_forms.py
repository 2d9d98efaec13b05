"""Forms for the board's statutory pages: letters, warning notices, escalations, schools-causing-concern
meetings and inspections of priority schools (crispy-forms-gds; dates use the GOV.UK date input)."""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.models import User
from boards import merge, notices
from boards.models import Escalation, LetterKind, LetterLanguage, WarningNotice
from schools import ofsted
from schools.access import remit
from schools.models import LocalAuthority
from support.forms import _date, helper
from support.selectors import current_year

# Letters ------------------------------------------------------------------------------------------------


class LetterFilterForm(forms.Form):
    sent = forms.ChoiceField(
        label="Sent",
        choices=[("", "Sent and not sent"), ("no", "Not sent yet"), ("yes", "Sent")],
        required=False,
    )
    kind = forms.ChoiceField(label="Kind of letter", choices=[("", "All kinds"), *LetterKind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("sent"),
            Field.select("kind"),
            Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
        )

    def filter(self, letters):
        if not self.is_valid():
            return letters
        sent, kind = self.cleaned_data.get("sent"), self.cleaned_data.get("kind")
        if sent == "yes":
            letters = letters.filter(sent_on__isnull=False)
        elif sent == "no":
            letters = letters.filter(sent_on__isnull=True)
        if kind:
            letters = letters.filter(kind=kind)
        return letters


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Language of the letters",
        choices=LetterLanguage.choices,
        widget=forms.RadioSelect,
        help_text="Bilingual letters give the Welsh first, then the English, as the Welsh Language Standards ask",
        error_messages={"required": "Choose the language of the letters"},
    )


class AnnualLettersForm(forms.Form):
    la = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        empty_label="Choose the local authority",
        error_messages={"required": "Choose the local authority"},
    )
    year = forms.IntegerField(
        label="Academic year",
        min_value=2000,
        max_value=2100,
        help_text="The year the academic year starts: 2026 is 2026/27",
        error_messages={"required": "Enter the academic year"},
    )

    def __init__(self, *args, language: str | None = None, **kwargs):
        """``language``: the default language of an authority in Wales, which then chooses one;
        None for an authority in England, whose letters are in English."""
        kwargs.setdefault("initial", {"year": current_year(), "language": language})
        super().__init__(*args, **kwargs)
        fields = [Field.select("la"), Field.text("year", field_width=4)]
        if language is not None:
            self.fields["language"] = _language_field()
            fields.append(Field.radios("language", legend_size=Size.SMALL))
        self.helper = helper(*fields, submit="Write the letters for the year")


class SentForm(forms.Form):
    sent_on = _date("Date sent")
    recipients = forms.CharField(
        label="Sent to",
        widget=forms.Textarea,
        help_text="One recipient a line",
        error_messages={"required": "Enter who the letter went to"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("sent_on"), Field.textarea("recipients", rows=3), submit="Record as sent")


def _unknown_fields_message(text: str) -> str:
    unknown = merge.unknown_fields(text)
    if not unknown:
        return ""
    return "Unknown merge fields: " + ", ".join("{" + u + "}" for u in unknown) + ". Use only those listed."


class TemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter the subject"})
    body = forms.CharField(label="Letter", widget=forms.Textarea, error_messages={"required": "Enter the letter"})

    def __init__(self, *args, welsh: bool = False, **kwargs):
        """``welsh``: an authority in Wales edits the Welsh wording too."""
        super().__init__(*args, **kwargs)
        fields = [Field.text("subject"), Field.textarea("body", rows=20)]
        if welsh:
            self.fields["subject_cy"] = forms.CharField(label="Subject in Welsh (Pwnc)", max_length=200, required=False)
            self.fields["body_cy"] = forms.CharField(
                label="Letter in Welsh (Llythyr)",
                widget=forms.Textarea,
                required=False,
                help_text="Leave the Welsh subject and letter empty to write this letter in English only",
            )
            fields += [Field.text("subject_cy"), Field.textarea("body_cy", rows=20)]
        self.helper = helper(*fields, submit="Save the template")

    def _merge_fields_known(self, name: str) -> str:
        # The service checks every text together and reports at the body; a typo in a subject is
        # shown at the subject here.
        text = self.cleaned_data[name]
        message = _unknown_fields_message(text)
        if message:
            raise forms.ValidationError(message)
        return text

    def clean_subject(self):
        return self._merge_fields_known("subject")

    def clean_subject_cy(self):
        return self._merge_fields_known("subject_cy")


# Warning notices ---------------------------------------------------------------------------------------

DATE_LABELS = {
    notices.Step.ACCEPT: "Date of the DCS's response",
    notices.Step.DECLINE: "Date of the DCS's response",
    notices.Step.REFER: "Date of the referral",
    notices.Step.ISSUE: "Date the notice was issued",
    notices.Step.COMPLY: "Date the school complied",
    notices.Step.LIFT: "Date the notice was lifted",
    notices.Step.ESCALATE: "Date of the escalation",
    notices.Step.RD_ISSUE: "Date of the regional director's termination warning notice",
    notices.Step.RD_NO_NOTICE: "Date of the regional director's decision",
    notices.Step.RD_CLOSE: "Date of the outcome",
}
COMMENT_LABELS = {
    notices.Step.ACCEPT: "The DCS's comments",
    notices.Step.DECLINE: "Why the DCS declined",
}


class NoticeStepForm(forms.Form):
    on = _date("Date")
    grounds = forms.MultipleChoiceField(
        label="Grounds for the notice",
        choices=WarningNotice.Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Choose at least one ground for the notice"},
    )
    required_action = forms.CharField(
        label="What the governing body must do to comply",
        widget=forms.Textarea,
        help_text="The action the notice requires, as it will read in the notice",
        error_messages={"required": "Enter what the governing body must do to comply"},
    )
    compliance_period_days = forms.IntegerField(
        label="Compliance period in days",
        min_value=1,
        max_value=365,
        help_text="How long the governing body has to comply, counted from the date of issue. The LA sets the period: "
        "the law gives no minimum (Education and Inspections Act 2006, s60(1)(b), as amended in 2016)",
        error_messages={"required": "Enter the compliance period in days"},
    )
    recipients = forms.CharField(
        label="Sent to (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="One recipient a line. Leave blank for the governing body and the headteacher, and for a church "
        "school the diocese.",
    )
    escalation = forms.ChoiceField(
        label="How is the notice escalated?",
        choices=WarningNotice.Escalation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the notice is escalated"},
    )
    comply_by = _date("To be complied with by")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=WarningNotice.RdOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the regional director's notice"},
    )
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, step: notices.Step, welsh: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if welsh:
            # A school in Wales: the grounds of the School Standards and Organisation (Wales) Act 2013, s2.
            self.fields["grounds"].choices = WarningNotice.ground_choices(welsh=True)
            self.fields["recipients"].help_text = (
                "One recipient a line. Leave blank for the governing body, the headteacher, for a church school "
                "the diocese, and the Welsh Ministers."
            )
        self.fields["on"].label = DATE_LABELS[step]
        self.fields["on"].error_messages["required"] = (
            f"Enter the {DATE_LABELS[step][0].lower()}{DATE_LABELS[step][1:]}"
        )
        if step in COMMENT_LABELS:
            self.fields["comment"].label = f"{COMMENT_LABELS[step]} (optional)"
        layout = [Field("on")]
        if step == notices.Step.ISSUE:
            layout += [
                Field.checkboxes("grounds"),
                Field.textarea("required_action", rows=5),
                Field.text("compliance_period_days", field_width=4),
                Field.textarea("recipients", rows=4),
            ]
        else:
            for name in ("grounds", "required_action", "compliance_period_days", "recipients"):
                del self.fields[name]
        only = {"escalation": notices.Step.ESCALATE, "comply_by": notices.Step.RD_ISSUE}
        for name, when in (*only.items(), ("outcome", notices.Step.RD_CLOSE)):
            if step == when:
                layout.append(Field(name) if name == "comply_by" else Field.radios(name))
            else:
                del self.fields[name]
        layout.append(Field.textarea("comment", rows=3))
        self.helper = helper(*layout, submit=notices.STEP_LABELS[step])

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return on

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "comment": data.get("comment", ""),
            "grounds": data.get("grounds") or None,
            "compliance_period_days": data.get("compliance_period_days"),
            "required_action": data.get("required_action", ""),
            "recipients": data.get("recipients", ""),
            "escalation": data.get("escalation", ""),
            "comply_by": data.get("comply_by"),
            "outcome": data.get("outcome", ""),
        }


# Escalations ---------------------------------------------------------------------------------------------


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label="What is preventing progress?",
        widget=forms.Textarea,
        help_text="Say what has stalled, what you have tried and what you need from the local authority.",
        error_messages={"required": "Say what is preventing progress"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("reason", rows=6), submit="Escalate to the local authority")


class EscalationForm(forms.Form):
    status = forms.ChoiceField(
        label="Where does the escalation stand?",
        choices=Escalation.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the escalation stands"},
    )
    eig_meeting_on = _date("Date of the Education Improvement Group meeting", required=False)
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea, required=False, help_text="What was agreed, or how it was resolved"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("status"), Field("eig_meeting_on"), Field.textarea("outcome", rows=4), submit="Save"
        )


class EscalationNoticeForm(forms.Form):
    rationale = forms.CharField(
        label="Why is a formal warning notice needed?",
        widget=forms.Textarea,
        help_text="The non-compliance or lack of progress since the escalation, for the Director of Children's "
        "Services' decision.",
        error_messages={"required": "Enter why a formal warning notice is needed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("rationale", rows=6), submit="Recommend a formal warning notice")


# Schools-causing-concern meetings ----------------------------------------------------------------------

_URN_SEPARATORS = re.compile(r"[\s,;]+")


def _urns(text: str) -> list[str]:
    return [u for u in _URN_SEPARATORS.split(text or "") if u]


def _unknown_urn_message(unknown: list[str]) -> str:
    if len(unknown) == 1:
        return f"There is no school with URN {unknown[0]}"
    return f"There are no schools with URNs {', '.join(unknown[:-1])} and {unknown[-1]}"


class ConcernMeetingForm(forms.Form):
    ACTIONS = 3

    held_on = _date("Date of the meeting")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea,
        help_text="For example: school improvement, finance, HR and governor services",
        error_messages={"required": "Enter who attended"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    urns = forms.CharField(
        label="Schools discussed",
        required=False,
        help_text="The URNs of the schools, separated by commas or spaces. For example, 103001, 139001",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [
            Field("held_on"),
            Field.textarea("attendees", rows=2),
            Field.textarea("notes", rows=6),
            Field.text("urns"),
        ]
        for n in range(1, self.ACTIONS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label="Action agreed", required=False)
            self.fields[f"owner_{n}"] = forms.CharField(label="Who owns it", required=False, max_length=200)
            self.fields[f"deadline_{n}"] = _date("Deadline", required=False)
            self.fields[f"urn_{n}"] = forms.IntegerField(
                label="URN of the school it is about (optional)", required=False
            )
            layout.append(
                Fieldset(
                    Field.text(f"action_{n}"),
                    Field.text(f"owner_{n}", field_width=20),
                    Field(f"deadline_{n}"),
                    Field.text(f"urn_{n}", field_width=10),
                    legend=f"Action {n}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = helper(*layout, submit="Record the meeting")

    def clean_urns(self):
        urns = _urns(self.cleaned_data["urns"])
        not_numbers = [u for u in urns if not u.isdigit()]
        if not_numbers:
            raise forms.ValidationError(
                f"Enter URNs as numbers: {', '.join(not_numbers)} {'is' if len(not_numbers) == 1 else 'are'} not a URN"
            )
        found = dict(remit().filter(urn__in=[int(u) for u in urns]).values_list("urn", "pk"))
        unknown = list(dict.fromkeys(u for u in urns if int(u) not in found))
        if unknown:
            raise forms.ValidationError(_unknown_urn_message(unknown))
        return list(dict.fromkeys(found[int(u)] for u in urns))

    def clean(self):
        data = super().clean()
        actions = []
        for n in range(1, self.ACTIONS + 1):
            description, owner, deadline, urn = (data.get(f"{k}_{n}") for k in ("action", "owner", "deadline", "urn"))
            if not description:
                if owner or deadline or urn:
                    self.add_error(f"action_{n}", f"Describe action {n}")
                continue
            if not owner and f"owner_{n}" not in self.errors:
                self.add_error(f"owner_{n}", f"Enter who owns action {n}")
            if not deadline and f"deadline_{n}" not in self.errors:
                self.add_error(f"deadline_{n}", f"Enter the deadline for action {n}")
            school_id = None
            if urn is not None:
                school_id = remit().filter(urn=urn).values_list("pk", flat=True).first()
                if school_id is None:
                    self.add_error(f"urn_{n}", _unknown_urn_message([str(urn)]))
            actions.append((description, owner or "", deadline, school_id))
        data["actions"] = actions
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "attendees": data["attendees"],
            "notes": data.get("notes", ""),
            "school_ids": data["urns"],
            "actions": data["actions"],
        }


# Inspections of priority schools -----------------------------------------------------------------------


class FindSchoolForm(forms.Form):
    urn = forms.IntegerField(
        label="URN of the school",
        error_messages={"required": "Enter the school's URN", "invalid": "Enter the URN as a number"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("urn", field_width=10),
            Submit("log", "Log a notice of inspection", css_class="govuk-button--secondary"),
        )

    def clean_urn(self):
        urn = self.cleaned_data["urn"]
        if not remit().filter(urn=urn).exists():
            raise forms.ValidationError(_unknown_urn_message([str(urn)]))
        return urn


class InspectionNoticeForm(forms.Form):
    notified_on = _date("Date Ofsted notified the school")
    starts_on = _date("Date the inspection starts")
    partner_attending = forms.ModelChoiceField(
        label="Priority partner attending (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No partner attending",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_attending"].queryset = partners
        self.helper = helper(
            Field("notified_on"), Field("starts_on"), Field.select("partner_attending"), submit="Log the notice"
        )


FURTHER_SUPPORT = {"yes": True, "no": False, "unknown": None}


class FeedbackForm(forms.Form):
    feedback_notes = forms.CharField(
        label="Notes of the feedback",
        widget=forms.Textarea,
        help_text="What the inspectors said at the final feedback meeting",
        error_messages={"required": "Enter the notes of the feedback"},
    )
    further_support_indicated = forms.ChoiceField(
        label="Does the feedback indicate the school needs further support?",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not yet known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the feedback indicates further support"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.textarea("feedback_notes", rows=8),
            Field.radios("further_support_indicated"),
            submit="Save the feedback",
        )

    def values(self) -> dict:
        return {
            "feedback_notes": self.cleaned_data["feedback_notes"],
            "further_support_indicated": FURTHER_SUPPORT[self.cleaned_data["further_support_indicated"]],
        }

    @staticmethod
    def initial_for(notice) -> dict:
        chosen = {True: "yes", False: "no"}.get(notice.further_support_indicated, "unknown")
        return {
            "feedback_notes": notice.feedback_notes,
            "further_support_indicated": chosen if notice.feedback_notes else None,
        }


OPTIONAL_AREAS = {"rc_early_years", "rc_post_16"}


class OutcomeForm(forms.Form):
    safeguarding_met = forms.ChoiceField(
        label="Are the safeguarding standards met?",
        choices=[("yes", "Met"), ("no", "Not met")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the safeguarding standards are met"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = [(str(grade), label) for grade, label in ofsted.REPORT_CARD_GRADES.items()]
        layout = []
        for area in ofsted.REPORT_CARD_AREAS:
            optional = area.field in OPTIONAL_AREAS
            self.fields[area.field] = forms.TypedChoiceField(
                label=area.label,
                choices=[("", "Not inspected" if optional else "Choose a grade"), *grades],
                coerce=int,
                empty_value=None,
                required=not optional,
                error_messages={"required": f"Choose the grade for {area.label.lower()}"},
            )
            layout.append(Field.select(area.field))
        layout.append(Field.radios("safeguarding_met", inline=True))
        self.helper = helper(*layout, submit="Record the outcome")

    def values(self) -> dict:
        return {
            "grades": {area.field: self.cleaned_data.get(area.field) for area in ofsted.REPORT_CARD_AREAS},
            "safeguarding_met": self.cleaned_data["safeguarding_met"] == "yes",
        }
