"""Forms for the priority list, board meetings, agendas and decisions (crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, ConditionalQuestion, ConditionalRadios, Field, Fieldset
from django import forms

from accounts.authorities import current_authority_id
from accounts.models import Role, User
from boards import agenda
from boards.models import BoardConstitution, Decision, DecisionVote, PriorityEntry
from core.widgets import QuickSelect
from schools.models import LocalAuthority
from support.forms import _date, helper
from support.models import EntitlementKind


class ProposeForm(forms.Form):
    la = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        empty_label="Every local authority",
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.select("la"), submit="Propose this year's list")


class AgreeListForm(forms.Form):
    """Agree the proposed list, leaving out any school with the reason."""

    rationale = forms.CharField(
        label="The board's rationale for the list",
        widget=forms.Textarea,
        error_messages={"required": "Enter the rationale for the list"},
    )

    def __init__(self, *args, entries: list[PriorityEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        layout = [Field.textarea("rationale", rows=4)]
        for entry in entries:
            self.fields[f"leave_{entry.pk}"] = forms.BooleanField(
                label=f"Leave {entry.school.name} off the list", required=False
            )
            self.fields[f"why_{entry.pk}"] = forms.CharField(
                label=f"Why {entry.school.name} is left off", required=False
            )
        self.helper = helper(*layout, submit="Agree the list")

    def clean(self):
        data = super().clean()
        self.leave_out = {}
        for entry in self.entries:
            if data.get(f"leave_{entry.pk}"):
                why = (data.get(f"why_{entry.pk}") or "").strip()
                if not why:
                    self.add_error(f"why_{entry.pk}", f"Say why {entry.school.name} is left off the list")
                self.leave_out[entry.pk] = why
        return data


class CarryForwardForm(forms.Form):
    rationale = forms.CharField(
        label="The rationale for the review",
        widget=forms.Textarea,
        error_messages={"required": "Enter the rationale for the review"},
    )

    def __init__(self, *args, entries: list[PriorityEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.fields["keep"] = forms.MultipleChoiceField(
            label="Schools to carry forward into next year",
            choices=[(str(e.pk), f"{e.school.name} (URN {e.school.urn})") for e in entries],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=[str(e.pk) for e in entries],
        )
        self.helper = helper(Field.checkboxes("keep"), Field.textarea("rationale", rows=4), submit="Save the review")


class ScheduleForm(forms.Form):
    first = _date("First meeting")
    until = _date("Last meeting on or before")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("first"), Field("until"), submit="Schedule fortnightly meetings")


class AddItemForm(forms.Form):
    urn = forms.IntegerField(label="URN of the school", error_messages={"required": "Enter the school's URN"})
    reason = forms.CharField(
        label="Why the board should review the school",
        widget=forms.Textarea,
        error_messages={"required": "Say why the school is added to the agenda"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("urn", field_width=10), Field.textarea("reason", rows=3), submit="Add to the agenda"
        )


class DropItemForm(forms.Form):
    reason = forms.CharField(
        label="Why the school is dropped from the agenda",
        widget=forms.Textarea,
        error_messages={"required": "Say why the school is dropped from the agenda"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("reason", rows=3), submit="Drop from the agenda")


class RecordMeetingForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label="Board members present",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = User.objects.filter(role=Role.BOARD_MEMBER, is_active=True).order_by(
            "full_name"
        )
        self.helper = helper(
            Field.checkboxes("present"), Field.textarea("minutes", rows=8), submit="Record the meeting"
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Decision",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the decision",
            "invalid_choice": "Choose one of the decisions offered for this school",
        },
    )
    reason = forms.ChoiceField(
        label="Reason the school is a priority",
        choices=PriorityEntry.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    support_kind = forms.ChoiceField(
        label="Support that changes",
        choices=[("", "Choose the kind of support"), *EntitlementKind.choices],
        required=False,
    )
    support_days = forms.DecimalField(
        label="Days to add (a minus sign takes days away)", decimal_places=1, max_digits=4, required=False
    )
    confirm_removal = forms.BooleanField(
        label="Remove the school although the removal criterion is not met", required=False
    )
    removal_override = forms.CharField(
        label="Why the school is removed although the criterion is not met", widget=forms.Textarea, required=False
    )
    category_code = forms.ChoiceField(label="Category", choices=[], required=False)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        help_text="Why the board decided this: it is kept with the decision and goes into any letter.",
        error_messages={"required": "Enter the rationale for the decision"},
    )

    def __init__(self, *args, removal_met: bool | None = None, categories=None, on_list: bool | None = None, **kwargs):
        """``categories``: the active framework's categories, which the board may agree for the school
        (seed 004); without them the form does not offer agreeing a category. ``on_list``: whether the
        school is on this year's priority list (``None``: not known, both offered); the form offers
        adding only a school not on it and removing only one on it, and refuses any other decision."""
        super().__init__(*args, **kwargs)
        offered = agenda.decisions_offered(on_list=on_list, categories=bool(categories))
        self.fields["kind"].choices = [c for c in Decision.Kind.choices if c[0] in offered]
        if categories:
            choices = [(c.code, str(c)) for c in categories]
            self.fields["category_code"].choices = [("", "Choose the category"), *choices]
        else:
            del self.fields["category_code"]
        removal_note = (
            "The removal criterion is not met for this school (see above): confirm to remove it anyway."
            if removal_met is False
            else "Only needed if the removal criterion is not met."
        )
        # The fields of each decision appear under it when it is chosen (GOV.UK conditional reveals);
        # without JavaScript they all show.
        branches = {
            Decision.Kind.ADD: [Field.radios("reason")],
            Decision.Kind.CHANGE_SUPPORT: [Field.select("support_kind"), Field.text("support_days", field_width=4)],
            Decision.Kind.REMOVE: [
                HTML(f'<p class="govuk-body">{removal_note}</p>'),
                Field.checkbox("confirm_removal"),
                Field.textarea("removal_override", rows=3),
            ],
            Decision.Kind.AGREE_CATEGORY: [Field.select("category_code")],
        }
        self.helper = helper(
            ConditionalRadios(
                "kind",
                *[ConditionalQuestion(label, *branches.get(value, [])) for value, label in self.fields["kind"].choices],
            ),
            Field.textarea("rationale", rows=5),
            submit="Record the decision",
        )


# The School Improvement Board (seed 002) ------------------------------------------------------------------------


class ConstitutionForm(forms.Form):
    kind = forms.ChoiceField(
        label="The authority's board is",
        choices=BoardConstitution.Kind.choices,
        widget=forms.RadioSelect,
        help_text="A School Improvement Board's members are two lead members of each consortium plus the "
        "LA's representation, which holds a single vote; its decisions are voted on.",
        error_messages={"required": "Choose what the authority's board is"},
    )
    la_representatives = forms.ModelMultipleChoiceField(
        label="The LA's representatives (one vote between them)",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la_representatives"].queryset = User.objects.filter(
            memberships__authority_id=current_authority_id(),
            memberships__role__in=[Role.LA_OFFICER, Role.ADMIN],
            is_active=True,
        ).order_by("full_name")
        self.helper = helper(Field.radios("kind"), Field.checkboxes("la_representatives"), submit="Save")


VOTE_CHOICES = [("", "Did not vote"), *DecisionVote.Vote.choices]


class VotedDecisionForm(DecisionForm):
    """The advisory board's decision form with the School Improvement Board's votes: one for each
    consortium lead with a seat, and one for the LA's representation."""

    la_vote = forms.ChoiceField(
        label="The LA's representation (a single vote)",
        choices=VOTE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, leads: list, la_names: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.leads = leads
        names = []
        for lead in leads:
            name = f"vote_{lead.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{lead.name} ({lead.consortium.name})",
                choices=VOTE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            names.append(name)
        if la_names:
            self.fields["la_vote"].help_text = f"However many of them attend: {la_names}"
        votes = Fieldset(*[Field.radios(n, inline=True) for n in [*names, "la_vote"]], legend="The members' votes")
        self.helper.layout.fields.insert(len(self.helper.layout.fields) - 2, votes)
        self.helper.layout.fields[-1].value = "Record the decision and the votes"

    @property
    def lead_votes(self) -> dict[int, str]:
        return {lead.pk: self.cleaned_data.get(f"vote_{lead.pk}") or "" for lead in self.leads}
