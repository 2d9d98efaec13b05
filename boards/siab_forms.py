"""Forms for Birmingham's advisory board membership and Education Improvement Group meetings (seed 004)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset
from django import forms

from accounts.models import Role, User
from boards.models import BoardMembership
from support.forms import _date, helper


class MembershipForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Board member",
        queryset=User.objects.none(),
        empty_label="Choose a board member",
        error_messages={"required": "Choose a board member"},
    )
    basis = forms.ChoiceField(
        label="On what basis do they sit?",
        choices=BoardMembership.Basis.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    phase = forms.ChoiceField(
        label="Phase",
        choices=[("", "Choose the phase"), *BoardMembership.Phase.choices],
        required=False,
    )
    headship_urn = forms.IntegerField(
        label="URN of the school they lead or led",
        required=False,
        help_text="The board's headteachers are recently serving heads of the authority's schools",
    )
    headship_ended = forms.IntegerField(
        label="Year their headship ended",
        required=False,
        min_value=1950,
        help_text="For example, 2025. Leave empty if they are still serving",
        error_messages={"min_value": "Enter the year as four digits, for example 2025"},
    )
    chair = forms.BooleanField(label="Chairs the board", required=False)
    independent = forms.BooleanField(label="External and independent", required=False)
    remove = forms.BooleanField(label="No longer sits on the board", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(role=Role.BOARD_MEMBER, is_active=True).order_by(
            "full_name"
        )
        self.helper = helper(
            Field.select("member"),
            Field.radios("basis"),
            Fieldset(
                Field.select("phase"),
                Field.text("headship_urn", field_width=10),
                Field.text("headship_ended", field_width=4),
                legend="A recently serving headteacher",
            ),
            Fieldset(Field.checkbox("chair"), Field.checkbox("independent"), legend="The chair"),
            Field.checkbox("remove"),
            submit="Save the membership",
        )

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not data.get("basis"):
            self.add_error("basis", "Choose the basis on which they sit")
        return data


class EIGMeetingForm(forms.Form):
    held_on = _date("Date of the meeting")
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, error_messages={"required": "Enter the notes of the meeting"}
    )
    themes = forms.CharField(
        label="Themes or issues",
        widget=forms.Textarea,
        required=False,
        help_text="What could be addressed in a co-ordinated way: the schools causing concern meeting reviews them",
    )
    actions = forms.CharField(label="Actions agreed", widget=forms.Textarea, required=False)

    def __init__(self, *args, escalations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.escalations = list(escalations)
        names = []
        for escalation in self.escalations:
            name = f"outcome_{escalation.pk}"
            self.fields[name] = forms.CharField(
                label=f"{escalation.school.name}: outcome",
                help_text=f"Raised {escalation.raised_on:%-d %B %Y}: {escalation.reason}",
                widget=forms.Textarea,
                required=False,
            )
            names.append(name)
        discussed = [Fieldset(*[Field.textarea(n, rows=2) for n in names], legend="Escalations discussed")]
        self.helper = helper(
            Field("held_on"),
            Field.textarea("notes", rows=6),
            Field.textarea("themes", rows=3),
            Field.textarea("actions", rows=3),
            *(discussed if names else []),
            submit="Record the meeting",
        )

    @property
    def outcomes(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"outcome_{e.pk}") or "" for e in self.escalations}
