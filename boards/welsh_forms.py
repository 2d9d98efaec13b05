"""Forms for a Welsh authority's processes (seed 001): informal warning notices, risk management
conferences, termly target reviews and consultant governors (crispy-forms-gds, GOV.UK date inputs)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from boards.models import TargetProgress
from boards.statutory_forms import _unknown_urn_message
from schools.access import remit
from support.forms import _date, helper
from support.models import BrokeredSupport

# Who attends the Vale of Glamorgan's monthly risk management conference (seed 001): the form offers
# these roles, each to be given a name; the officer may change them.
CONFERENCE_ROLES = [
    "Head of Legal Services",
    "Human Resources",
    "School Improvement",
    "Education Portfolio Lead",
    "Chief Education Officer",
    "Director of Education",
]


def _not_future(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day and day > timezone.localdate():
        form.add_error(name, "The date cannot be in the future")


# Informal warning notices -----------------------------------------------------------------------------------


class InformalNoticeForm(forms.Form):
    issued_on = _date("Date of issue")
    concerns = forms.CharField(
        label="Concerns", widget=forms.Textarea, error_messages={"required": "Enter the concerns"}
    )
    improvements = forms.CharField(
        label="What must improve", widget=forms.Textarea, error_messages={"required": "Enter what must improve"}
    )
    improve_by = _date("Improve by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].error_messages["required"] = "Enter the date of issue"
        self.fields["improve_by"].error_messages["required"] = "Enter the date to improve by"
        self.helper = helper(
            Field("issued_on"),
            Field.textarea("concerns", rows=4),
            Field.textarea("improvements", rows=4),
            Field("improve_by"),
            submit="Issue the informal warning notice",
        )


class LiftForm(forms.Form):
    lifted_on = _date("Date lifted")
    reason = forms.CharField(
        label="Why is the notice lifted?", widget=forms.Textarea, error_messages={"required": "Enter why"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lifted_on"].error_messages["required"] = "Enter the date the notice is lifted"
        self.helper = helper(Field("lifted_on"), Field.textarea("reason", rows=3), submit="Lift the notice")


class EscalateInformalForm(forms.Form):
    escalated_on = _date("Date of the escalation")
    rationale = forms.CharField(
        label="Why is a formal warning notice needed?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why a formal warning notice is needed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalated_on"].error_messages["required"] = "Enter the date of the escalation"
        self.helper = helper(
            Field("escalated_on"),
            Field.textarea("rationale", rows=3),
            submit="Escalate to a formal warning notice",
        )


# Risk management conferences ----------------------------------------------------------------------------------


class RiskConferenceForm(forms.Form):
    ATTENDEES = 8
    SCHOOLS = 4
    ACTIONS = 3

    held_on = _date("Date of the conference")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = "Enter the date of the conference"
        people = []
        for n in range(1, self.ATTENDEES + 1):
            role = CONFERENCE_ROLES[n - 1] if n <= len(CONFERENCE_ROLES) else ""
            self.fields[f"name_{n}"] = forms.CharField(label=f"Attendee {n}: name", required=False, max_length=200)
            self.fields[f"role_{n}"] = forms.CharField(
                label=f"Attendee {n}: role", required=False, max_length=200, initial=role
            )
            people += [Field.text(f"name_{n}", field_width=20), Field.text(f"role_{n}", field_width=20)]
        layout = [Field("held_on"), Fieldset(*people, legend="Who attended", legend_size=Size.SMALL)]
        for n in range(1, self.SCHOOLS + 1):
            self.fields[f"urn_{n}"] = forms.IntegerField(label="URN of the school", required=False)
            self.fields[f"risks_{n}"] = forms.CharField(label="Risks identified", widget=forms.Textarea, required=False)
            self.fields[f"decision_{n}"] = forms.CharField(
                label="Decision: support planned or reviewed", widget=forms.Textarea, required=False
            )
            layout.append(
                Fieldset(
                    Field.text(f"urn_{n}", field_width=10),
                    Field.textarea(f"risks_{n}", rows=2),
                    Field.textarea(f"decision_{n}", rows=2),
                    legend=f"School discussed {n}",
                    legend_size=Size.SMALL,
                )
            )
        for n in range(1, self.ACTIONS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label="Action agreed", required=False)
            self.fields[f"owner_{n}"] = forms.CharField(label="Who owns it", required=False, max_length=200)
            self.fields[f"deadline_{n}"] = _date("Due date", required=False)
            self.fields[f"action_urn_{n}"] = forms.IntegerField(
                label="URN of the school it is about (optional)", required=False
            )
            layout.append(
                Fieldset(
                    Field.text(f"action_{n}"),
                    Field.text(f"owner_{n}", field_width=20),
                    Field(f"deadline_{n}"),
                    Field.text(f"action_urn_{n}", field_width=10),
                    legend=f"Action {n}",
                    legend_size=Size.SMALL,
                )
            )
        layout.append(Field.textarea("notes", rows=4))
        self.helper = helper(*layout, submit="Record the conference")

    def _school(self, field: str) -> int | None:
        urn = self.cleaned_data.get(field)
        if urn is None:
            return None
        pk = remit().filter(urn=urn).values_list("pk", flat=True).first()
        if pk is None:
            self.add_error(field, _unknown_urn_message([str(urn)]))
        return pk

    def clean(self):
        data = super().clean()
        _not_future(self, "held_on")
        attendees = []
        for n in range(1, self.ATTENDEES + 1):
            name, role = (data.get(f"name_{n}") or "").strip(), (data.get(f"role_{n}") or "").strip()
            if name and not role:
                self.add_error(f"role_{n}", f"Enter the role of attendee {n}")
            elif name:
                attendees.append((name, role))
        if not attendees:
            self.add_error("name_1", "Enter who attended")
        risks = []
        for n in range(1, self.SCHOOLS + 1):
            risk, decision = (data.get(f"risks_{n}") or "").strip(), (data.get(f"decision_{n}") or "").strip()
            school_id = self._school(f"urn_{n}")
            if data.get(f"urn_{n}") is None:
                if risk or decision:
                    self.add_error(f"urn_{n}", f"Enter the URN of school {n}")
                continue
            if not risk:
                self.add_error(f"risks_{n}", f"Enter the risks identified for school {n}")
            if school_id is not None:
                risks.append((school_id, risk, decision))
        if not risks and not any(data.get(f"urn_{n}") is not None for n in range(1, self.SCHOOLS + 1)):
            self.add_error("urn_1", "Enter at least one school discussed")
        actions = []
        for n in range(1, self.ACTIONS + 1):
            description, owner, deadline = (data.get(f"{k}_{n}") for k in ("action", "owner", "deadline"))
            school_id = self._school(f"action_urn_{n}")
            if not description:
                if owner or deadline or data.get(f"action_urn_{n}") is not None:
                    self.add_error(f"action_{n}", f"Describe action {n}")
                continue
            if not owner:
                self.add_error(f"owner_{n}", f"Enter who owns action {n}")
            if not deadline and f"deadline_{n}" not in self.errors:
                self.add_error(f"deadline_{n}", f"Enter the due date of action {n}")
            actions.append((description, owner or "", deadline, school_id))
        data["attendees"], data["risks"], data["actions"] = attendees, risks, actions
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("held_on", "attendees", "risks", "actions")} | {"notes": data.get("notes", "")}


# Termly target reviews ----------------------------------------------------------------------------------------


class TargetReviewForm(forms.Form):
    TARGETS = 4

    reviewed_on = _date("Date of the review")
    comment = forms.CharField(label="Overall comment (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"
        layout = [Field("reviewed_on")]
        for n in range(1, self.TARGETS + 1):
            self.fields[f"level_{n}"] = forms.ChoiceField(
                label="Kind of target", choices=TargetProgress.Level.choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"target_{n}"] = forms.CharField(label="Target", required=False, max_length=300)
            self.fields[f"baseline_{n}"] = forms.CharField(label="Baseline", required=False, max_length=100)
            self.fields[f"current_{n}"] = forms.CharField(label="Where it is now", required=False, max_length=100)
            self.fields[f"on_track_{n}"] = forms.ChoiceField(
                label="Is it on track?",
                choices=[("yes", "On track"), ("no", "Not on track")],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{n}"] = forms.CharField(label="Comment (optional)", required=False)
            layout.append(
                Fieldset(
                    Field.radios(f"level_{n}", inline=True),
                    Field.text(f"target_{n}"),
                    Field.text(f"baseline_{n}", field_width=10),
                    Field.text(f"current_{n}", field_width=10),
                    Field.radios(f"on_track_{n}", inline=True),
                    Field.text(f"comment_{n}"),
                    legend=f"Target {n}",
                    legend_size=Size.SMALL,
                )
            )
        layout.append(Field.textarea("comment", rows=3))
        self.helper = helper(*layout, submit="Record the review")

    def clean(self):
        data = super().clean()
        _not_future(self, "reviewed_on")
        targets = []
        for n in range(1, self.TARGETS + 1):
            row = {k: (data.get(f"{k}_{n}") or "").strip() for k in ("level", "target", "baseline", "current")}
            on_track, comment = data.get(f"on_track_{n}") or "", (data.get(f"comment_{n}") or "").strip()
            if not any(row.values()) and not on_track and not comment:
                continue
            for key, what in (
                ("level", "whether it is a school-level or a pupil-level target"),
                ("target", "the target"),
                ("baseline", "the baseline"),
                ("current", "where it is now"),
            ):
                if not row[key]:
                    self.add_error(f"{key}_{n}", f"Enter {what} for target {n}")
            if not on_track:
                self.add_error(f"on_track_{n}", f"Say whether target {n} is on track")
            targets.append({**row, "on_track": on_track == "yes" if on_track else None, "comment": comment})
        if not targets:
            self.add_error("target_1", "Enter at least one target")
        data["targets"] = targets
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {"reviewed_on": data["reviewed_on"], "targets": data["targets"], "comment": data.get("comment", "")}


# Consultant governors -----------------------------------------------------------------------------------------


class ConsultantGovernorForm(forms.Form):
    name = forms.CharField(
        label="Name of the consultant governor",
        max_length=200,
        error_messages={"required": "Enter the consultant governor's name"},
    )
    starts = _date("From")
    ends = _date("To (optional)", required=False)
    purpose = forms.CharField(label="What they will do (optional)", widget=forms.Textarea, required=False)
    funding_source = forms.ChoiceField(
        label="Funded by", choices=BrokeredSupport.Funding.choices, initial=BrokeredSupport.Funding.LOCAL_AUTHORITY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts"].error_messages["required"] = "Enter the date the consultant governor starts"
        self.helper = helper(
            Field.text("name"),
            Field("starts"),
            Field("ends"),
            Field.textarea("purpose", rows=2),
            Field.select("funding_source"),
            submit="Broker the consultant governor",
        )


class PeerReviewForm(forms.Form):
    done_on = _date("Peer review of the governing body done on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].error_messages["required"] = "Enter the date of the peer review"
        self.helper = helper(Field("done_on"), submit="Record the peer review")

    def clean(self):
        data = super().clean()
        _not_future(self, "done_on")
        return data
