"""The advisory board and the priority list: entries on the list, board meetings with their
generated agendas and packs, decisions with their rationale, letters, warning notices,
escalations, schools-causing-concern meetings and inspections of priority schools."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority
from boards import notices
from core.concurrency import VERSION_FIELDS, Versioned

USER = settings.AUTH_USER_MODEL


# The priority list ---------------------------------------------------------------------------------


class PriorityEntry(models.Model):
    """A school on (or proposed for) the priority list of an academic year: the schools
    causing concern that get a named priority partner and a support package."""

    class Reason(models.TextChoices):
        # Plain strings, marked for locale/cy: a Welsh letter translates its {reason} when it is written.
        OFSTED_CONCERN = "ofsted_concern", _("Ofsted: inadequate, or urgent improvement in a report card")
        OFSTED_RI = "ofsted_ri", _("Ofsted: requires improvement, or an area needing attention in a report card")
        VULNERABLE = "vulnerable", _("Good or better but agreed vulnerable")
        IN_CRISIS = "in_crisis", _("In crisis: leadership needs urgent stabilising")
        SELF_REFERRAL = "self_referral", _("Agreed self-referral")

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ON_LIST = "on_list", "On the priority list"
        NOT_ADDED = "not_added", "Proposed, not added"
        REMOVED = "removed", "Removed"

    class Source(models.TextChoices):
        ANNUAL = "annual", "Annual identification"
        CARRIED_FORWARD = "carried_forward", "Carried forward from last year"
        IN_YEAR = "in_year", "Added in year by the board"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="priority_entries")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2026 is 2026/27.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    evidence = models.TextField(blank=True, help_text="Why the school was proposed")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ANNUAL)
    proposed_on = models.DateField(null=True, blank=True)
    added_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        verbose_name_plural = "priority entries"
        ordering = ["-academic_year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "school", "academic_year"], name="one_entry_per_school_year")
        ]
        indexes = [models.Index(fields=["academic_year", "status"])]

    def __str__(self):
        return f"{self.school} – {self.get_status_display()} ({self.academic_year})"


# The board and its meetings -------------------------------------------------------------------------------


class BoardMeeting(Versioned):
    """A meeting of the advisory board. Its version moves on when it is recorded as held, so
    that two officers writing up the minutes at once do not overwrite each other."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class PackStatus(models.TextChoices):
        NONE = "", "Not built"
        QUEUED = "queued", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meets_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True)
    agenda_generated_at = models.DateTimeField(null=True, blank=True)
    pack = models.FileField(upload_to="board-packs/", blank=True)
    pack_status = models.CharField(max_length=10, choices=PackStatus.choices, blank=True, default=PackStatus.NONE)
    pack_hash = models.CharField(max_length=64, blank=True, help_text="What the pack was built from")
    pack_built_at = models.DateTimeField(null=True, blank=True)
    pack_error = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords(
        excluded_fields=["pack", "pack_status", "pack_hash", "pack_built_at", "pack_error", *VERSION_FIELDS]
    )

    class Meta:
        ordering = ["meets_on"]
        constraints = [models.UniqueConstraint(fields=["authority", "meets_on"], name="one_board_meeting_a_day")]

    def __str__(self):
        return f"Advisory board, {self.meets_on:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("boards:meeting", args=[self.pk])


class Attendance(models.Model):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="board_attendance")
    present = models.BooleanField(default=True)

    objects = owned_by_authority("meeting__authority")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_each")]

    def __str__(self):
        return f"{self.member} at {self.meeting}: {'present' if self.present else 'absent'}"


class AgendaItem(Versioned):
    """A school on a meeting's agenda: why it is there (generated) or who added it and why;
    an item dropped by an officer stays, with the reason. Its version moves on with each
    decision recorded on it, so a decision is made knowing the ones already recorded."""

    class Origin(models.TextChoices):
        GENERATED = "generated", "Generated"
        ADDED = "added", "Added by an officer"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="items")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="agenda_items")
    reasons = models.JSONField(default=list, help_text="What is new, in plain words")
    kinds = models.JSONField(default=list, help_text="The kinds of news, for filtering")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.GENERATED)
    added_reason = models.TextField(blank=True)
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dropped = models.BooleanField(default=False)
    drop_reason = models.TextField(blank=True)
    dropped_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(default=0)
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords(excluded_fields=VERSION_FIELDS)

    class Meta:
        ordering = ["meeting", "dropped", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "school"], name="one_item_per_school")]

    def __str__(self):
        return f"{self.school} at {self.meeting}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        ADD = "add", "Add to the priority list"
        REMOVE = "remove", "Remove from the priority list"
        CHANGE_SUPPORT = "change_support", "Change support"
        LETTER_OF_CONCERN = "letter_of_concern", "Letter of concern"
        RECOMMEND_WARNING_NOTICE = "recommend_warning_notice", "Recommend a formal warning notice"
        AGREE_CATEGORY = "agree_category", "Agree the category"
        NO_CHANGE = "no_change", "No change"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="board_decisions")
    meeting = models.ForeignKey(BoardMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    academic_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    rationale = models.TextField()
    outcome = models.TextField(blank=True, help_text="What the decision did")
    reason = models.CharField("reason for priority", max_length=20, choices=PriorityEntry.Reason.choices, blank=True)
    removal_criterion_met = models.BooleanField(null=True, blank=True)
    removal_override = models.TextField(
        blank=True, help_text="Why the school is removed although the removal criterion is not met"
    )
    support_kind = models.CharField(max_length=20, blank=True)
    support_days = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    category_code = models.CharField("category agreed", max_length=20, blank=True)
    category_decision = models.OneToOneField(
        "categorisation.CategoryDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_decision",
        help_text="The school's category as the board agreed it (seed 004: the board decides categories)",
    )
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    communicated_on = models.DateField(
        null=True, blank=True, help_text="When the school was told: heads see the decision from then"
    )
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["school", "-decided_at"])]
        constraints = [models.CheckConstraint(condition=~Q(rationale=""), name="a_decision_has_a_rationale")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.school}"


# Letters ------------------------------------------------------------------------------------------------


class LetterKind(models.TextChoices):
    # Plain strings, marked for locale/cy: the headteacher's pages translate them when shown.
    PRIORITY = "priority", _("Confirmation of priority status")
    NOT_PRIORITY = "not_priority", _("Not a priority for support")
    REMOVED = "removed", _("Removal from the priority list")
    CONCERN = "concern", _("Letter of concern")


class LetterLanguage(models.TextChoices):
    """What a letter is written in. An authority in Wales writes in English, in Welsh or in both
    (Welsh first, as the Welsh Language Standards ask of bilingual documents); one in England in
    English only."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"
    BILINGUAL = "cy+en", "Bilingual"


class LetterTemplate(models.Model):
    """An officer-editable letter with merge fields such as {school_name} and {rationale}; an
    authority in Wales keeps its Welsh wording beside the English."""

    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    subject_cy = models.CharField("subject in Welsh", max_length=200, blank=True)
    body_cy = models.TextField("letter in Welsh", blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["authority", "kind"], name="one_letter_template_per_kind")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def has_welsh(self) -> bool:
        return bool(self.subject_cy.strip() and self.body_cy.strip())


class Letter(models.Model):
    """A letter as written (merged and frozen, in Welsh too when it is written in Welsh or in
    both languages), to whom, and when it was sent."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters")
    academic_year = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    language = models.CharField(max_length=5, choices=LetterLanguage.choices, default=LetterLanguage.ENGLISH)
    subject_cy = models.CharField("subject in Welsh", max_length=200, blank=True)
    body_cy = models.TextField("letter in Welsh", blank=True)
    recipients = models.TextField(help_text="One recipient a line")
    dated = models.DateField()
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-dated", "-pk"]
        indexes = [models.Index(fields=["school", "-dated"]), models.Index(fields=["sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(language=LetterLanguage.ENGLISH) | ~Q(body_cy=""), name="welsh_letter_has_welsh_text"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.school}"

    def get_absolute_url(self):
        return reverse("boards:letter", args=[self.pk])

    @property
    def versions(self) -> list[tuple[str, str, str]]:
        """(language code, subject, body) of each version, in the order the letter gives them:
        a bilingual letter's Welsh first."""
        welsh, english = ("cy", self.subject_cy, self.body_cy), ("en-gb", self.subject, self.body)
        return {
            LetterLanguage.WELSH: [welsh],
            LetterLanguage.BILINGUAL: [welsh, english],
        }.get(self.language, [english])


# Warning notices --------------------------------------------------------------------------------------------


class WarningNotice(models.Model):
    """A formal warning notice (Education and Inspections Act 2006, s60), from the board's
    recommendation to the DCS's response, issue, compliance, and lifting or escalation; for an
    academy, the referral to the DfE regional director instead."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", "Recommended by the board"
        DECLINED = "declined", "Declined by the DCS"
        ACCEPTED = "accepted", "Accepted by the DCS, to be issued"
        ISSUED = "issued", "Issued"
        COMPLIED = "complied", "Complied with"
        LIFTED = "lifted", "Lifted"
        ESCALATED = "escalated", "Escalated"
        REFERRED = "referred", "Referred to the DfE regional director"
        RD_NOTICE = "rd_notice", "Termination warning notice given by the regional director"
        RD_NO_NOTICE = "rd_no_notice", "No notice given by the regional director"
        RD_CLOSED = "rd_closed", "Regional director's notice concluded"

    class Ground(models.TextChoices):
        LOW_STANDARDS = "low_standards", "Standards of performance are unacceptably low"
        BREAKDOWN = "breakdown", "A serious breakdown in the way the school is managed or governed"
        SAFETY = "safety", "The safety of pupils or staff is threatened"

    class Escalation(models.TextChoices):
        IEB = "ieb", "Interim executive board"
        OTHER_POWERS = "other_powers", "Other intervention powers"

    class RdOutcome(models.TextChoices):
        COMPLIED = "complied", "The trust complied: the notice was lifted"
        TERMINATED = "terminated", "The funding agreement was terminated: the academy moves to another trust"
        WITHDRAWN = "withdrawn", "The notice was withdrawn"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="warning_notices")
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="warning_notice"
    )
    # Seed 004: "If there is non-compliance or a lack of progress, the issues will be escalated and the
    # issue of a formal warning notice considered."
    from_escalation = models.OneToOneField(
        "Escalation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warning_notice",
        help_text="The escalation after which the notice was recommended",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECOMMENDED)
    rationale = models.TextField()
    recommended_on = models.DateField(
        "recommended on",
        default=timezone.localdate,
        help_text="The board meeting's date, or the day the recommendation was recorded",
    )
    dcs_response_on = models.DateField("DCS response date", null=True, blank=True)
    dcs_comment = models.TextField(blank=True)
    grounds = models.JSONField(default=list)
    issued_on = models.DateField(null=True, blank=True)
    compliance_period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    compliance_deadline = models.DateField(null=True, blank=True)
    required_action = models.TextField(
        blank=True, help_text="What the governing body must do to comply (s60(4)(b); Wales: 2013 Act s3(2)(c))"
    )
    recipients = models.TextField(blank=True)
    complied_on = models.DateField(null=True, blank=True)
    lifted_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    escalation = models.CharField(max_length=15, choices=Escalation.choices, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    # An academy's termination warning notice: given by the DfE regional director under the funding agreement.
    rd_notice_on = models.DateField("regional director's notice dated", null=True, blank=True)
    rd_comply_by = models.DateField("regional director's notice to be complied with by", null=True, blank=True)
    rd_outcome = models.CharField(max_length=12, choices=RdOutcome.choices, blank=True)
    rd_outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "compliance_deadline"])]
        # The steps' dates run in order (boards.notices.ORDER); a null date passes.
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{a}__{op}": models.F(b)}), name=f"notice_{a}_in_order")
            for a, b, op in notices.ordering()
        ]

    def __str__(self):
        return f"Warning notice – {self.school} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("boards:notice", args=[self.pk])

    def dates(self) -> dict:
        return {name: getattr(self, name) for name in notices.DATE_LABELS}

    @property
    def issued(self) -> bool:
        """Whether the LA gave the notice (it is, or was, in force)."""
        return self.issued_on is not None

    def grounds_display(self) -> list[str]:
        labels = {**dict(self.Ground.choices), **notices.WALES_GROUNDS}
        return [labels[g] for g in self.grounds if g in labels]

    @property
    def legislation(self) -> str:
        """A school in Wales is under the School Standards and Organisation (Wales) Act 2013."""
        return notices.legislation(welsh=self.school.is_welsh)

    @staticmethod
    def ground_choices(*, welsh: bool) -> list[tuple[str, str]]:
        return list(notices.WALES_GROUNDS.items()) if welsh else WarningNotice.Ground.choices


# Escalation, concern meetings and inspections of priority schools -------------------------------------------


class Escalation(models.Model):
    """A partner's report that engagement or progress has stalled, and what the LA did: taken
    to the Education Improvement Group, or resolved."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        TO_EIG = "to_eig", "Taken to the Education Improvement Group"
        RESOLVED = "resolved", "Resolved"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="escalations")
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(auto_now_add=True)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    eig_meeting_on = models.DateField("Education Improvement Group meeting", null=True, blank=True)
    eig_meeting = models.ForeignKey(
        "EIGMeeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
        help_text="The Education Improvement Group meeting that discussed it",
    )
    outcome = models.TextField(blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self):
        return f"Escalation – {self.school}"


class ConcernMeeting(models.Model):
    """The monthly schools-causing-concern meeting with finance, HR and governor services; in a Welsh
    authority, also its monthly risk management conference (seed 001: see ``ConferenceAttendee`` and
    ``SchoolRisk`` at the end of this module)."""

    class Kind(models.TextChoices):
        CONCERN = "concern", "Schools causing concern meeting"
        RISK_CONFERENCE = "risk_conference", "Risk management conference"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONCERN)
    held_on = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    schools = models.ManyToManyField("schools.School", related_name="concern_meetings", blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.held_on:%d %B %Y}"

    def get_absolute_url(self):
        if self.kind == self.Kind.RISK_CONFERENCE:
            return reverse("boards:risk-conference", args=[self.pk])
        return reverse("boards:concern-meeting", args=[self.pk])


class ConcernAction(models.Model):
    meeting = models.ForeignKey(ConcernMeeting, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    deadline = models.DateField()
    done = models.BooleanField(default=False)
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.description[:60]


class InspectionNotice(models.Model):
    """Ofsted's notification of an inspection of a priority school: who from the LA attends,
    the feedback heard, and the inspection record once its outcome arrives."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="inspection_notices")
    notified_on = models.DateField()
    starts_on = models.DateField()
    partner_attending = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feedback_notes = models.TextField(blank=True)
    further_support_indicated = models.BooleanField(
        null=True, blank=True, help_text="Whether the feedback indicates the school needs further support"
    )
    inspection = models.ForeignKey(
        "schools.Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"Inspection of {self.school} from {self.starts_on:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("boards:inspection", args=[self.pk])


# Wales: informal warning notices, risk management conferences, termly target reviews ------------------------
# (seed 001, the Vale of Glamorgan's self-evaluation; the School Standards and Organisation (Wales) Act 2013.
# Consultant governors are brokered support: ``support.BrokeredSupport.Provider.CONSULTANT_GOVERNOR``.)


class InformalWarningNotice(models.Model):
    """A Welsh authority's informal warning notice: its concerns, what must improve and by when, and the
    school's recovery plan (seed 001: "timely use of informal warning notices and recovery plans"). It
    comes before, and is not, the statutory warning notice a local authority may give the governing body
    under the School Standards and Organisation (Wales) Act 2013, s3, on grounds 1 to 6 of s2. It is
    lifted (with the reason) or escalated to that formal notice (``formal_notice``), which then follows
    ``WarningNotice``'s path citing the 2013 Act.

    The recovery plan is the school's action plan for the year (``support.ActionPlan``: one per school
    and year), not a second plan: the priorities, actions, RAG ratings, visits and the headteacher's
    agreement that the plan already carries are the recovery plan's."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        LIFTED = "lifted", "Lifted"
        ESCALATED = "escalated", "Escalated to a formal warning notice"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="informal_warning_notices")
    issued_on = models.DateField()
    concerns = models.TextField()
    improvements = models.TextField("what must improve")
    improve_by = models.DateField("improve by")
    recovery_plan = models.ForeignKey(
        "support.ActionPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="informal_warning_notices"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    lifted_on = models.DateField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    formal_notice = models.OneToOneField(
        WarningNotice, null=True, blank=True, on_delete=models.SET_NULL, related_name="informal_notice"
    )
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["status", "improve_by"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(improve_by__gte=models.F("issued_on")), name="informal_notice_improve_by_after_issue"
            ),
            models.CheckConstraint(
                condition=~Q(status="lifted") | (Q(lifted_on__isnull=False) & ~Q(lift_reason="")),
                name="a_lifted_informal_notice_says_when_and_why",
            ),
        ]

    def __str__(self):
        return f"Informal warning notice – {self.school} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("boards:informal-notice", args=[self.pk])


class ConferenceAttendee(models.Model):
    """Who attended a risk management conference, and in what role (seed 001: the Head of Legal
    Services, Human Resources, School Improvement, the Education Portfolio Lead, the Chief Education
    Officer and the Director of Education)."""

    meeting = models.ForeignKey(ConcernMeeting, on_delete=models.CASCADE, related_name="attendee_list")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.name}, {self.role}"


class SchoolRisk(models.Model):
    """A school discussed at a risk management conference: the risks identified and what was decided
    (the further support planned or reviewed)."""

    meeting = models.ForeignKey(ConcernMeeting, on_delete=models.CASCADE, related_name="school_risks")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    risks = models.TextField()
    decision = models.TextField(blank=True, help_text="The support planned or reviewed")
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "school"], name="one_risk_entry_per_school")]

    def __str__(self):
        return f"{self.school} at {self.meeting}"


class TargetReview(models.Model):
    """The challenge adviser's termly review of a Welsh school's progress towards its school-level and
    pupil-level targets (seed 001: "progress towards these targets continue to be reviewed in each
    school termly by the Challenge Adviser")."""

    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn term"
        SPRING = "spring", "Spring term"
        SUMMER = "summer", "Summer term"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="target_reviews")
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=Term.choices)
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-academic_year", "-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["academic_year", "term"])]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year", "term"], name="one_target_review_a_term"
            )
        ]

    def __str__(self):
        return f"{self.get_term_display()} {self.academic_year} target review – {self.school}"


class TargetProgress(models.Model):
    """One target at a termly review: where it started, where it is, and whether it is on track."""

    class Level(models.TextChoices):
        SCHOOL = "school", "School-level target"
        PUPIL = "pupil", "Pupil-level target"

    review = models.ForeignKey(TargetReview, on_delete=models.CASCADE, related_name="targets")
    level = models.CharField(max_length=6, choices=Level.choices)
    target = models.CharField(max_length=300)
    baseline = models.CharField(max_length=100)
    current = models.CharField(max_length=100)
    on_track = models.BooleanField()
    comment = models.TextField(blank=True)
    objects = owned_by_authority("review__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["review", "level", "pk"]
        verbose_name_plural = "target progress"

    def __str__(self):
        return self.target


# Warwickshire: the School Improvement Board and its votes ---------------------------------------------------
# (seed 002, Warwickshire's collaborative approach to school improvement, 2013, section 7)


class BoardConstitution(models.Model):
    """What the authority's board is. By default the advisory board, whose decisions are the
    board's without a vote (Birmingham's). An authority that says so has a School Improvement
    Board instead: its members are two lead members of each consortium (``schools.ConsortiumLead``)
    plus LA representation, and each of its decisions is voted on (``DecisionVote``), the LA holding
    a single vote "ensuring that the model is owned and driven by schools" (seed 002, 7.4 and 7.6).

    A setting of the authority's board as a whole, so one record per authority rather than a field
    on each meeting: every meeting of the authority's board is constituted the same way, a meeting
    scheduled in bulk needs no setting of its own, and the accounts app's Authority is left alone."""

    class Kind(models.TextChoices):
        ADVISORY = "advisory", "Advisory board"
        SCHOOL_IMPROVEMENT = "school_improvement", "School Improvement Board"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ADVISORY)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority"], name="one_board_constitution")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def votes(self) -> bool:
        return self.kind == self.Kind.SCHOOL_IMPROVEMENT


class LARepresentative(models.Model):
    """An officer who represents the LA on the School Improvement Board: "a Senior Officer from the
    School Improvement Team" among them (seed 002, 7.6). However many there are, the LA has one vote."""

    constitution = models.ForeignKey(BoardConstitution, on_delete=models.CASCADE, related_name="la_representatives")
    officer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    objects = owned_by_authority("constitution__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["officer__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["constitution", "officer"], name="one_la_representative_each")]

    def __str__(self):
        return f"{self.officer}, LA representative"


class DecisionVote(models.Model):
    """A member's vote on a School Improvement Board decision: a consortium lead's, or the LA's. The
    LA's representation has one vote on each decision however many officers attend (seed 002, 7.6),
    which the database holds to. The voter's name and consortium are kept as they were, so a lead
    who stands down later still shows on the decisions they voted on."""

    class Vote(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    lead = models.ForeignKey(
        "schools.ConsortiumLead", null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    for_la = models.BooleanField("the LA's vote", default=False)
    member = models.CharField(max_length=200, help_text="Who voted, as they were named when they did")
    consortium = models.CharField(max_length=200, blank=True)
    vote = models.CharField(max_length=10, choices=Vote.choices)
    objects = owned_by_authority("decision__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["decision", "for_la", "consortium", "member", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "lead"], name="one_vote_per_lead"),
            models.UniqueConstraint(fields=["decision"], condition=Q(for_la=True), name="the_la_has_a_single_vote"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_vote_display()}"


# Birmingham's annual identification (seed 004, stage 1) ------------------------------------------------------


class VulnerabilityVisit(models.Model):
    """The visit to the head of a good or outstanding maintained school found vulnerable for the
    first time, before it is proposed for the list (seed 004, stage 1: BEP "will visit to discuss
    with the Head teacher the apparent vulnerability and agree whether or not the school is a
    priority for support"): when the head was contacted and visited, by whom, and what was agreed."""

    class Outcome(models.TextChoices):
        AGREED_PRIORITY = "agreed_priority", "Agreed: a priority for support"
        AGREED_NOT_PRIORITY = "agreed_not_priority", "Agreed: not a priority for support"
        NOT_AGREED = "not_agreed", "Not agreed: the board decides"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="vulnerability_visits")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2026 is 2026/27.")
    contacted_on = models.DateField("head contacted on")
    visited_on = models.DateField()
    visited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField(help_text="What was discussed and why this was agreed")
    recorded_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year"], name="one_vulnerability_visit_a_year"
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="a_vulnerability_visit_has_reasons"),
            models.CheckConstraint(
                condition=Q(visited_on__gte=models.F("contacted_on")), name="visited_after_the_head_was_contacted"
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.get_outcome_display()} ({self.visited_on:%d %B %Y})"


class AcademyNotification(models.Model):
    """Academies whose annual assessment raises significant concerns, notified to the DfE regional
    director (the Regional Schools Commissioner when seed 004 was written) and the Education
    Improvement Group in September (seed 004, stage 1)."""

    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2026 is 2026/27.")
    notified_on = models.DateField()
    notified_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    to_regional_director = models.BooleanField("sent to the DfE regional director", default=True)
    to_improvement_group = models.BooleanField("sent to the Education Improvement Group", default=True)
    summary = models.TextField(help_text="The letter or summary sent")
    schools = models.ManyToManyField("schools.School", related_name="academy_notifications")
    concerns = models.JSONField(default=dict, help_text="Each school's concerns as notified, by URN")
    recorded_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-notified_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="an_academy_notification_has_a_summary"),
            models.CheckConstraint(
                condition=Q(to_regional_director=True) | Q(to_improvement_group=True),
                name="an_academy_notification_goes_somewhere",
            ),
        ]

    def __str__(self):
        return f"Academy concerns notified {self.notified_on:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("boards:academy-notification", args=[self.pk])


# Birmingham's advisory board and the Education Improvement Group (seed 004) ---------------------------------


class BoardMembership(models.Model):
    """Who sits on the advisory board and why: "an external, independent Chair and recently serving
    Birmingham expert head teachers across all phases" (seed 004, the SIAB). Members are users with
    the board role; this says on what basis each sits, which phase a headteacher served in, the
    school they lead or led and the year their headship ended (so the page can flag a head who is
    not recent or not of the authority's schools), and who chairs. One chair an authority, which the
    database holds to."""

    class Basis(models.TextChoices):
        RECENT_HEAD = "recent_head", "Recently serving headteacher"
        EXPERT = "expert", "School improvement expert"
        HMI = "hmi", "HMI"
        OFFICER = "officer", "LA or partnership officer"
        OTHER = "other", "Other"

    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        SPECIAL = "special", "Special"

    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="board_memberships")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    phase = models.CharField(max_length=10, choices=Phase.choices, blank=True, help_text="A headteacher's phase")
    headship_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The school a headteacher leads or led",
    )
    headship_ended = models.PositiveSmallIntegerField(
        "year the headship ended", null=True, blank=True, help_text="Empty while they are still serving"
    )
    chair = models.BooleanField(default=False)
    independent = models.BooleanField("external and independent", default=False)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-chair", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "member"], name="one_board_membership_each"),
            models.UniqueConstraint(fields=["authority"], condition=Q(chair=True), name="one_board_chair"),
            models.CheckConstraint(
                condition=~Q(basis="recent_head") | ~Q(phase=""), name="a_headteacher_member_has_a_phase"
            ),
        ]

    def __str__(self):
        return f"{self.member}, {self.get_basis_display()}"


class EIGMeeting(models.Model):
    """A half-termly meeting of the Education Improvement Group (regional lead HMI, the DCS, BEP's
    CEO and Director of Continuous School Improvement, the Regional Schools Commissioner, BCC's
    Assistant Director): its notes, the themes or issues the schools causing concern meeting reviews,
    and the actions agreed (seed 004, stages 4 and 5). Escalations it discussed point to it."""

    held_on = models.DateField()
    notes = models.TextField()
    themes = models.TextField("themes or issues", blank=True)
    actions = models.TextField("actions agreed", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(notes=""), name="an_eig_meeting_has_notes")]

    def __str__(self):
        return f"Education Improvement Group, {self.held_on:%d %B %Y}"
