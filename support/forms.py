"""Forms for support pages (crispy-forms-gds). Dates use the GOV.UK date input."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Size
from django import forms

from accounts.models import Role, User
from accounts.selectors import working_here
from core.fields import GovukDateField
from core.forms import gds_helper
from support.models import (
    Action,
    BrokeredSupport,
    EntitlementKind,
    HeadteacherRecruitment,
    MeetingMember,
    NewHeadteacher,
    PartnerInterest,
    PartnerOrganisation,
    PartnerProfile,
    RiToGoodReview,
    StrategyProgress,
    Visit,
    VisitReport,
)


def helper(*fields, submit: str) -> FormHelper:
    return gds_helper(*fields, submit=submit)


def _date(label: str, required: bool = True, help_text: str = "For example, 27 3 2027") -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=help_text)


class VisitForm(forms.Form):
    purpose = forms.CharField(
        label="Purpose of the visit", max_length=300, error_messages={"required": "Enter the purpose"}
    )
    kind = forms.ChoiceField(
        label="Kind of visit", choices=Visit._meta.get_field("kind").choices, widget=forms.RadioSelect
    )
    scheduled_for = _date("Date of the visit")
    days = forms.DecimalField(label="Length in days", min_value=0.5, max_value=5, decimal_places=1, initial=1)
    visitor = forms.ModelChoiceField(label="Who will visit", queryset=User.objects.none(), required=False)

    def __init__(self, *args, officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.text("purpose"),
            Field.radios("kind"),
            Field("scheduled_for"),
            Field.text("days", field_width=4),
        ]
        if officer:
            self.fields["visitor"].queryset = working_here(Role.PRIORITY_PARTNER)
            self.fields["visitor"].required = True
            fields.append(Field.select("visitor"))
        else:
            del self.fields["visitor"]
        self.helper = helper(*fields, submit="Schedule the visit")


class HeldForm(forms.Form):
    held_on = _date("Date the visit took place")
    attended = forms.MultipleChoiceField(
        label="Who from the school attended",
        choices=[("headteacher", "The headteacher"), ("chair", "The chair of governors")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("held_on"), Field.checkboxes("attended"), submit="Record the visit as held")

    @classmethod
    def for_visit(cls, visit: Visit, today: date) -> HeldForm:
        """The date the visit was planned for, as most visits happen on the day booked; today
        when it was booked for a later day (recording it now means it came forward, and a visit
        cannot be held in the future)."""
        return cls(initial={"held_on": min(visit.scheduled_for, today)})


class ReportForm(forms.Form):
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea, required=False)
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, required=False, help_text="What was seen, read and heard"
    )
    findings = forms.CharField(label="Findings", widget=forms.Textarea, required=False)
    strengths = forms.CharField(label="Strengths", widget=forms.Textarea, required=False)
    areas_for_development = forms.CharField(label="Areas for development", widget=forms.Textarea, required=False)
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea, required=False)

    def __init__(self, *args, actions: list[Action] = (), updates: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field.textarea(name, rows=4) for name in self.fields]
        updates = updates or {}
        self.actions = list(actions)
        for action in self.actions:
            rag, comment = updates.get(action.pk, ("", ""))
            self.fields[f"rag_{action.pk}"] = forms.ChoiceField(
                label=f"Action: {action.description[:120]}",
                choices=[("", "No change recorded"), *Action.Rag.choices],
                required=False,
                initial=rag,
            )
            self.fields[f"comment_{action.pk}"] = forms.CharField(
                label="What the visit found about this action", required=False, initial=comment
            )
            layout += [Field.select(f"rag_{action.pk}"), Field.text(f"comment_{action.pk}")]
        self.helper = helper(*layout, submit="Save the draft")

    def updates(self) -> dict[int, tuple[str, str]]:
        return {
            a.pk: (self.cleaned_data[f"rag_{a.pk}"], self.cleaned_data[f"comment_{a.pk}"])
            for a in self.actions
            if self.cleaned_data.get(f"rag_{a.pk}")
        }


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label="Is the report accurate?",
        choices=VisitReport.Accuracy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the report is accurate"},
    )
    comment = forms.CharField(label="Your comments", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("response"), Field.textarea("comment", rows=4), submit="Send your response")


class QualityForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Moderation outcome",
        choices=VisitReport.Moderation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the moderation outcome"},
    )
    comment = forms.CharField(label="Feedback to the author", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("outcome"), Field.textarea("comment", rows=4), submit="Record quality assurance"
        )


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of support", choices=EntitlementKind.choices)
    change = forms.DecimalField(label="Days to add (use a minus sign to take away)", decimal_places=1, max_digits=5)
    reason = forms.CharField(label="Reason", widget=forms.Textarea, error_messages={"required": "Enter the reason"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.select("kind"),
            Field.text("change", field_width=4),
            Field.textarea("reason", rows=3),
            submit="Adjust the entitlement",
        )


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of support", choices=EntitlementKind.choices)
    partner = forms.ModelChoiceField(label="Partner or adviser", queryset=User.objects.none())
    days = forms.DecimalField(label="Days", decimal_places=1, max_digits=5, min_value=0.5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = working_here(Role.PRIORITY_PARTNER)
        self.helper = helper(
            Field.select("kind"), Field.select("partner"), Field.text("days", field_width=4), submit="Allocate the days"
        )


class BrokeredForm(forms.Form):
    provider_type = forms.ChoiceField(
        label="Provider",
        # Consultant governors are brokered on their own page, by a Welsh authority for amber and red schools.
        choices=[c for c in BrokeredSupport.Provider.choices if c[0] != BrokeredSupport.Provider.CONSULTANT_GOVERNOR],
    )
    provider = forms.CharField(label="Name of the provider", max_length=200)
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea, required=False)
    starts = _date("Start date")
    ends = _date("End date", required=False)
    days = forms.DecimalField(label="Days", decimal_places=1, max_digits=5, min_value=0, initial=0)
    cost = forms.DecimalField(label="Cost (£)", decimal_places=2, max_digits=9, min_value=0, initial=0)
    funding_source = forms.ChoiceField(label="Funded by", choices=BrokeredSupport.Funding.choices)
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea, required=False)
    leader = forms.ModelChoiceField(
        label="The NLE or LLE, if one of the authority's partners",
        queryset=PartnerProfile.objects.none(),
        required=False,
        help_text="Checked against the system leader criteria",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = PartnerProfile.objects.select_related("user")
        self.helper = helper(
            Field.select("provider_type"),
            Field.text("provider"),
            Field.select("leader"),
            Field.textarea("purpose", rows=2),
            Field("starts"),
            Field("ends"),
            Field.text("days", field_width=4),
            Field.text("cost", field_width=10),
            Field.select("funding_source"),
            Field.textarea("outcome", rows=2),
            submit="Record brokered support",
        )


class TradedForm(forms.Form):
    service = forms.CharField(label="Service bought", max_length=200)
    purchased_on = _date("Date bought")
    days = forms.DecimalField(label="Days", decimal_places=1, max_digits=5, min_value=0, initial=0)
    cost = forms.DecimalField(label="Cost (£)", decimal_places=2, max_digits=9, min_value=0, initial=0)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("service"),
            Field("purchased_on"),
            Field.text("days", field_width=4),
            Field.text("cost", field_width=10),
            Field.textarea("notes", rows=2),
            submit="Record the traded service",
        )


class NewHeadForm(forms.Form):
    name = forms.CharField(label="Name of the new headteacher", max_length=200)
    starts_on = _date("Start date")
    acting = forms.BooleanField(label="Acting or interim headteacher", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("name"), Field("starts_on"), Field.checkbox("acting"), submit="Record the new headteacher"
        )


class RecruitmentForm(forms.Form):
    started_on = _date("Recruitment started on")
    stage = forms.ChoiceField(label="Stage", choices=HeadteacherRecruitment.Stage.choices, widget=forms.RadioSelect)
    adviser = forms.ModelChoiceField(
        label="Adviser supporting the governors", queryset=User.objects.none(), required=False
    )
    appointed_name = forms.CharField(label="Name of the appointed headteacher", max_length=200, required=False)
    appointed_starts_on = _date("The appointed headteacher starts on", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, recruitment: HeadteacherRecruitment | None = None, **kwargs):
        if recruitment is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(recruitment, name) for name in self.base_fields} | {"adviser": recruitment.adviser_id},
            )
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = (
            working_here(Role.LA_OFFICER) | working_here(Role.PRIORITY_PARTNER)
        ).distinct()
        self.helper = helper(
            Field("started_on"),
            Field.radios("stage", inline=True),
            Field.select("adviser"),
            Field.text("appointed_name"),
            Field("appointed_starts_on"),
            Field.textarea("notes", rows=3),
            submit="Save the recruitment",
        )


class PriorityForm(forms.Form):
    title = forms.CharField(label="Priority", max_length=300, error_messages={"required": "Enter the priority"})
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.text("title"), Field.textarea("description", rows=3), submit="Add the priority")


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea, error_messages={"required": "Describe the action"}
    )
    owner = forms.CharField(label="Owner", max_length=200, error_messages={"required": "Enter who owns the action"})
    resources = forms.CharField(label="Resources", widget=forms.Textarea, required=False)
    starts = _date("Start date", required=False)
    deadline = _date("Deadline")
    success_criteria = forms.CharField(label="Success criteria", widget=forms.Textarea, required=False)
    impact_measure = forms.CharField(label="Impact measure", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.textarea("description", rows=2),
            Field.text("owner"),
            Field.textarea("resources", rows=2),
            Field("starts"),
            Field("deadline"),
            Field.textarea("success_criteria", rows=2),
            Field.textarea("impact_measure", rows=2),
            submit="Add the action",
        )


class RagForm(forms.Form):
    rag = forms.ChoiceField(label="RAG status", choices=Action.Rag.choices)
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.select("rag"), Field.textarea("evidence", rows=2), submit="Update the action")


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Milestone", max_length=300)
    due = _date("Due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.text("title"), Field("due"), submit="Add the milestone")


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea, error_messages={"required": "Enter your comment"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("text", rows=3), submit="Add your comment")


class MeetingForm(forms.Form):
    ACTIONS = 3

    held_on = _date("Date held")
    attendees = forms.CharField(label="Attendees", widget=forms.Textarea)
    notes = forms.CharField(label="Notes", widget=forms.Textarea)

    def __init__(self, *args, strategy: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field("held_on"), Field.textarea("attendees", rows=2), Field.textarea("notes", rows=5)]
        if strategy:
            self.fields["progress"] = forms.ChoiceField(
                label="Is the school on track?", choices=StrategyProgress.choices, widget=forms.RadioSelect
            )
            self.fields["support_timely"] = forms.TypedChoiceField(
                label="Is the support timely?",
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )
            self.fields["impact"] = forms.CharField(label="Impact of the support", widget=forms.Textarea)
            layout += [Field.radios("progress"), Field.radios("support_timely"), Field.textarea("impact", rows=3)]
        for n in range(1, self.ACTIONS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label=f"Action {n} agreed", required=False)
            self.fields[f"owner_{n}"] = forms.CharField(label=f"Who owns action {n}", required=False, max_length=200)
            self.fields[f"deadline_{n}"] = _date(f"Deadline for action {n}", required=False)
            layout += [Field.text(f"action_{n}"), Field.text(f"owner_{n}", field_width=20), Field(f"deadline_{n}")]
        self.helper = helper(*layout, submit="Record the meeting")

    def clean(self):
        data = super().clean()
        actions = []
        for n in range(1, self.ACTIONS + 1):
            description, owner, deadline = (data.get(f"{k}_{n}") for k in ("action", "owner", "deadline"))
            if not description:
                continue
            if not owner:
                self.add_error(f"owner_{n}", f"Enter who owns action {n}")
            if not deadline:
                self.add_error(f"deadline_{n}", f"Enter the deadline for action {n}")
            actions.append((description, owner, deadline))
        data["actions"] = actions
        return data

    def values(self) -> dict:
        names = ("held_on", "attendees", "notes", "actions", "progress", "support_timely", "impact")
        return {k: self.cleaned_data[k] for k in names if k in self.cleaned_data}


class AcademyOrderForm(forms.Form):
    academy_order_on = _date("Date the academy order was made", required=False)
    academy_trust = forms.CharField(label="Trust to take the school on", max_length=200, required=False)
    conversion_expected_on = _date("Conversion expected on", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("academy_order_on"),
            Field.text("academy_trust"),
            Field("conversion_expected_on"),
            submit="Save the academy order",
        )


class SelfReferralDecisionForm(forms.Form):
    response = forms.CharField(
        label="What was decided",
        widget=forms.Textarea,
        help_text=(
            "The headteacher's referral is then considered: the school is proposed for the next priority "
            "list, with this as its evidence."
        ),
        error_messages={"required": "Record what was decided"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("response", rows=5), submit="Record the decision")


class SelfReferralForm(forms.Form):
    reason = forms.CharField(
        label="We are vulnerable because…",
        widget=forms.Textarea,
        help_text="Tell the local authority what is happening and what support would help.",
        error_messages={"required": "Say why the school is vulnerable"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("reason", rows=6), submit="Send the self-referral")


class AssignForm(forms.Form):
    urn = forms.IntegerField(label="URN of the school", error_messages={"required": "Enter the school's URN"})
    justification = forms.CharField(
        label="Justification, if there is a conflict of interest", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("urn", field_width=10), Field.textarea("justification", rows=3), submit="Assign the school"
        )


class ProfileForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Priority partner",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the partner"},
        help_text="People with the priority partner role who have no profile yet",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=PartnerOrganisation.objects.all(), required=False
    )
    new_organisation = forms.CharField(label="Or add an organisation", max_length=200, required=False)
    specialisms = forms.CharField(
        label="Specialisms", max_length=300, required=False, help_text="For example: primary maths, SEND, EYFS"
    )
    capacity_days = forms.DecimalField(
        label="Days available a year", min_value=0, max_value=365, decimal_places=1, initial=0
    )
    dbs_checked_on = _date("DBS check date", required=False)
    contract_starts = _date("Contract starts", required=False)
    contract_ends = _date("Contract ends", required=False)
    # Seed 003: the system leader criteria.
    national_leader = forms.BooleanField(label="National Leader of Education (NLE)", required=False)
    local_leader = forms.BooleanField(label="Local Leader of Education (LLE)", required=False)
    ofsted_inspector = forms.BooleanField(label="Ofsted inspector", required=False)
    head_of_urn = forms.IntegerField(
        label="URN of the school they are headteacher of",
        required=False,
        help_text="If a practising headteacher: its latest inspection must be good or outstanding",
    )
    retired_as_head_on = _date("Retired as a headteacher on", required=False)

    def __init__(self, *args, profile: PartnerProfile | None = None, **kwargs):
        if profile is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(profile, name) for name in self.base_fields if hasattr(profile, name)}
                | {
                    "organisation": profile.organisation_id,
                    "head_of_urn": profile.head_of.urn if profile.head_of else None,
                },
            )
        super().__init__(*args, **kwargs)
        fields = ["user", "organisation", "new_organisation", "specialisms", "capacity_days"]
        if profile is None:
            self.fields["user"].queryset = working_here(Role.PRIORITY_PARTNER).exclude(
                pk__in=PartnerProfile.objects.values("user_id")
            )
        else:
            del self.fields["user"]
            fields.remove("user")
        layout = [
            Field.select(name) if name in ("user", "organisation") else Field.text(name)
            for name in fields
            if name != "capacity_days"
        ]
        layout.append(Field.text("capacity_days", field_width=4))
        layout += [Field("dbs_checked_on"), Field("contract_starts"), Field("contract_ends")]
        layout += [
            Fieldset(
                Field.checkbox("national_leader"),
                Field.checkbox("local_leader"),
                Field.checkbox("ofsted_inspector"),
                Field.text("head_of_urn", field_width=10),
                Field("retired_as_head_on"),
                legend="Designations and headship (system leaders)",
                legend_size=Size.MEDIUM,
            )
        ]
        self.helper = helper(*layout, submit="Save the partner's details")


class InterestForm(forms.Form):
    urn = forms.IntegerField(label="URN of the school", error_messages={"required": "Enter the school's URN"})
    relationship = forms.ChoiceField(
        label="Their relationship with the school",
        choices=PartnerInterest.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the relationship"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("urn", field_width=10), Field.radios("relationship"), submit="Declare the interest"
        )


# Oxfordshire: strategy meetings, RI to Good, the new headteachers' network, academies (seed 003) --------------

SCHOOL_SIDE = [
    MeetingMember.Role.HEADTEACHER,
    MeetingMember.Role.CHAIR_OF_GOVERNORS,
    MeetingMember.Role.DIOCESE,
    MeetingMember.Role.MAT,
]

SCHOOL_SIDE_HELP = {
    MeetingMember.Role.DIOCESE: "As appropriate, for a church school",
    MeetingMember.Role.MAT: "For an inadequate school, once the trust has been identified",
}


class StrategyMeetingForm(forms.Form):
    scheduled_for = _date("Date of the meeting")
    chair = forms.ModelChoiceField(
        label="Chair (a senior local authority officer)",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the chair"},
    )
    people = forms.ModelMultipleChoiceField(
        label="Members from the local authority",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Senior officers, and the school improvement professionals providing the support",
    )

    def __init__(self, *args, officers, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = officers
        self.fields["people"].queryset = people
        layout = [Field("scheduled_for"), Field.select("chair"), Field.checkboxes("people")]
        for role in SCHOOL_SIDE:
            self.fields[role] = forms.CharField(
                label=f"{role.label} (name)", max_length=200, required=False, help_text=SCHOOL_SIDE_HELP.get(role, "")
            )
            layout.append(Field.text(role))
        self.helper = helper(*layout, submit="Schedule the strategy meeting")

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "scheduled_for": data["scheduled_for"],
            "chair": data["chair"],
            "people": list(data["people"]),
            "school_members": [(role.value, data[role]) for role in SCHOOL_SIDE if data[role]],
        }


class RiReviewForm(forms.Form):
    reviewed_on = _date("Date of the review")
    judgement = forms.ChoiceField(label="Judgement", choices=RiToGoodReview.Judgement.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, error_messages={"required": "Enter the evidence for the judgement"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("reviewed_on"),
            Field.radios("judgement"),
            Field.textarea("evidence", rows=4),
            submit="Record the review",
        )


class NetworkMeetingForm(forms.Form):
    held_on = _date("Date of the meeting")
    topic = forms.CharField(label="Topic", max_length=300, error_messages={"required": "Enter the topic"})
    heads = forms.ModelMultipleChoiceField(
        label="New headteachers invited",
        queryset=NewHeadteacher.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, heads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heads"].queryset = heads
        self.fields["heads"].label_from_instance = lambda h: f"{h.who}, {h.school.name}"
        self.helper = helper(
            Field("held_on"), Field.text("topic"), Field.checkboxes("heads"), submit="Add the network meeting"
        )


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label="Who attended",
        queryset=NewHeadteacher.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, invited, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = invited
        self.fields["attended"].label_from_instance = lambda h: f"{h.who}, {h.school.name}"
        self.helper = helper(Field.checkboxes("attended"), submit="Record attendance")


class AcademyConversationForm(forms.Form):
    with_whom = forms.CharField(
        label="Trust or academy", max_length=200, error_messages={"required": "Enter the trust or academy"}
    )
    held_on = _date("Date of the conversation")
    leaders_met = forms.CharField(
        label="Leaders met", widget=forms.Textarea, error_messages={"required": "Enter the leaders met"}
    )
    schools = forms.ModelMultipleChoiceField(
        label="Schools discussed",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the schools discussed"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = academies
        self.helper = helper(
            Field.text("with_whom"),
            Field("held_on"),
            Field.textarea("leaders_met", rows=2),
            Field.checkboxes("schools"),
            Field.textarea("notes", rows=4),
            submit="Record the conversation",
        )


class PartnerChoiceForm(forms.Form):
    """Choose a school's priority partner from the authority's partners, each shown with their
    caseload and any conflict of interest with the school; a conflicted choice needs a
    justification (``support.services.check_partner_assignment``)."""

    partner = forms.TypedChoiceField(
        label="Priority partner",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a priority partner"},
    )
    justification = forms.CharField(
        label="If the partner you choose has a conflict of interest, why should they work with this school?",
        help_text="Kept with the assignment and shown wherever the conflict is.",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, partners: list[User], conflicts: dict[int, list[str]], submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.conflicts = conflicts
        self.fields["partner"].choices = [
            Choice(p.pk, str(p), hint=_partner_hint(p, conflicts.get(p.pk, []))) for p in partners
        ]
        fields = [Field.radios("partner")]
        if conflicts:
            fields.append(Field.textarea("justification", rows=3))
        else:
            del self.fields["justification"]
        self.helper = helper(*fields, submit=submit)

    def clean(self):
        data = super().clean()
        chosen = data.get("partner")
        if chosen is not None and chosen.pk in self.conflicts and not (data.get("justification") or "").strip():
            self.add_error(
                "justification", f"Explain why {chosen} should work with the school despite the conflict of interest"
            )
        return data

    def clean_partner(self):
        return self.partners[self.cleaned_data["partner"]]


def _partner_hint(partner: User, conflicts: list[str]) -> str:
    schools = f"Priority partner of {partner.caseload} school{'s' if partner.caseload != 1 else ''}"
    return " ".join([schools + ".", *(["Conflict of interest:", *conflicts] if conflicts else [])])


class UnassignPartnerForm(forms.Form):
    reason = forms.CharField(
        label="Why is the partner no longer working with the school? (optional)",
        help_text="Kept in the school's history.",
        widget=forms.Textarea,
        required=False,
        max_length=500,
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.textarea("reason", rows=3), submit=submit)
        self.helper.layout[-1] = Button.warning("submit", submit)


class BulkPartnerForm(forms.Form):
    """One partner for many schools (the priority list's bulk action). When the partner has a
    conflict of interest with some of the schools, the officer then confirms (``confirming``):
    assign those too with a justification, or leave them out."""

    JUSTIFY, LEAVE_OUT = "justify", "leave_out"

    partner = forms.TypedChoiceField(
        label="Priority partner", coerce=int, error_messages={"required": "Choose a priority partner"}
    )
    confirming = forms.BooleanField(required=False, widget=forms.HiddenInput)
    conflicted = forms.ChoiceField(
        choices=[(JUSTIFY, "Assign them too"), (LEAVE_OUT, "Leave them out")], required=False
    )
    justification = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, partners: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.fields["partner"].choices = [(p.pk, str(p)) for p in partners]
        self.helper = FormHelper()  # the error summary's settings; the page lays the form out itself

    def clean_partner(self):
        return self.partners[self.cleaned_data["partner"]]

    def clean(self):
        data = super().clean()
        if data.get("confirming") and not data.get("conflicted"):
            self.add_error("conflicted", "Choose whether to assign the schools with a conflict of interest")
        if data.get("conflicted") == self.JUSTIFY and not (data.get("justification") or "").strip():
            self.add_error(
                "justification", "Explain why the partner should work with these schools despite the conflict"
            )
        return data
