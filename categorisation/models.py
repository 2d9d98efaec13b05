"""Frameworks as data, the risk assessments the engine makes, and the categories people agree.

A framework (tiered support, Warwickshire, Wales) has versions; a version holds its ordered
categories, its triggers with their parameters, and its mapping (ordered rules, or a matrix).
Each run of the engine stores a risk assessment per school when the result has changed; an
officer agrees or overrides the proposal, and that decision becomes the school's category.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority
from categorisation import rules, windows
from core.calendar import academic_year_label
from core.concurrency import VERSION_FIELDS, Versioned


class Framework(models.Model):
    class Mapping(models.TextChoices):
        RULES = "rules", "Ordered rules"
        MATRIX = "matrix", "Standards group × capacity to improve"

    code = models.SlugField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="The policy document the framework comes from.")
    mapping = models.CharField(max_length=10, choices=Mapping.choices, default=Mapping.RULES)
    is_active = models.BooleanField(default=False)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="one_framework_code_per_authority"),
            models.UniqueConstraint(
                fields=["authority"], condition=Q(is_active=True), name="one_active_framework_per_authority"
            ),
        ]

    def __str__(self):
        return self.name


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    default_category = models.CharField(max_length=20, blank=True)
    matrix = models.JSONField(default=dict, blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    objects = owned_by_authority("framework__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_version_number_per_framework"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="active"), name="one_active_version_per_framework"
            ),
        ]

    def __str__(self):
        return f"{self.framework.name}, version {self.number} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("categorisation:version", args=[self.framework.code, self.number])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class MeetingCadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    HALF_TERMLY = "half_termly", "Half-termly"
    TERMLY = "termly", "Termly"
    YEARLY = "yearly", "Once a year"


class Category(models.Model):
    """A category of a framework version, ordered by how much support it brings (``rank``)."""

    class Colour(models.TextChoices):
        GREEN = "green", "Green"
        TURQUOISE = "turquoise", "Turquoise"
        BLUE = "blue", "Blue"
        YELLOW = "yellow", "Yellow"
        ORANGE = "orange", "Orange"
        RED = "red", "Red"
        PURPLE = "purple", "Purple"
        GREY = "grey", "Grey"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.GREY)
    rank = models.PositiveSmallIntegerField(help_text="0 needs the least support.")
    adviser_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    teaching_adviser_days = models.DecimalField(
        "learning and teaching adviser days", max_digits=5, decimal_places=1, default=0
    )
    progress_meetings_per_year = models.PositiveSmallIntegerField(default=0)
    meeting_cadence = models.CharField(
        "how often the meetings are held", max_length=20, choices=MeetingCadence.choices, blank=True
    )
    visit_pattern = models.CharField(
        max_length=200, blank=True, help_text="As the policy words it, for example “2 weekly visits”."
    )
    brokered_support = models.BooleanField(default=False)
    funding_per_pupil = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    support_summary = models.TextField(blank=True)
    objects = owned_by_authority("version__framework__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["version", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_category_code_per_version"),
            models.UniqueConstraint(fields=["version", "rank"], name="one_category_rank_per_version"),
        ]

    def __str__(self):
        return self.label


class TriggerDefinition(models.Model):
    class Severity(models.IntegerChoices):
        INFORMATION = 0, "Information"
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        CRITICAL = 4, "Critical"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="triggers")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=[(k, v.description) for k, v in rules.KINDS.items()])
    params = models.JSONField(default=dict, blank=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    passage = models.TextField(blank=True, help_text="The policy passage the trigger comes from.")
    enabled = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    objects = owned_by_authority("version__framework__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_trigger_code_per_version")]

    def __str__(self):
        return self.label


class MappingRule(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField()
    category_code = models.CharField(max_length=20)
    all_of = models.JSONField(default=list, blank=True)
    any_of = models.JSONField(default=list, blank=True)
    min_any = models.PositiveSmallIntegerField(default=1)
    min_severity = models.PositiveSmallIntegerField(null=True, blank=True, choices=TriggerDefinition.Severity.choices)
    min_count = models.PositiveSmallIntegerField(default=1)
    description = models.CharField(max_length=300, blank=True)
    objects = owned_by_authority("version__framework__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="one_rule_per_order_per_version")]

    def __str__(self):
        return f"{self.order}: {self.category_code}"


class InspectionPolicySetting(models.Model):
    """The intervals used to estimate each school's next inspection (one row, editable)."""

    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return "Inspection intervals"

    @property
    def policy(self) -> windows.InspectionPolicy:
        return windows.InspectionPolicy.from_dict(self.values)


class RecategorisationRun(models.Model):
    class Trigger(models.TextChoices):
        IMPORT = "import", "After an import"
        NIGHTLY = "nightly", "Nightly"
        MANUAL = "manual", "Run by an officer"
        SCHOOL = "school", "New information about a school"
        FRAMEWORK = "framework", "Framework changed"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Scope(models.TextChoices):
        EVERY = "every", "Every school"
        CHANGED = "changed", "Schools changed or due"
        NAMED = "named", "Schools named"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="runs")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.EVERY)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_run = models.ForeignKey(
        "schools.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="recategorisations"
    )
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    schools = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0, help_text="New assessments written.")
    unchanged = models.PositiveIntegerField(default=0)
    proposals_pending = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    objects = owned_by_authority("version__framework__authority")

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Recategorisation {self.pk} ({self.get_trigger_display()})"

    @property
    def duration_seconds(self) -> float | None:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None


class RiskAssessment(models.Model):
    """One evaluation of one school under one framework version: the triggers that fired, with
    their evidence, and the proposed category. Written only when the result changes, and never
    changed afterwards: with its run (who or what started it, when, after which import) it is its
    own audit record, so it keeps no history rows (README, "How an auditor reads the engine's work")."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="assessments")
    proposed = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    fired = models.JSONField(default=list)
    explanation = models.TextField()
    basis = models.CharField(max_length=300, blank=True)
    result_hash = models.CharField(max_length=64)
    run = models.ForeignKey(RecategorisationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    # The engine's output, worked out again from the school's data: undoing the import that added
    # a school deletes these with it (schools.imports.undo_run).
    RECOMPUTED = Q(pk__isnull=False)
    objects = owned_by_authority("version__framework__authority")

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["school", "version", "-assessed_at"])]

    def __str__(self):
        return f"Assessment of {self.school_id}: {self.proposed.code}"


class AssessmentSchedule(models.Model):
    """When each school is next assessed under its authority's framework: once its facts change
    (``changed_at`` after ``assessed_at``), or on the first day its result could change with the same
    facts (``due_on``: a note ages out, an inspection window opens, data gets a year older; the
    engine's ``rules.next_change``). The nightly run assesses only those schools, and the schools
    never assessed under the active version; a new version, or an officer's run, assesses every one.
    Bookkeeping the engine keeps for itself: no history, never shown."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    assessed_at = models.DateTimeField(help_text="When the facts of the latest assessment were read.")
    due_on = models.DateField(help_text="The first day the result could change with the same facts.")
    changed_at = models.DateTimeField(null=True, blank=True, help_text="When the school's facts last changed.")

    objects = owned_by_authority("framework__authority")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "school"], name="one_assessment_schedule_per_school")
        ]

    def __str__(self):
        return f"{self.school_id} in {self.framework_id}: due {self.due_on}"


class CategoryDecision(models.Model):
    """Who put a school in a category, from what, why, and on which assessment."""

    class Kind(models.TextChoices):
        AGREED = "agreed", "Agreed the proposal"
        OVERRIDDEN = "overridden", "Overrode the proposal"
        BOARD = "board", "Advisory board decision"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="category_decisions")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="decisions")
    assessment = models.ForeignKey(RiskAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    objects = owned_by_authority("framework__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="overridden") | ~Q(rationale=""), name="an_override_has_a_rationale"
            )
        ]

    def __str__(self):
        return f"{self.school_id}: {self.category.code} ({self.get_kind_display()})"


class SchoolCategory(Versioned):
    """Each school's standing under each framework: its agreed category and the engine's latest
    proposal. Exactly one row per school and framework. Its version moves on with each decision
    and each new proposal, so nobody agrees a proposal they have not seen."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="categories")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(CategoryDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assessment = models.ForeignKey(RiskAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pending = models.BooleanField(default=False, help_text="The latest proposal awaits agreement.")
    updated_at = models.DateTimeField(auto_now=True)
    objects = owned_by_authority("framework__authority")
    history = AuditedRecords(
        no_db_index=["framework", "category", "decision", "assessment", "proposed"], excluded_fields=VERSION_FIELDS
    )

    # A standing nobody has agreed holds only the engine's proposal: undoing the import that added
    # the school deletes it with the school. An agreed category stops the undo.
    RECOMPUTED = Q(category__isnull=True, decision__isnull=True)

    class Meta:
        verbose_name_plural = "school categories"
        constraints = [
            models.UniqueConstraint(fields=["school", "framework"], name="one_category_per_school_and_framework")
        ]
        indexes = [models.Index(fields=["framework", "pending"])]

    def __str__(self):
        return f"{self.school_id} in {self.framework_id}: {self.category_id}"


# The Welsh national categorisation's first two steps ------------------------------------------------


class StandardsGroup(models.Model):
    """Step 1 of the Welsh national categorisation: a school's standards group (1 to 4) for an
    academic year, from Welsh data, entered by the authority or imported from the published table.
    Never worked out from English measures."""

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered by the authority"
        IMPORTED = "imported", "Imported from the published table"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="standards_groups")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2026 is 2026/27.")
    group = models.PositiveSmallIntegerField(choices=[(n, f"Standards group {n}") for n in range(1, 5)])
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["school", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year"], name="one_standards_group_per_school_and_year"
            )
        ]

    def __str__(self):
        return f"{self.school_id}: group {self.group} in {self.academic_year}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)


class CapacityJudgement(models.Model):
    """Step 2: the challenge adviser's judgement of a school's capacity to improve (A to D) for an
    academic year, with its evidence. It counts once an officer of the authority has agreed it."""

    class Capacity(models.TextChoices):
        A = "A", "A: highly effective"
        B = "B", "B: effective"
        C = "C", "C: in need of improvement"
        D = "D", "D: in need of greatest improvement"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="capacity_judgements")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2026 is 2026/27.")
    capacity = models.CharField(max_length=1, choices=Capacity.choices)
    evidence = models.TextField()
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_on = models.DateField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_on = models.DateField(null=True, blank=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["school", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year"], name="one_capacity_judgement_per_school_and_year"
            )
        ]

    def __str__(self):
        return f"{self.school_id}: capacity {self.capacity} in {self.academic_year}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)
