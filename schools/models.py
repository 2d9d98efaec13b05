"""Know every school: the register, Ofsted inspections, performance data and intelligence.

Records that come from published files carry the natural key of that file (URN, inspection
number, URN + academic year + measure) so a re-import updates rather than duplicates.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority
from core.links import quick_reverse
from schools import estyn, ofsted


class LocalAuthority(models.Model):
    """A local authority by its DfE three-digit code (e.g. 330 Birmingham)."""

    code = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=10, blank=True)
    region_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        # The school list sorted by local authority walks the LAs in this order, a page's few at a time.
        indexes = [models.Index(fields=["name"], name="schools_la_name_idx")]

    def __str__(self):
        return f"{self.name} ({self.code})"


class SchoolGroup(models.Model):
    """A GIAS group: multi-academy or single-academy trust, federation, trust or sponsor."""

    uid = models.PositiveIntegerField("Group UID", unique=True)
    group_id = models.CharField("Group ID", max_length=100, blank=True)
    name = models.CharField(max_length=255)
    companies_house_number = models.CharField(max_length=20, blank=True)
    type_code = models.CharField(max_length=10, blank=True)
    type_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=40, blank=True)
    open_date = models.DateField(null=True, blank=True)
    closed_date = models.DateField(null=True, blank=True)
    incorporated_on = models.DateField(null=True, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    head_of_group = models.CharField(max_length=200, blank=True)
    ukprn = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# GIAS type groups of the schools an English LA maintains. GIAS lists every Welsh establishment,
# maintained or independent alike, as type 30 in the group "Welsh schools": never an English
# authority's school (``schools.access.remit_q``). Of those, the independent schools are told by
# their establishment number, 6000 to 6999 as for every LA (in GIAS: Bangor Independent School
# 661/6034, Cardiff Sixth Form College 681/6101, Summergil House School 666/6052).
MAINTAINED_TYPE_GROUPS = (
    "Local authority maintained schools",
    "LA maintained schools",
    "Special schools",
)
NOT_MAINTAINED_TYPES = ("Non-maintained special school",)
ACADEMY_TYPE_GROUPS = ("Academies", "Free Schools")
WELSH_TYPE_GROUPS = ("Welsh schools",)
INDEPENDENT_NUMBERS = (6000, 6999)


def maintained_q(prefix: str = "", *, welsh: bool = False) -> Q:
    """Filter for maintained schools (``prefix`` like ``school__`` for related lookups): England's
    LA maintained and special schools, or with ``welsh`` the Welsh establishments but independent ones."""
    if welsh:
        return welsh_q(prefix) & ~Q(**{f"{prefix}establishment_number__range": INDEPENDENT_NUMBERS})
    return Q(**{f"{prefix}type_group_name__in": MAINTAINED_TYPE_GROUPS}) & ~Q(
        **{f"{prefix}type_name__in": NOT_MAINTAINED_TYPES}
    )


def welsh_q(prefix: str = "") -> Q:
    """Filter for Welsh establishments, maintained or independent (GIAS's type group "Welsh
    schools", which every one of LAs 660 to 681 is in): Estyn inspects them, never Ofsted."""
    return Q(**{f"{prefix}type_group_name__in": WELSH_TYPE_GROUPS})


class School(models.Model):
    """An establishment in the DfE register (GIAS), identified by its URN."""

    urn = models.PositiveIntegerField("URN", unique=True)
    # Indexed together with the name (Meta.indexes), which also serves lookups by LA alone.
    la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools", verbose_name="LA", db_index=False
    )
    establishment_number = models.PositiveIntegerField(null=True, blank=True)
    laestab = models.PositiveIntegerField("LAESTAB", null=True, blank=True, db_index=True)
    name = models.CharField(max_length=255)
    type_code = models.CharField(max_length=10, blank=True)
    type_name = models.CharField("type", max_length=100, blank=True)
    type_group_code = models.CharField(max_length=10, blank=True)
    type_group_name = models.CharField("type group", max_length=100, blank=True)
    status_code = models.CharField(max_length=10, blank=True)
    status_name = models.CharField("status", max_length=60, blank=True)
    open_date = models.DateField(null=True, blank=True)
    reason_opened = models.CharField(max_length=100, blank=True)
    close_date = models.DateField(null=True, blank=True)
    reason_closed = models.CharField(max_length=100, blank=True)
    phase_code = models.CharField(max_length=10, blank=True)
    phase_name = models.CharField("phase", max_length=60, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    religious_character = models.CharField(max_length=100, blank=True)
    diocese_code = models.CharField(max_length=10, blank=True)
    diocese_name = models.CharField(max_length=100, blank=True)
    admissions_policy = models.CharField(max_length=60, blank=True)
    trust = models.ForeignKey(
        SchoolGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="trust_schools"
    )
    federation = models.ForeignKey(
        SchoolGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="federation_schools"
    )
    sponsor_name = models.CharField(max_length=255, blank=True)
    head_title = models.CharField(max_length=20, blank=True)
    head_first_name = models.CharField(max_length=100, blank=True)
    head_last_name = models.CharField(max_length=100, blank=True)
    head_job_title = models.CharField(max_length=100, blank=True)
    pupils_on_roll = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    percentage_fsm = models.DecimalField("% FSM", max_digits=5, decimal_places=1, null=True, blank=True)
    census_date = models.DateField(null=True, blank=True)
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    address3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    website = models.CharField(max_length=255, blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    region_name = models.CharField(max_length=60, blank=True)
    ukprn = models.CharField("UKPRN", max_length=20, blank=True)
    last_changed_date = models.DateField(null=True, blank=True)
    # Denormalised from the inspections so that the list can filter and sort on it at scale;
    # kept current by the Ofsted import service.
    # Indexed: deleting inspections (undoing an import) checks this key for each one.
    latest_inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ofsted_outcome = models.CharField(
        "latest Ofsted outcome", max_length=30, choices=ofsted.Outcome.choices, blank=True
    )
    ofsted_outcome_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedRecords(no_db_index=["la", "trust", "federation", "latest_inspection", "laestab"])

    class Meta:
        ordering = ["name", "urn"]
        # Few indexes on purpose: every one is paid for on each import of the national register.
        # Type, phase, status and outcome have a handful of values each; filtering 22,000 rows on
        # them needs no index.
        indexes = [models.Index(fields=["la", "name"]), models.Index(fields=["name", "urn"])]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    def get_absolute_url(self):
        return quick_reverse("schools:detail", self.urn)

    @property
    def is_welsh(self) -> bool:
        """A Welsh establishment (``welsh_q``): Estyn inspects it, never Ofsted."""
        return self.type_group_name in WELSH_TYPE_GROUPS

    @property
    def is_maintained(self) -> bool:
        """Maintained by a local authority (the schools an LA's statutory powers reach)."""
        if self.is_welsh:
            low, high = INDEPENDENT_NUMBERS
            return not (self.establishment_number and low <= self.establishment_number <= high)
        return self.type_group_name in MAINTAINED_TYPE_GROUPS and self.type_name not in NOT_MAINTAINED_TYPES

    @property
    def is_church_school(self) -> bool:
        """A school with a religious character, whose diocese receives a warning notice too."""
        return self.religious_character.strip().lower() not in ("", "none", "does not apply")

    @property
    def laestab_display(self) -> str:
        if not self.laestab:
            return ""
        text = str(self.laestab)
        return f"{text[:3]}/{text[3:]}"

    @property
    def headteacher_name(self) -> str:
        return " ".join(p for p in (self.head_title, self.head_first_name, self.head_last_name) if p)

    @property
    def age_range(self) -> str:
        if self.statutory_low_age is None or self.statutory_high_age is None:
            return ""
        return f"{self.statutory_low_age} to {self.statutory_high_age}"

    @property
    def address_lines(self) -> list[str]:
        return [p for p in (self.street, self.locality, self.address3, self.town, self.county, self.postcode) if p]


class SchoolLink(models.Model):
    """A GIAS establishment link: predecessor or successor (merged, amalgamated, split...)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="links")
    linked_urn = models.PositiveIntegerField("linked URN")
    linked_name = models.CharField(max_length=255, blank=True)
    link_type = models.CharField(max_length=120)
    established_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-established_on", "linked_urn"]
        constraints = [
            models.UniqueConstraint(fields=["school", "linked_urn", "link_type"], name="one_link_per_pair_and_type")
        ]

    def __str__(self):
        return f"{self.school_id} {self.link_type} {self.linked_urn}"


class GroupMembership(models.Model):
    """A school's membership of a GIAS group (trust, federation, sponsor), from group links."""

    group = models.ForeignKey(SchoolGroup, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="group_memberships")
    joined_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "school"], name="one_membership_per_group_school")]

    def __str__(self):
        return f"{self.school_id} in {self.group_id}"


def _between(field: str, low: int, high: int) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


_GRADED_JUDGEMENTS = [
    "quality_of_education",
    "behaviour_and_attitudes",
    "personal_development",
    "leadership_and_management",
    "early_years",
    "sixth_form",
]
_REPORT_CARD_AREAS = [area.field for area in ofsted.REPORT_CARD_AREAS]


class Inspection(models.Model):
    """One Ofsted inspection, in the shape of the framework it was carried out under.

    The three shapes are never converted into one another (DESIGN §6): a graded inspection
    (to August 2024) has an overall effectiveness grade 1–4; an inspection from September 2024
    to November 2025 has the key judgements but no overall grade; a report card (from
    10 November 2025) grades each evaluation area on five points with safeguarding met or not
    met. An ungraded (section 8) inspection has an outcome sentence only.
    """

    Shape = ofsted.Shape

    inspection_number = models.CharField(max_length=20, unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="inspections")
    shape = models.CharField(max_length=20, choices=ofsted.Shape.choices)
    inspection_type = models.CharField(max_length=100, blank=True)
    type_grouping = models.CharField(max_length=100, blank=True)
    event_type_grouping = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    relates_to_current_urn = models.BooleanField(null=True, blank=True)
    urn_at_time = models.PositiveIntegerField(null=True, blank=True)
    school_name_at_time = models.CharField(max_length=255, blank=True)
    school_type_at_time = models.CharField(max_length=100, blank=True)
    category_of_concern = models.CharField(max_length=40, choices=ofsted.CategoryOfConcern.choices, blank=True)
    # Graded shape (and, without the overall grade, September 2024 to November 2025).
    overall_effectiveness = models.PositiveSmallIntegerField(null=True, blank=True)
    quality_of_education = models.PositiveSmallIntegerField(null=True, blank=True)
    behaviour_and_attitudes = models.PositiveSmallIntegerField(null=True, blank=True)
    personal_development = models.PositiveSmallIntegerField(null=True, blank=True)
    leadership_and_management = models.PositiveSmallIntegerField(null=True, blank=True)
    early_years = models.PositiveSmallIntegerField(null=True, blank=True)
    sixth_form = models.PositiveSmallIntegerField(null=True, blank=True)
    safeguarding_effective = models.BooleanField(null=True, blank=True)
    # Report-card shape: 1 exceptional … 5 urgent improvement.
    rc_inclusion = models.PositiveSmallIntegerField("inclusion", null=True, blank=True)
    rc_curriculum_and_teaching = models.PositiveSmallIntegerField("curriculum and teaching", null=True, blank=True)
    rc_achievement = models.PositiveSmallIntegerField("achievement", null=True, blank=True)
    rc_attendance_and_behaviour = models.PositiveSmallIntegerField("attendance and behaviour", null=True, blank=True)
    rc_personal_development = models.PositiveSmallIntegerField(
        "personal development and well-being", null=True, blank=True
    )
    rc_leadership_and_governance = models.PositiveSmallIntegerField("leadership and governance", null=True, blank=True)
    rc_early_years = models.PositiveSmallIntegerField("early years", null=True, blank=True)
    rc_post_16 = models.PositiveSmallIntegerField("post-16 provision", null=True, blank=True)
    rc_safeguarding_met = models.BooleanField("safeguarding standards met", null=True, blank=True)
    # Ungraded shape.
    ungraded_outcome = models.CharField(max_length=255, blank=True)
    # Judgements published as not made, by field, with Ofsted's code: {"early_years": "9"}.
    not_graded = models.JSONField(
        default=dict, blank=True, help_text="Judgements Ofsted published as not made (9, Not applicable, Not judged)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedRecords()

    class Meta:
        ordering = ["-start_date", "-inspection_number"]
        indexes = [models.Index(fields=["school", "-start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(shape=ofsted.Shape.GRADED) & Q(overall_effectiveness__isnull=False))
                | (~Q(shape=ofsted.Shape.GRADED) & Q(overall_effectiveness__isnull=True)),
                name="overall_grade_only_on_graded_inspections",
            ),
            models.CheckConstraint(
                condition=Q(shape=ofsted.Shape.REPORT_CARD)
                | Q(**{f"{field}__isnull": True for field in _REPORT_CARD_AREAS}, rc_safeguarding_met__isnull=True),
                name="report_card_grades_only_on_report_cards",
            ),
            models.CheckConstraint(
                condition=~Q(shape=ofsted.Shape.REPORT_CARD)
                | Q(**{f"{field}__isnull": True for field in _GRADED_JUDGEMENTS}, safeguarding_effective__isnull=True),
                name="report_cards_have_no_graded_judgements",
            ),
            models.CheckConstraint(
                condition=_between("overall_effectiveness", 1, 4)
                & _between("quality_of_education", 1, 4)
                & _between("behaviour_and_attitudes", 1, 4)
                & _between("personal_development", 1, 4)
                & _between("leadership_and_management", 1, 4)
                & _between("early_years", 1, 4)
                & _between("sixth_form", 1, 4),
                name="graded_judgements_between_1_and_4",
            ),
            models.CheckConstraint(
                condition=_between("rc_inclusion", 1, 5)
                & _between("rc_curriculum_and_teaching", 1, 5)
                & _between("rc_achievement", 1, 5)
                & _between("rc_attendance_and_behaviour", 1, 5)
                & _between("rc_personal_development", 1, 5)
                & _between("rc_leadership_and_governance", 1, 5)
                & _between("rc_early_years", 1, 5)
                & _between("rc_post_16", 1, 5),
                name="report_card_grades_between_1_and_5",
            ),
        ]

    def __str__(self):
        return f"{self.inspection_number} ({self.get_shape_display()})"

    def save(self, *args, **kwargs):
        # Every way one inspection is written (a service, the admin) passes here; the imports,
        # which write in bulk, set Welsh schools' rows aside with a warning instead.
        refuse_ofsted_for_welsh(self.school if self.school_id else None)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        refuse_ofsted_for_welsh(self.school if self.school_id else None)

    @property
    def facts(self) -> ofsted.InspectionFacts:
        """The plain-Python view of this inspection that the domain rules work on."""
        return ofsted.InspectionFacts(
            shape=ofsted.Shape(self.shape),
            start_date=self.start_date,
            overall_effectiveness=self.overall_effectiveness,
            category_of_concern=self.category_of_concern,
            key_judgements={f: getattr(self, f) for f in _GRADED_JUDGEMENTS},
            report_card={f: getattr(self, f) for f in _REPORT_CARD_AREAS},
            safeguarding_met=self.rc_safeguarding_met,
            ungraded_outcome=self.ungraded_outcome,
        )

    @property
    def summary(self) -> str:
        return ofsted.summarise(self.facts)

    @property
    def ungraded_signal(self) -> ofsted.UngradedSignal | None:
        """What an ungraded inspection's published outcome says about the next inspection, if anything."""
        signal = ofsted.ungraded_signal(self.ungraded_outcome) if self.shape == ofsted.Shape.UNGRADED else ""
        return ofsted.UngradedSignal(signal) if signal else None

    @property
    def graded_judgements(self) -> list[tuple[str, str]]:
        """Each key judgement made, and each Ofsted published as not made, in its words."""
        not_graded = self.not_graded or {}
        return [
            (label, ofsted.graded_label(grade, self.start_date))
            if (grade := getattr(self, field)) is not None
            else (label, ofsted.not_graded_label(not_graded[field]))
            for field, label in ofsted.GRADED_JUDGEMENT_LABELS
            if getattr(self, field) is not None or field in not_graded
        ]

    @property
    def report_card_grades(self) -> list[tuple[str, str, int | None]]:
        not_graded = self.not_graded or {}
        return [
            (area.label, ofsted.REPORT_CARD_GRADES[grade], grade)
            if (grade := getattr(self, area.field)) is not None
            else (area.label, ofsted.not_graded_label(not_graded[area.field]), None)
            for area in ofsted.REPORT_CARD_AREAS
            if getattr(self, area.field) is not None or area.field in not_graded
        ]


def ofsted_not_for_welsh(school: School) -> str:
    return (
        f"Ofsted does not inspect schools in Wales: {school.name} is a Welsh school, so its inspections "
        "are Estyn's. Record an Estyn inspection instead."
    )


def refuse_ofsted_for_welsh(school: School | None) -> None:
    """Ofsted data never attaches to a Welsh school (issue 21)."""
    if school is not None and school.is_welsh:
        raise ValidationError(ofsted_not_for_welsh(school))


_ESTYN_GRADES = [j.field for j in estyn.ALL_JUDGEMENTS]
_SUMMARY_FIELDS = [j.field for j in estyn.SUMMARY_JUDGEMENTS]
_AREA_FIELDS = [j.field for j in estyn.INSPECTION_AREAS]


def _estyn_grade(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, help_text="1 Excellent … 4 Unsatisfactory")


class EstynInspection(models.Model):
    """One Estyn inspection of a Welsh school, in the shape of the framework it was carried out
    under (``schools.estyn``), with the follow-up Estyn placed the school in.

    The judgements are a nullable field each, as the Ofsted inspections' are: the database checks
    that each is on the four-point scale and belongs to the inspection's framework, and a list can
    filter on one without reading JSON. Shared register data: no authority. Entered by an officer
    (``source`` "form") or imported from the portal's Estyn layout (``source`` "import"; the
    import's journal and the audit trail name the run)."""

    Shape = estyn.Shape
    FollowUp = estyn.FollowUp

    class Source(models.TextChoices):
        FORM = "form", "Recorded by an officer"
        IMPORT = "import", "Imported from a file"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="estyn_inspections")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField("report published", null=True, blank=True)
    shape = models.CharField(max_length=20, choices=estyn.Shape.choices)
    current_performance = _estyn_grade("current performance")
    prospects_for_improvement = _estyn_grade("prospects for improvement")
    standards = _estyn_grade("standards")
    wellbeing_and_attitudes = _estyn_grade("wellbeing and attitudes to learning")
    teaching_and_learning = _estyn_grade("teaching and learning experiences")
    care_support_and_guidance = _estyn_grade("care, support and guidance")
    leadership_and_management = _estyn_grade("leadership and management")
    follow_up = models.CharField(max_length=30, choices=estyn.FollowUp.choices, default=estyn.FollowUp.NONE)
    follow_up_removed_on = models.DateField("removed from follow-up on", null=True, blank=True)
    report_url = models.URLField("report", max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedRecords(no_db_index=["recorded_by"])

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start_date"], name="one_estyn_inspection_per_school_and_day"),
            models.CheckConstraint(
                condition=Q(*[_between(f, 1, 4) for f in _ESTYN_GRADES]),
                name="estyn_grades_between_1_and_4",
            ),
            models.CheckConstraint(
                condition=Q(shape=estyn.Shape.PRE_2017) | Q(**{f"{f}__isnull": True for f in _SUMMARY_FIELDS}),
                name="estyn_summary_judgements_only_before_2017",
            ),
            models.CheckConstraint(
                condition=Q(shape=estyn.Shape.INSPECTION_AREAS) | Q(**{f"{f}__isnull": True for f in _AREA_FIELDS}),
                name="estyn_area_judgements_only_2017_to_2022",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_removed_on__isnull=True) | ~Q(follow_up=estyn.FollowUp.NONE),
                name="estyn_follow_up_removed_only_when_in_follow_up",
            ),
        ]

    def __str__(self):
        return f"Estyn inspection of {self.school_id} on {self.start_date}"

    def clean(self):
        super().clean()
        problems: dict[str, str] = {}
        if self.school_id and not self.school.is_welsh:
            problems["school"] = (
                f"Estyn inspects schools in Wales only: {self.school.name} is not a Welsh school, "
                "so its inspections are Ofsted's"
            )
        if self.start_date and self.shape and estyn.shape_for(self.start_date) != self.shape:
            implied = estyn.Shape(estyn.shape_for(self.start_date))
            problems["shape"] = (
                f"An inspection that started on {self.start_date:%-d %B %Y} was under Estyn's framework "
                f"“{implied.label}”"
            )
        elif self.shape:
            problems |= estyn.judgement_problems(self.shape, self.grades)
        if self.end_date and self.start_date and self.end_date < self.start_date:
            problems["end_date"] = "The inspection must end on or after the day it started"
        if self.follow_up_removed_on and self.follow_up == estyn.FollowUp.NONE:
            problems["follow_up_removed_on"] = "Only a school placed in follow-up can be removed from it"
        elif self.follow_up_removed_on and self.start_date and self.follow_up_removed_on < self.start_date:
            problems["follow_up_removed_on"] = "The school was removed from follow-up after the inspection"
        if problems:
            raise ValidationError(problems)

    @property
    def grades(self) -> dict[str, int | None]:
        return {f: getattr(self, f) for f in _ESTYN_GRADES}

    @property
    def facts(self) -> estyn.EstynFacts:
        return estyn.EstynFacts(
            start_date=self.start_date,
            shape=estyn.Shape(self.shape),
            follow_up=estyn.FollowUp(self.follow_up),
            judgements=tuple(
                (j.field, grade) for j in estyn.JUDGEMENTS_OF[self.shape] if (grade := getattr(self, j.field))
            ),
            follow_up_removed_on=self.follow_up_removed_on,
        )

    @property
    def judgements(self) -> list[tuple[str, str, int]]:
        """Each judgement made, in Estyn's words for the framework: (area, words, grade)."""
        return [
            (j.label, estyn.grade_label(self.shape, grade), grade)
            for j in estyn.JUDGEMENTS_OF[self.shape]
            if (grade := getattr(self, j.field)) is not None
        ]

    @property
    def summary(self) -> str:
        return estyn.summarise(self.facts)

    @property
    def in_follow_up(self) -> bool:
        return self.facts.in_follow_up


class PerformanceMeasure(models.Model):
    """One published figure for a school in an academic year (e.g. Progress 8 in 2018/19).

    A suppressed or not-applicable figure is stored as no value with its published marker
    (SUPP, NE, NA, LOWCOV, x, c, z …), never as 0.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="measures")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2018 is 2018/19.")
    measure = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    marker = models.CharField(max_length=12, blank=True, help_text="Published suppression or absence marker.")

    class Meta:
        ordering = ["measure", "academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "measure"], name="one_figure_per_school_year_measure"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, marker__gt="") | Q(value__isnull=False, marker=""),
                name="figure_has_a_value_or_a_marker",
            ),
        ]

    def __str__(self):
        shown = self.value if self.value is not None else self.marker
        return f"{self.school_id} {self.measure} {self.academic_year}: {shown}"


class NationalFigure(models.Model):
    """The national figure for a measure and year, by phase where the file gives it that way."""

    class Phase(models.TextChoices):
        ALL = "all", "All schools"
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        SPECIAL = "special", "Special"

    academic_year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=40)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.ALL)
    value = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "measure", "phase"], name="one_national_figure_per_year_measure_phase"
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.academic_year} {self.phase}: {self.value}"


class LocalAuthorityFigure(models.Model):
    """A figure DfE publishes for a local authority, or for England, on Explore Education Statistics
    (``schools.la_measures``): seed 004 compares the authority's EYFS, SEND and looked-after
    children's outcomes with its neighbours and England, and DfE publishes those only by LA.

    A suppressed or not-applicable figure is stored as no value with its published marker (c, x,
    z, low, u, :), never as 0. England's row has LA code 0.

    A figure DfE publishes only in its tools (LAIT) is entered by an officer: its publication is the
    source they typed, its file name says who entered it and when, and the audit trail keeps each
    correction.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", "England"
        LOCAL_AUTHORITY = "la", "Local authority"

    level = models.CharField(max_length=10, choices=Level.choices)
    la_code = models.PositiveSmallIntegerField(default=0, help_text="DfE LA code (old_la_code); 0 for England.")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2021 is 2021/22.")
    period = models.CharField(max_length=40, help_text="The period as published (time_identifier).")
    measure = models.CharField(max_length=50)
    value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    marker = models.CharField(max_length=12, blank=True, help_text="Published suppression or absence marker.")
    publication = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255, blank=True)
    history = AuditedRecords()

    class Meta:
        ordering = ["measure", "academic_year", "level", "la_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "la_code", "academic_year", "period", "measure"],
                name="one_la_figure_per_place_year_period_measure",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, marker__gt="") | Q(value__isnull=False, marker=""),
                name="la_figure_has_a_value_or_a_marker",
            ),
            models.CheckConstraint(
                condition=Q(level="national", la_code=0) | Q(level="la", la_code__gt=0),
                name="la_figure_england_has_no_la_code",
            ),
        ]

    def __str__(self):
        shown = self.value if self.value is not None else self.marker
        return f"{self.la_code or 'England'} {self.measure} {self.academic_year}: {shown}"


class IntelligenceNote(models.Model):
    """Soft intelligence about a school: dated, sourced, graded and with a visibility level."""

    class Area(models.TextChoices):
        LEADERSHIP = "leadership", "Leadership"
        NEW_HEADTEACHER = "new_headteacher", "New or acting headteacher"
        STAFFING = "staffing", "Staffing and vacancies"
        GOVERNANCE = "governance", "Governance"
        FINANCE = "finance", "Finance"
        HR = "hr", "HR"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        COMPLAINTS = "complaints", "Complaints"
        # DfE publishes no school-level count of pupils on part-time timetables or placements: the
        # authority's own knowledge of them (seed 004) is recorded here, dated and graded.
        PART_TIME = "part_time_placements", "Part-time timetables and placements"
        OTHER = "other", "Other"

    class RiskGrade(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Visibility(models.TextChoices):
        RESTRICTED = "restricted", "LA officers only"
        PARTNER = "partner", "LA officers and the school's priority partner"
        SCHOOL = "school", "Shared with the school"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="intelligence_notes")
    area = models.CharField(max_length=20, choices=Area.choices)
    noted_on = models.DateField()
    source = models.CharField(max_length=200)
    risk_grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.RESTRICTED)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intelligence_notes")
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-noted_on", "-created_at"]
        indexes = [models.Index(fields=["school", "-noted_on"])]

    def __str__(self):
        return f"{self.get_area_display()} note on {self.school_id} ({self.noted_on})"


class GovernanceContact(models.Model):
    """The chair or the clerk of the board that governs a school: the governing body of a
    maintained school, the trust board of an academy (held on the trust, ``SchoolGroup``).

    The register of schools is national, but a chair's or clerk's email and telephone are personal
    data: each authority keeps its own record, read only by its officers, the school's priority
    partner and its headteacher (the school page reads them for them only). GIAS publishes governors'
    names, roles and appointment dates but no contact details, so an officer enters them."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        CLERK = "clerk", "Clerk"

    class Source(models.TextChoices):
        GIAS = "gias", "Get information about schools (GIAS)"
        OFFICER = "officer", "Entered by an LA officer"

    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="governance_contacts"
    )
    trust = models.ForeignKey(
        SchoolGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="governance_contacts"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OFFICER)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=True) ^ Q(trust__isnull=True), name="a_board_is_a_school_or_a_trust"
            ),
            models.UniqueConstraint(
                fields=["authority", "school", "role"],
                condition=Q(school__isnull=False),
                name="one_contact_per_school_board_role",
            ),
            models.UniqueConstraint(
                fields=["authority", "trust", "role"],
                condition=Q(trust__isnull=False),
                name="one_contact_per_trust_board_role",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.name}"


class GovernanceReview(models.Model):
    """An external review of a school's governance (seed 003: "the effectiveness of governance"):
    when, by whom, whether governance was found effective, and what it recommends."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="governance_reviews")
    reviewed_on = models.DateField()
    reviewer = models.CharField("carried out by", max_length=200)
    effective = models.BooleanField("governance found effective")
    recommendations = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"Governance review of {self.school_id} on {self.reviewed_on}"


class ImportRun(models.Model):
    """One import of one published file: who, when, which file, what it changed."""

    class Kind(models.TextChoices):
        GIAS_ESTABLISHMENTS = "gias_establishments", "GIAS establishments (edubasealldata)"
        GIAS_LINKS = "gias_links", "GIAS establishment links"
        GIAS_GROUPS = "gias_groups", "GIAS groups"
        GIAS_GROUP_LINKS = "gias_group_links", "GIAS group links"
        LOCAL_AUTHORITIES = "local_authorities", "Local authority and region codes"
        OFSTED_LATEST = "ofsted_latest", "Ofsted management information: latest or all inspections"
        ESTYN_INSPECTIONS = "estyn_inspections", "Estyn inspections (the portal's layout)"
        CENSUS = "census", "Performance tables: school census"
        KS2 = "ks2", "Performance tables: key stage 2"
        KS4 = "ks4", "Performance tables: key stage 4"
        ABSENCE = "absence", "Performance tables: absence"
        KS5 = "ks5", "Performance tables: 16 to 18 (key stage 5)"
        KS4_DESTINATIONS = "ks4_destinations", "Performance tables: key stage 4 destinations"
        EES_LA_FIGURES = "ees_la_figures", "Explore Education Statistics: local authority figures"
        AUTHORITY_RESULTS = "authority_results", "The authority's own collection: EYFS and KS1 results"

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "confirm", "Waiting for confirmation"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    academic_year = models.PositiveSmallIntegerField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    source = models.CharField(max_length=20, default="upload", help_text="upload, command, demo or authority")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=60, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Rows not imported: schools outside the register, rows out of scope, or totals rows."
    )
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warning_count = models.PositiveIntegerField(default=0)
    unknown_school_count = models.PositiveIntegerField(default=0)
    # The problems grouped by kind, column and reason, each with its count and first lines.
    problem_groups = models.JSONField(default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An earlier import of a file with the same content.",
    )
    confirmation_reason = models.TextField(
        blank=True, help_text="Why a file imported before was imported again, as the officer gave it."
    )
    imported_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The dry run or failed check whose file this run imports.",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("schools:import-detail", args=[self.pk])

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_processed / self.rows_total))


class ImportProblem(models.Model):
    """One row of an import's report: an error, a warning, a row skipped, or a school the file
    names that the register lacks. The run keeps them grouped; these are the whole list."""

    class Kind(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"
        SKIPPED = "skipped", "Row skipped"
        UNKNOWN_SCHOOL = "unknown_school", "School not in the register"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    value = models.TextField(blank=True)
    reason = models.CharField(max_length=255, blank=True)
    urn = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    la = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["run", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} on line {self.line}: {self.reason}"


class ImportChange(models.Model):
    """What one import did to records of one model, so that the import can be undone: for up to
    a few thousand records each, their natural key and, for a record it changed, the values it
    had before (``records``: a list of ``[key, before]``; ``before`` is empty for one it created)."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=60)
    action = models.CharField(max_length=10, choices=Action.choices)
    records = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["run", "model"])]

    def __str__(self):
        return f"{self.model}: {len(self.records)} {self.action}"


class ImportRowHash(models.Model):
    """The digest of a row's text, by the records' natural key in it, as the last import of its
    kind (``kind``: the import kind) wrote it: at the next import of that kind a row whose text
    is the same is counted as unchanged without being read, checked or written again (issue 24).

    One table for every kind rather than a column on each imported model: a kind's key is not
    always one model's (links, memberships), and the digest belongs to the file's row, not the
    record. Only rows imported without a warning have a digest that can match (``digest`` is
    empty for the rest, so they are read every time), and undoing an import forgets every digest.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    digest = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_row_digest_per_kind_and_key")]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.digest or '(read every time)'}"


class RetentionPurge(models.Model):
    """One deletion of closed schools' case records at the end of their retention period. The
    deleted records and their earlier versions in the audit trail are gone; this says when, on
    whose instruction, for which schools and how many of each kind of record."""

    ran_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cutoff = models.DateField(help_text="Schools closed on or before this date.")
    school_urns = models.JSONField(default=list)
    deleted = models.JSONField(default=dict, help_text="Records deleted, by kind.")
    history_rows_removed = models.PositiveIntegerField(default=0)
    history = AuditedRecords()

    class Meta:
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"Retention purge of {self.ran_at:%d %B %Y}: {len(self.school_urns)} schools"


# Consortia of schools ------------------------------------------------------------------------------


class Consortium(models.Model):
    """A consortium of schools that work together on their own improvement, overseen by the
    authority's School Improvement Board: Warwickshire proposed "ten primary area consortia and
    three secondary consortia" so that "all schools would belong to a consortium" (seed 002, 7.4).
    The authority owns it; its schools are the shared register's (``ConsortiumMember``)."""

    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary and special"

    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["phase", "name"]
        verbose_name_plural = "consortia"
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="one_consortium_of_a_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:consortium", args=[self.pk])


class ConsortiumMember(models.Model):
    """A school's place in one of the authority's consortia: at most one per authority (seed 002,
    7.4: each school belongs to a consortium), which the database holds to."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="consortium_places")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["consortium", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "school"], name="one_consortium_per_school"),
        ]

    def __str__(self):
        return f"{self.school_id} in {self.consortium}"


class ConsortiumLead(models.Model):
    """One of a consortium's two lead members, nominated by its schools, and which part of the
    defined brief they fit: "a headteacher from an outstanding school or an NLE or LLE" (seed 002,
    7.5). A lead who fits none is recorded as such, shown as not meeting the criteria, and has no
    seat on the School Improvement Board (7.4: "lead members to meet the agreed lead member
    criteria"). Two seats per consortium, held by the database."""

    class Criterion(models.TextChoices):
        OUTSTANDING_HEAD = "outstanding_head", "Headteacher of an outstanding school"
        NLE = "nle", "National leader of education (NLE)"
        LLE = "lle", "Local leader of education (LLE)"
        NONE = "none", "Does not meet the lead member criteria"

    SEATS = (1, 2)

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="leads")
    seat = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consortium_leads",
        help_text="Their account, if they sign in to the portal.",
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The school they lead."
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    nominated_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objects = owned_by_authority("consortium__authority")
    history = AuditedRecords()

    class Meta:
        ordering = ["consortium", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "seat"], name="two_lead_seats_per_consortium"),
            models.CheckConstraint(condition=Q(seat__in=[1, 2]), name="a_consortium_has_two_lead_seats"),
        ]

    def __str__(self):
        return f"{self.name}, lead of {self.consortium}"

    @property
    def meets_criteria(self) -> bool:
        return self.criterion != self.Criterion.NONE
