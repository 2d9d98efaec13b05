"""Forms for a partner's quality assurance, statutory assessment moderation and an Overview
school's single school or partnership option."""

from __future__ import annotations

import re

from crispy_forms_gds.layout import Field
from django import forms

from accounts.models import Role, User
from accounts.selectors import working_here
from support.forms import _date, helper
from support.models import (
    AssessmentModeration,
    OverviewOption,
    PartnerQualityRecord,
    PartnerTraining,
    SupportPackage,
    Visit,
)

RECORD_FIELDS = [
    "inducted_on",
    "self_assessed_on",
    "reviewed_on",
    "reviewed_by",
    "review_outcome",
    "shadowed_visit",
    "shadowed_by",
    "shadowing_feedback",
    "questionnaires_sent",
    "questionnaire_responses",
    "questionnaire_score",
    "questionnaire_summary",
]


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Visit) -> str:
        return f"{obj.scheduled_for:%-d %B %Y}: {obj.school.name}"


class QualityRecordForm(forms.Form):
    inducted_on = _date("Formal induction day", required=False)
    self_assessed_on = _date(
        "Self-assessment completed on",
        required=False,
        help_text="Engagement with schools, brokered support, pupil outcomes and Ofsted judgements",
    )
    reviewed_on = _date("Performance review held on", required=False, help_text="At the end of the summer term")
    reviewed_by = forms.ModelChoiceField(label="Review held by", queryset=User.objects.none(), required=False)
    review_outcome = forms.CharField(label="Outcome of the review", widget=forms.Textarea, required=False)
    shadowed_visit = VisitChoiceField(label="Visit shadowed", queryset=Visit.objects.none(), required=False)
    shadowed_by = forms.ModelChoiceField(
        label="Shadowed by", queryset=User.objects.none(), required=False, help_text="The DCSI or a board member"
    )
    shadowing_feedback = forms.CharField(label="Feedback to the partner", widget=forms.Textarea, required=False)
    questionnaires_sent = forms.IntegerField(
        label="Questionnaires sent to heads and chairs of governors", min_value=0, required=False
    )
    questionnaire_responses = forms.IntegerField(label="Responses", min_value=0, required=False)
    questionnaire_score = forms.DecimalField(
        label="Average score out of 5", min_value=1, max_value=5, decimal_places=1, required=False
    )
    questionnaire_summary = forms.CharField(label="What schools said", widget=forms.Textarea, required=False)

    def __init__(self, *args, record: PartnerQualityRecord | None, visits, **kwargs):
        if record is not None:
            kwargs.setdefault("initial", {name: getattr(record, name) for name in RECORD_FIELDS})
        super().__init__(*args, **kwargs)
        officers = working_here(Role.LA_OFFICER)
        self.fields["reviewed_by"].queryset = officers
        self.fields["shadowed_by"].queryset = (officers | working_here(Role.BOARD_MEMBER)).distinct()
        self.fields["shadowed_visit"].queryset = visits
        layout = []
        for name in RECORD_FIELDS:
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                layout.append(Field.select(name))
            elif isinstance(field.widget, forms.Textarea):
                layout.append(Field.textarea(name, rows=3))
            elif name.endswith("_on"):
                layout.append(Field(name))
            else:
                layout.append(Field.text(name, field_width=4))
        self.helper = helper(*layout, submit="Save the record")


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Training",
        choices=PartnerTraining.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of training"},
    )
    title = forms.CharField(label="Title", max_length=200, required=False)
    attended_on = _date("Attended on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("kind"), Field.text("title"), Field("attended_on"), submit="Add the training")


class ModerationForm(forms.Form):
    urn = forms.IntegerField(label="URN of the school", error_messages={"required": "Enter the school's URN"})
    stage = forms.ChoiceField(
        label="Assessment moderated",
        choices=AssessmentModeration.Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the assessment moderated"},
    )
    moderated_on = _date("Moderated on")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AssessmentModeration.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the school's judgements were agreed"},
    )
    moderator = forms.CharField(label="Moderator", max_length=200, error_messages={"required": "Enter the moderator"})
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("urn", field_width=10),
            Field.radios("stage"),
            Field("moderated_on"),
            Field.radios("outcome"),
            Field.text("moderator"),
            Field.textarea("notes", rows=3),
            submit="Record the moderation",
        )


class OverviewOptionForm(forms.Form):
    option = forms.ChoiceField(
        label="How the school takes its adviser's day",
        choices=OverviewOption.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the single school or the partnership option"},
    )
    partner_urns = forms.CharField(
        label="URNs of the partner schools",
        required=False,
        help_text="For the partnership option: separate them with spaces or commas",
    )

    def __init__(self, *args, package: SupportPackage | None, **kwargs):
        if package is not None:
            urns = " ".join(str(s.urn) for s in package.partner_schools.all())
            kwargs.setdefault("initial", {"option": package.overview_option, "partner_urns": urns})
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("option"), Field.text("partner_urns"), submit="Save the option")

    def clean_partner_urns(self) -> list[int]:
        text = self.cleaned_data["partner_urns"]
        if re.search(r"[^\d,\s]", text):
            raise forms.ValidationError("Enter URNs as numbers, separated by spaces or commas")
        return [int(urn) for urn in re.findall(r"\d+", text)]
