"""Support delivery: partners, support packages and their day entitlements, visits and their
reports, action plans, meetings, self-referrals, and the academic calendar they run on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority
from core.calendar import academic_year_label
from core.concurrency import VERSION_FIELDS, Versioned

USER = settings.AUTH_USER_MODEL


# The academic calendar ------------------------------------------------------------------------


class AcademicYear(models.Model):
    """An authority's academic year (2026 is 2026/27) with its half-terms, England's by default,
    editable: each authority keeps its own term dates."""

    start_year = models.PositiveSmallIntegerField()
    authority = authority_field()
    objects = owned_by_authority()

    class Meta:
        ordering = ["start_year"]
        constraints = [models.UniqueConstraint(fields=["authority", "start_year"], name="one_academic_year_each")]

    def __str__(self):
        return academic_year_label(self.start_year)


class HalfTerm(models.Model):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="half_terms")
    number = models.PositiveSmallIntegerField(help_text="1 to 6: autumn 1 … summer 2")
    name = models.CharField(max_length=20)
    starts = models.DateField()
    ends = models.DateField()
    objects = owned_by_authority("year__authority")

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_half_term_per_number"),
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="half_term_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"


# Partners --------------------------------------------------------------------------------------


class PartnerOrganisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=100, blank=True, help_text="For example: school improvement partner, trust")
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerProfile(models.Model):
    """A priority partner or adviser as one authority engages them: who they work for, what they
    know, how much of their time it has (a partner working for two councils has a profile in each)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="partner_profiles")
    organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="partners"
    )
    specialisms = models.CharField(max_length=300, blank=True, help_text="For example: primary maths, SEND, EYFS")
    capacity_days = models.DecimalField("days available a year", max_digits=5, decimal_places=1, default=0)
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    contract_starts = models.DateField(null=True, blank=True)
    contract_ends = models.DateField(null=True, blank=True)
    # Seed 003: what makes a system leader (support.system_leaders reads these).
    national_leader = models.BooleanField("National Leader of Education (NLE)", default=False)
    local_leader = models.BooleanField("Local Leader of Education (LLE)", default=False)
    ofsted_inspector = models.BooleanField("Ofsted inspector", default=False)
    head_of = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="school they are headteacher of",
    )
    retired_as_head_on = models.DateField("retired as a headteacher on", null=True, blank=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["authority", "user"], name="one_partner_profile_each")]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("support:partner", args=[self.pk])


class PartnerInterest(models.Model):
    """A school the partner leads, governs or works for: the source of conflicts of interest."""

    class Relationship(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher or executive headteacher"
        GOVERNOR = "governor", "Governor"
        TRUSTEE = "trustee", "Trustee or member of a trust"
        EMPLOYEE = "employee", "Employee"
        OTHER = "other", "Other interest"

    partner = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="interests")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="partner_interests")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    declared_on = models.DateField(auto_now_add=True)
    objects = owned_by_authority("partner__authority")
    history = AuditedRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "school", "relationship"], name="one_interest_each")]

    def __str__(self):
        return f"{self.partner} – {self.get_relationship_display()} of {self.school}"


# Support packages ----------------------------------------------------------------------------------


class EntitlementKind(models.TextChoices):
    ADVISER = "adviser", "School improvement adviser days"
    TEACHING_ADVISER = "teaching_adviser", "Learning and teaching adviser days"
    PROGRESS_MEETINGS = "progress_meetings", "Progress meetings"
    BROKERED = "brokered", "Brokered support days"


class OverviewOption(models.TextChoices):
    SINGLE = "single", "Single school option"
    PARTNERSHIP = "partnership", "Partnership option"


class SupportPackage(models.Model):
    """A school's support for one academic year, from its category's entitlement, prorated when
    it joins during the year, and adjusted with reasons."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_packages")
    academic_year = models.PositiveSmallIntegerField()
    category = models.ForeignKey("categorisation.Category", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(help_text="When support began: a school joining mid-year gets a share.")
    adviser_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    teaching_adviser_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    progress_meetings = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    brokered_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    # Seed 000: an Overview school's day "can be either a single school option or a partnership option".
    overview_option = models.CharField(
        "how the adviser's day is taken", max_length=12, choices=OverviewOption.choices, blank=True
    )
    partner_schools = models.ManyToManyField(
        "schools.School", blank=True, related_name="+", help_text="The schools sharing a partnership day"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year"], name="one_support_package_per_school_year"
            )
        ]

    def __str__(self):
        return f"Support for {self.school} in {self.academic_year}"


class EntitlementAdjustment(models.Model):
    package = models.ForeignKey(SupportPackage, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=EntitlementKind.choices)
    change = models.DecimalField(max_digits=5, decimal_places=1, help_text="Days added (or taken away, negative)")
    reason = models.TextField()
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    objects = owned_by_authority("package__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["made_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="an_adjustment_has_a_reason")]

    def __str__(self):
        return f"{self.change:+} {self.get_kind_display().lower()} for {self.package.school_id}"


class Allocation(models.Model):
    """Days of a package given to a partner or adviser to deliver."""

    package = models.ForeignKey(SupportPackage, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(max_length=20, choices=EntitlementKind.choices)
    partner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="allocations")
    days = models.DecimalField(max_digits=5, decimal_places=1)
    made_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    objects = owned_by_authority("package__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["made_at"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="an_allocation_has_days")]

    def __str__(self):
        return f"{self.days} {self.get_kind_display().lower()} to {self.partner_id}"


class BrokeredSupport(models.Model):
    class Provider(models.TextChoices):
        TEACHING_SCHOOL_HUB = "teaching_school_hub", "Teaching school hub"
        NLE = "nle", "National leader of education"
        LLE = "lle", "Local leader of education"
        SCHOOL = "school", "Another school"
        # A Welsh authority's, for an amber or red school's governing body (seed 001); brokered through
        # boards.welsh_services, never the general form.
        CONSULTANT_GOVERNOR = "consultant_governor", "Consultant governor"
        OTHER = "other", "Other"

    class Funding(models.TextChoices):
        LOCAL_AUTHORITY = "la", "Local authority"
        SCHOOL = "school", "The school's own budget"
        NATIONAL = "national", "National funding"
        DIOCESE = "diocese", "Diocese"
        OTHER = "other", "Other"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="brokered_support")
    academic_year = models.PositiveSmallIntegerField()
    provider_type = models.CharField(max_length=30, choices=Provider.choices)
    provider = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    cost = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    funding_source = models.CharField(max_length=20, choices=Funding.choices)
    outcome = models.TextField(blank=True)
    leader = models.ForeignKey(
        PartnerProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brokered_support",
        verbose_name="the NLE or LLE, if one of the authority's partners",
    )
    peer_review_on = models.DateField(
        "peer review of the governing body done on",
        null=True,
        blank=True,
        help_text="A consultant governor's peer review of the governing body",
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-starts"]

    def __str__(self):
        return f"{self.provider} for {self.school_id}"


# Seed 003: support from an NLE or LLE is a system leader's, whose criteria the portal checks.
SYSTEM_LEADER_PROVIDERS = (BrokeredSupport.Provider.NLE, BrokeredSupport.Provider.LLE)


class TradedService(models.Model):
    """Support the school buys itself: recorded, never counted against its entitlement."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="traded_services")
    academic_year = models.PositiveSmallIntegerField()
    service = models.CharField(max_length=200)
    purchased_on = models.DateField()
    days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    cost = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-purchased_on"]

    def __str__(self):
        return f"{self.service} bought by {self.school_id}"


# Visits and reports --------------------------------------------------------------------------


# Visits that count against no entitlement: seed 003's annual review visit, for schools where no
# trigger for targeted support is identified, and seed 004's meeting of the priority partner with
# the board of governors.
ANNUAL_REVIEW = "annual_review"
GOVERNING_BODY = "governing_body"


class Visit(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(
        max_length=20,
        choices=[
            (EntitlementKind.ADVISER, "Adviser visit"),
            (EntitlementKind.TEACHING_ADVISER, "Learning and teaching adviser visit"),
            (ANNUAL_REVIEW, "Annual review visit"),
            (GOVERNING_BODY, "Meeting with the governing body"),
        ],
        default=EntitlementKind.ADVISER,
    )
    purpose = models.CharField(max_length=300)
    scheduled_for = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=3, decimal_places=1, default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Who from the school met the visitor, recorded when the visit is held: seed 003's annual
    # review visit works "with the headteacher and Chair of Governors".
    headteacher_attended = models.BooleanField(default=False)
    chair_attended = models.BooleanField("chair of governors attended", default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        indexes = [
            models.Index(fields=["school", "-scheduled_for"]),
            models.Index(fields=["visitor", "status"]),
            # The visits held in a year (the officer's home: the priority schools not yet visited), read
            # without scanning every visit of every year.
            models.Index(fields=["status", "held_on"], name="support_visit_held_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="a_visit_takes_time"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_on__isnull=False), name="a_held_visit_has_a_date"
            ),
        ]

    def __str__(self):
        return f"Visit to {self.school} on {self.scheduled_for}"

    def get_absolute_url(self):
        return reverse("support:visit", args=[self.pk])


class VisitReport(models.Model):
    """A visit's report, in versions: a draft is edited only by its author; once submitted, any
    change is a new version (DESIGN §6)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SHARED = "shared", "Shared with the headteacher"
        RESPONDED = "responded", "Headteacher has responded"
        QUALITY_ASSURED = "quality_assured", "Quality-assured"
        SUPERSEDED = "superseded", "Replaced by a later version"

    class Accuracy(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        NOT_ACCURATE = "not_accurate", "Not accurate"

    class Moderation(models.TextChoices):
        SECURE = "secure", "Secure"
        SECURE_WITH_AMENDMENTS = "amendments", "Secure, with amendments advised"
        NOT_SECURE = "not_secure", "Not secure"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What was seen, read and heard")
    findings = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    head_response = models.CharField(max_length=15, choices=Accuracy.choices, blank=True)
    head_comment = models.TextField(blank=True)
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    # When the report's author first opened the visit after the head responded: until then the
    # response is on the partner's work queue ("the head responded").
    response_seen_at = models.DateTimeField(null=True, blank=True)
    selected_for_qa = models.BooleanField(default=False)
    qa_outcome = models.CharField(max_length=15, choices=Moderation.choices, blank=True)
    qa_comment = models.TextField(blank=True)
    qa_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    qa_at = models.DateTimeField(null=True, blank=True)
    objects = owned_by_authority("visit__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["visit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "version"], name="one_report_per_visit_version"),
            models.UniqueConstraint(
                fields=["visit"], condition=~Q(status="superseded"), name="one_current_report_per_visit"
            ),
        ]

    def __str__(self):
        return f"Report on {self.visit}, version {self.version}"


# Action plans ----------------------------------------------------------------------------------------


class ActionPlan(Versioned):
    """A school's plan for the year. Its version moves on with every change to the plan or to
    anything in it, so that a headteacher agrees the plan they read."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Action plan"
        STATEMENT_OF_ACTION = "statement_of_action", "Statement of Action"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed with the headteacher"
        UNDER_REVIEW = "under_review", "Under review"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="action_plans")
    academic_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLAN)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAFT)
    due_by = models.DateField(help_text="By October half-term")
    agreed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)
    academy_order_on = models.DateField("academy order made on", null=True, blank=True)
    academy_trust = models.CharField("trust to take the school on", max_length=200, blank=True)
    conversion_expected_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords(excluded_fields=VERSION_FIELDS)

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "school", "academic_year"], name="one_plan_per_school_year")
        ]
        # A year's plans past their due date, and last year's (a plan carried forward), read without
        # scanning every year's plans (the officer's home).
        indexes = [models.Index(fields=["academic_year", "due_by"], name="support_plan_year_due")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.school}, {self.academic_year}"

    def get_absolute_url(self):
        return reverse("support:plan", args=[self.school.urn])


class Priority(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    objects = owned_by_authority("plan__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class Action(Versioned):
    class Rag(models.TextChoices):
        RED = "red", "Red: not on track"
        AMBER = "amber", "Amber: some concerns"
        GREEN = "green", "Green: on track"
        COMPLETE = "complete", "Complete"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    resources = models.TextField(blank=True)
    starts = models.DateField(null=True, blank=True)
    deadline = models.DateField()
    success_criteria = models.TextField(blank=True)
    impact_measure = models.TextField(blank=True)
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    objects = owned_by_authority("priority__plan__authority")
    history = AuditedRecords(excluded_fields=VERSION_FIELDS)

    class Meta:
        ordering = ["priority", "deadline", "pk"]

    def __str__(self):
        return self.description[:60]


class ActionUpdate(models.Model):
    """An action's status as a visit report found it."""

    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="action_updates")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    rag = models.CharField(max_length=10, choices=Action.Rag.choices)
    comment = models.TextField(blank=True)

    objects = owned_by_authority("action__priority__plan__authority")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "action"], name="one_update_per_action_per_report")]

    def __str__(self):
        return f"{self.action_id}: {self.rag}"


class Milestone(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)
    objects = owned_by_authority("plan__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["plan", "due"]

    def __str__(self):
        return self.title


class PlanComment(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = owned_by_authority("plan__authority")

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment by {self.author_id} on {self.plan_id}"


# Meetings, new headteachers, self-referrals, reminders ------------------------------------------


class StrategyProgress(models.TextChoices):
    RETAIN_GOOD = "retain_good", "On track to retain Good"
    TO_BE_GOOD = "to_be_good", "On track to be Good"
    IMPROVING_RAPIDLY = "improving_rapidly", "Quality of education improving rapidly"
    NOT_ON_TRACK = "not_on_track", "Not on track"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress meeting"
        STRATEGY = "strategy", "Strategy meeting"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    scheduled_for = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # A strategy meeting is "chaired by a senior local authority officer" (seed 003).
    chair = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    progress = models.CharField("progress towards Good", max_length=20, choices=StrategyProgress.choices, blank=True)
    support_timely = models.BooleanField("support is timely", null=True, blank=True)
    impact = models.TextField("impact of the support", blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["scheduled_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "kind", "scheduled_for"], name="one_meeting_a_day_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.school} on {self.scheduled_for}"


class MeetingAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    deadline = models.DateField()
    done = models.BooleanField(default=False)
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    def __str__(self):
        return self.description[:60]


class MeetingMember(models.Model):
    """A member of a strategy meeting: one of the authority's people (an officer, the school's
    partner) or a named member from the school's side, by role (seed 003)."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Senior local authority officer"
        PARTNER = "partner", "School improvement professional providing the support"
        HEADTEACHER = "headteacher", "Headteacher"
        CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
        DIOCESE = "diocese", "Diocese link adviser"
        MAT = "mat", "MAT representative"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)
    person = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="a_member_is_named"),
            models.UniqueConstraint(fields=["meeting", "person"], name="a_person_is_a_member_once"),
        ]

    def __str__(self):
        role = self.get_role_display()
        first = role.split()[0]
        return f"{self.person or self.name}, {role if first.isupper() else role[0].lower() + role[1:]}"


class NewHeadteacher(models.Model):
    """A new or acting headteacher: a visit is due in their first half-term."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="new_headteachers")
    name = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    acting = models.BooleanField(default=False)
    from_intelligence = models.BooleanField(
        default=False, help_text="Noted from an intelligence note on the start date; the name is not yet recorded"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    authority = authority_field()
    objects = owned_by_authority()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.who}, from {self.starts_on}"

    @property
    def who(self) -> str:
        """The head by name; one noted from intelligence has none (the note's words are not a name)."""
        return self.name or f"New headteacher noted from intelligence on {self.starts_on:%-d %B %Y}"


class HeadteacherRecruitment(models.Model):
    """The authority's support for a school recruiting a headteacher (seed 000: "support for
    headteacher recruitment and induction of new headteachers"). The appointment notes the new head."""

    class Stage(models.TextChoices):
        ADVERT = "advert", "Advert"
        SHORTLISTING = "shortlisting", "Shortlisting"
        INTERVIEWS = "interviews", "Interviews"
        APPOINTED = "appointed", "Appointed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="headteacher_recruitments")
    started_on = models.DateField()
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.ADVERT)
    adviser = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    appointed_name = models.CharField("appointed headteacher", max_length=200, blank=True)
    appointed_starts_on = models.DateField("appointed headteacher starts on", null=True, blank=True)
    notes = models.TextField(blank=True)
    new_head = models.OneToOneField(
        NewHeadteacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="recruitment"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="appointed") | (Q(appointed_name__gt="") & Q(appointed_starts_on__isnull=False)),
                name="an_appointment_names_the_head_and_start",
            )
        ]

    def __str__(self):
        return f"Headteacher recruitment at {self.school_id} from {self.started_on}"


class SelfReferral(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONSIDERED = "considered", "Considered"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="self_referrals")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    response = models.TextField(blank=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Self-referral from {self.school_id} on {self.submitted_at:%Y-%m-%d}"


class ReminderSent(models.Model):
    """A reminder that has gone: its key makes sure the same one never goes twice."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


# Quality assurance of partners and statutory assessment moderation ------------------------------------


class PartnerQualityRecord(models.Model):
    """A priority partner's quality assurance for one academic year, as seed 004 sets it out
    ("Quality Assurance of the work of Priority Partners"): a day's formal induction at the start
    of the year, Keep in Touch events at least termly, one visit shadowed by the DCSI or a board
    member, a performance review at the end of the summer term after the partner's own
    self-assessment, and the results of the heads' and chairs' questionnaire in the autumn."""

    partner = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="quality_records")
    academic_year = models.PositiveSmallIntegerField()
    inducted_on = models.DateField("formal induction day", null=True, blank=True)
    shadowed_visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shadowed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shadowing_feedback = models.TextField(blank=True)
    self_assessed_on = models.DateField("self-assessment completed on", null=True, blank=True)
    reviewed_on = models.DateField("performance review held on", null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_outcome = models.TextField(blank=True)
    questionnaires_sent = models.PositiveSmallIntegerField(null=True, blank=True)
    questionnaire_responses = models.PositiveSmallIntegerField(null=True, blank=True)
    questionnaire_score = models.DecimalField(
        "average score out of 5", max_digits=2, decimal_places=1, null=True, blank=True
    )
    questionnaire_summary = models.TextField(blank=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "partner", "academic_year"], name="one_quality_record_per_partner_year"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True)
                | Q(self_assessed_on__isnull=False, self_assessed_on__lte=models.F("reviewed_on")),
                name="a_review_follows_the_self_assessment",
            ),
            models.CheckConstraint(
                condition=Q(questionnaire_score__isnull=True)
                | Q(questionnaire_score__gte=1, questionnaire_score__lte=5),
                name="a_questionnaire_score_is_1_to_5",
            ),
        ]

    def __str__(self):
        return f"Quality assurance of {self.partner} in {academic_year_label(self.academic_year)}"

    def get_absolute_url(self):
        return reverse("support:partner-quality", args=[self.partner_id]) + f"?year={self.academic_year}"


class PartnerTraining(models.Model):
    """Training a partner attended in the year: a Keep in Touch event (at least termly), local
    Ofsted training, a conference or team meeting."""

    class Kind(models.TextChoices):
        KEEP_IN_TOUCH = "keep_in_touch", "Keep in Touch event"
        OFSTED = "ofsted", "Local Ofsted training"
        CONFERENCE = "conference", "Conference or team meeting"
        OTHER = "other", "Other training"

    record = models.ForeignKey(PartnerQualityRecord, on_delete=models.CASCADE, related_name="training")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    attended_on = models.DateField()
    objects = owned_by_authority("record__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["attended_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.attended_on}"


class AssessmentModeration(models.Model):
    """The authority's statutory moderation of a school's teacher assessment in one year and key
    stage (seed 000: "statutory moderation processes")."""

    class Stage(models.TextChoices):
        EYFS = "eyfs", "Early years foundation stage profile"
        KS1 = "ks1", "Key stage 1"
        KS2_WRITING = "ks2_writing", "Key stage 2 writing"

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        NOT_AGREED = "not_agreed", "Not agreed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="moderations")
    academic_year = models.PositiveSmallIntegerField()
    stage = models.CharField("assessment", max_length=20, choices=Stage.choices)
    moderated_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    moderator = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-academic_year", "school__name", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year", "stage"], name="one_moderation_per_school_year_stage"
            )
        ]

    def __str__(self):
        return f"{self.get_stage_display()} moderation of {self.school} in {academic_year_label(self.academic_year)}"


# Oxfordshire: RI to Good in four terms, the new headteachers' network, academies' conversations ---------


class RiToGoodReview(models.Model):
    """A review of a school that requires improvement against its target to "meet the criteria for
    Good within four terms" (seed 003)."""

    class Judgement(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        MEETS_GOOD = "meets_good", "Meets the criteria for Good"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="ri_reviews")
    inspection = models.ForeignKey(
        "schools.Inspection", on_delete=models.CASCADE, related_name="+", help_text="The RI inspection"
    )
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    judgement = models.CharField(max_length=12, choices=Judgement.choices)
    evidence = models.TextField()
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(evidence=""), name="a_review_has_evidence")]

    def __str__(self):
        return f"{self.get_judgement_display()} for {self.school_id} on {self.reviewed_on}"


class NetworkMeeting(models.Model):
    """A meeting of the network the authority establishes for new headteachers (seed 003)."""

    held_on = models.DateField()
    topic = models.CharField(max_length=300)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.topic}, {self.held_on}"


class NetworkInvitation(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="invitations")
    head = models.ForeignKey(NewHeadteacher, on_delete=models.CASCADE, related_name="network_invitations")
    attended = models.BooleanField(null=True, blank=True, help_text="Unknown until the meeting is held")
    objects = owned_by_authority("meeting__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["meeting", "head__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "head"], name="one_invitation_per_head")]

    def __str__(self):
        return f"{self.head} to {self.meeting}"


class AcademyConversation(models.Model):
    """The annual structured conversation with the leaders of a trust (or an academy) with schools
    causing concern, RI or inadequate, or at risk of being judged less than good (seed 003)."""

    with_whom = models.CharField("trust or academy", max_length=200)
    held_on = models.DateField()
    leaders_met = models.TextField()
    schools = models.ManyToManyField("schools.School", related_name="academy_conversations")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"Conversation with {self.with_whom} on {self.held_on}"
