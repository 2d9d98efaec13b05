"""Forms for Birmingham's annual identification: the visit to the head of a newly vulnerable school
and the September notification of academies of concern."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from accounts.models import Role, User
from accounts.selectors import working_here
from boards.annual_selectors import AcademyConcern
from boards.models import VulnerabilityVisit
from schools.models import School
from support.forms import _date, helper


class VulnerabilityVisitForm(forms.Form):
    contacted_on = _date("Date the headteacher was contacted")
    visited_on = _date("Date of the visit")
    visited_by = forms.ModelChoiceField(
        label="Who visited", queryset=User.objects.none(), error_messages={"required": "Select who visited"}
    )
    outcome = forms.ChoiceField(
        label="What was agreed with the headteacher",
        choices=VulnerabilityVisit.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was agreed"},
    )
    reasons = forms.CharField(
        label="What was discussed and why",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was discussed and why this was agreed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_by"].queryset = (
            working_here(Role.LA_OFFICER) | working_here(Role.PRIORITY_PARTNER)
        ).distinct()
        self.helper = helper(
            Field("contacted_on"),
            Field("visited_on"),
            Field.select("visited_by"),
            Field.radios("outcome"),
            Field.textarea("reasons", rows=4),
            submit="Record the visit",
        )


class AcademyNotificationForm(forms.Form):
    notified_on = _date("Date notified")
    schools = forms.ModelMultipleChoiceField(
        label="Academies notified",
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the academies notified"},
    )
    to_regional_director = forms.BooleanField(label="Sent to the DfE regional director", required=False, initial=True)
    to_improvement_group = forms.BooleanField(
        label="Sent to the Education Improvement Group", required=False, initial=True
    )
    summary = forms.CharField(
        label="The letter or summary sent",
        widget=forms.Textarea,
        error_messages={"required": "Enter the letter or summary sent"},
    )

    def __init__(self, *args, concerns: list[AcademyConcern], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["schools"]
        field.queryset = School.objects.filter(pk__in=[c.school.pk for c in concerns])
        field.initial = [c.school.pk for c in concerns]
        field.label_from_instance = lambda s: f"{s.name} (URN {s.urn})"
        self.helper = helper(
            Field("notified_on"),
            Field.checkboxes("schools"),
            Field.checkbox("to_regional_director"),
            Field.checkbox("to_improvement_group"),
            Field.textarea("summary", rows=6),
            submit="Record the notification",
        )
