"""Factories for every model (factory-boy)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.authorities import current_authority_id
from accounts.models import Authority, Membership, Role, SchoolAssignment, User
from boards.agenda import News
from boards.models import (
    AgendaItem,
    Attendance,
    BoardMeeting,
    ConcernAction,
    ConcernMeeting,
    Decision,
    Escalation,
    InspectionNotice,
    Letter,
    LetterKind,
    PriorityEntry,
    WarningNotice,
)
from categorisation import rules
from categorisation.models import CategoryDecision, RecategorisationRun, RiskAssessment, SchoolCategory
from categorisation.selectors import active_framework, active_version
from operations.models import PendingJob
from reporting.content import content_hash
from reporting.models import MonthlyReport, QuarterlyFigure
from schools import ofsted
from schools.models import (
    GovernanceContact,
    GovernanceReview,
    GroupMembership,
    ImportRun,
    Inspection,
    IntelligenceNote,
    LocalAuthority,
    LocalAuthorityFigure,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)
from support.models import (
    Action,
    ActionPlan,
    Meeting,
    NewHeadteacher,
    PartnerInterest,
    PartnerProfile,
    Priority,
    SelfReferral,
    Visit,
    VisitReport,
)
from tests.builtin_data import DEFAULT_AUTHORITY

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.LA_OFFICER
    # The authority the test is working in, with the person's role there.
    authority_id = factory.LazyFunction(lambda: current_authority_id() or DEFAULT_AUTHORITY)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if obj.authority_id is not None:
                Membership.objects.get_or_create(user=obj, authority_id=obj.authority_id, defaults={"role": obj.role})


class AuthorityFactory(factory.django.DjangoModelFactory):
    """An authority (a new one gets its own copy of the built-in frameworks)."""

    class Meta:
        model = Authority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    la_codes = factory.LazyFunction(list)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 800 + n % 199)
    name = factory.LazyAttribute(lambda o: f"Authority {o.code}")
    region_name = "West Midlands"


class SchoolGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolGroup

    uid = factory.Sequence(lambda n: 5000 + n)
    name = factory.Sequence(lambda n: f"Learning Trust {n}")
    type_name = "Multi-academy trust"
    status = "Open"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 700000 + n)
    la = factory.SubFactory(LocalAuthorityFactory)
    establishment_number = factory.Sequence(lambda n: 2000 + n % 7000)
    laestab = factory.LazyAttribute(lambda o: o.la.code * 10000 + o.establishment_number)
    name = factory.Sequence(lambda n: f"Oak Tree Primary School {n}")
    type_name = "Community school"
    type_group_name = "Local authority maintained schools"
    status_name = "Open"
    phase_name = "Primary"
    statutory_low_age = 4
    statutory_high_age = 11
    pupils_on_roll = 320
    postcode = "B1 1AA"


class SchoolLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLink

    school = factory.SubFactory(SchoolFactory)
    linked_urn = factory.Sequence(lambda n: 600000 + n)
    linked_name = "Predecessor School"
    link_type = "Predecessor"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(SchoolGroupFactory)
    school = factory.SubFactory(SchoolFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    """A graded inspection by default; use the traits for the other shapes."""

    class Meta:
        model = Inspection

    inspection_number = factory.Sequence(lambda n: str(10_500_000 + n))
    school = factory.SubFactory(SchoolFactory)
    shape = ofsted.Shape.GRADED
    inspection_type = "Section 5"
    start_date = date(2022, 3, 1)
    overall_effectiveness = 2
    leadership_and_management = 2

    class Params:
        report_card = factory.Trait(
            shape=ofsted.Shape.REPORT_CARD,
            start_date=date(2026, 2, 3),
            overall_effectiveness=None,
            leadership_and_management=None,
            rc_inclusion=3,
            rc_curriculum_and_teaching=3,
            rc_achievement=4,
            rc_attendance_and_behaviour=3,
            rc_personal_development=2,
            rc_leadership_and_governance=3,
            rc_safeguarding_met=True,
        )
        judgements_only = factory.Trait(
            shape=ofsted.Shape.JUDGEMENTS_ONLY, start_date=date(2025, 1, 14), overall_effectiveness=None
        )
        ungraded = factory.Trait(
            shape=ofsted.Shape.UNGRADED,
            overall_effectiveness=None,
            leadership_and_management=None,
            ungraded_outcome="School remains Good",
        )


class PerformanceMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceMeasure

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2018
    measure = "abs_overall_pct"
    value = factory.Faker("pydecimal", left_digits=1, right_digits=1, positive=True)


class NationalFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalFigure

    academic_year = 2018
    measure = "abs_overall_pct"
    phase = NationalFigure.Phase.PRIMARY
    value = "4.0"


class LocalAuthorityFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityFigure

    level = LocalAuthorityFigure.Level.LOCAL_AUTHORITY
    la_code = factory.Sequence(lambda n: 100 + n % 900)
    academic_year = 2021
    period = "Academic year"
    measure = "la_eyfs_gld_pct"
    value = "65.2"
    publication = "Early years foundation stage profile results"


class IntelligenceNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelligenceNote

    school = factory.SubFactory(SchoolFactory)
    area = IntelligenceNote.Area.FINANCE
    noted_on = date(2026, 10, 1)
    source = "Finance team"
    risk_grade = IntelligenceNote.RiskGrade.HIGH
    visibility = IntelligenceNote.Visibility.RESTRICTED
    text = "Projected deficit at year end."
    author = factory.SubFactory(UserFactory)


class GovernanceContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceContact

    school = factory.SubFactory(SchoolFactory)
    role = GovernanceContact.Role.CHAIR
    name = "Mrs J Smith"
    email = "chair@school.example"
    recorded_on = date(2026, 9, 1)


class GovernanceReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceReview

    school = factory.SubFactory(SchoolFactory)
    reviewed_on = date(2026, 6, 1)
    reviewer = "National leader of governance"
    effective = False


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    kind = ImportRun.Kind.GIAS_ESTABLISHMENTS
    file_name = "edubasealldata20261101.csv"
    sha256 = "0" * 64
    status = ImportRun.Status.SUCCEEDED
    rows_read = 10
    created = 10
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class SchoolAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolAssignment

    user = factory.SubFactory(UserFactory, role=Role.PRIORITY_PARTNER)
    school = factory.SubFactory(SchoolFactory)
    relationship = SchoolAssignment.Relationship.PRIORITY_PARTNER
    starts_on = date(2025, 9, 1)


# Support delivery -------------------------------------------------------------------------------


class PartnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerProfile

    user = factory.SubFactory(UserFactory, role=Role.PRIORITY_PARTNER)
    specialisms = "Primary English; leadership"
    capacity_days = 40


class PartnerInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerInterest

    partner = factory.SubFactory(PartnerProfileFactory)
    school = factory.SubFactory(SchoolFactory)
    relationship = PartnerInterest.Relationship.GOVERNOR


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    school = factory.SubFactory(SchoolFactory)
    visitor = factory.SubFactory(UserFactory, role=Role.PRIORITY_PARTNER)
    purpose = "Review of the reading curriculum"
    scheduled_for = date(2026, 11, 10)
    days = 1


class VisitReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitReport

    visit = factory.SubFactory(VisitFactory)
    author = factory.LazyAttribute(lambda o: o.visit.visitor)
    purpose = "Review of the reading curriculum"
    findings = "Phonics teaching is consistent in key stage 1."
    next_steps = "Extend the reading programme to year 3."


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2026
    due_by = date(2026, 10, 24)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(ActionPlanFactory)
    title = "Raise attainment in reading"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    description = "Train all year 3 staff in the phonics programme"
    owner = "Deputy headteacher"
    deadline = date(2026, 12, 18)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    school = factory.SubFactory(SchoolFactory)
    scheduled_for = date(2026, 12, 1)


class NewHeadteacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewHeadteacher

    school = factory.SubFactory(SchoolFactory)
    name = "Ms Jo Rahman"
    starts_on = date(2026, 11, 2)


class SelfReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfReferral

    school = factory.SubFactory(SchoolFactory)
    submitted_by = factory.SubFactory(UserFactory, role=Role.HEADTEACHER)
    reason = "Two senior leaders are on long-term sick leave."


# Categorisation ---------------------------------------------------------------------------------
# The frameworks, their versions and categories are built-in data (tests/conftest.py loads them):
# these factories use the active ones rather than make frameworks of their own.


def least_support(version):
    """The category of the version that brings the least support."""
    return version.categories.order_by("rank").first()


def least_severe_fired(version) -> list[dict]:
    """The version's least severe trigger (an outstanding inspection, in the built-in frameworks),
    recorded as the engine records a fired trigger."""
    trigger = version.triggers.filter(enabled=True).order_by("severity", "order", "code").first()
    evidence = rules.Evidence(text=trigger.label, source="Ofsted")
    return [rules.Fired(trigger.code, trigger.label, trigger.severity, evidence).as_dict()]


class RecategorisationRunFactory(factory.django.DjangoModelFactory):
    """A run under way (its start is stamped on save); pass status and finished_at for a finished one."""

    class Meta:
        model = RecategorisationRun

    version = factory.LazyFunction(active_version)
    trigger = RecategorisationRun.Trigger.MANUAL


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment under the active version whose least severe trigger fired, proposing the least support."""

    class Meta:
        model = RiskAssessment

    school = factory.SubFactory(SchoolFactory)
    version = factory.LazyFunction(active_version)
    proposed = factory.LazyAttribute(lambda o: least_support(o.version))
    fired = factory.LazyAttribute(lambda o: least_severe_fired(o.version))
    explanation = factory.LazyAttribute(lambda o: f"{o.proposed.label}: {o.fired[0]['label']}.")
    result_hash = "0" * 64


class CategoryDecisionFactory(factory.django.DjangoModelFactory):
    """An officer agreeing the category an assessment of the same school proposed."""

    class Meta:
        model = CategoryDecision

    school = factory.SubFactory(SchoolFactory)
    version = factory.LazyFunction(active_version)
    framework = factory.LazyAttribute(lambda o: o.version.framework)
    assessment = factory.SubFactory(
        RiskAssessmentFactory, school=factory.SelfAttribute("..school"), version=factory.SelfAttribute("..version")
    )
    category = factory.LazyAttribute(lambda o: o.assessment.proposed if o.assessment else least_support(o.version))
    kind = CategoryDecision.Kind.AGREED
    decided_by = factory.SubFactory(UserFactory)


class SchoolCategoryFactory(factory.django.DjangoModelFactory):
    """A school's standing under the active framework: the proposal agreed, nothing pending."""

    class Meta:
        model = SchoolCategory

    school = factory.SubFactory(SchoolFactory)
    framework = factory.LazyFunction(active_framework)
    decision = factory.SubFactory(
        CategoryDecisionFactory,
        school=factory.SelfAttribute("..school"),
        version=factory.LazyAttribute(lambda o: active_version(o.factory_parent.framework)),
    )
    category = factory.LazyAttribute(lambda o: o.decision.category if o.decision else None)
    assessment = factory.LazyAttribute(lambda o: o.decision.assessment if o.decision else None)
    proposed = factory.LazyAttribute(lambda o: o.assessment.proposed if o.assessment else None)


# The advisory board -----------------------------------------------------------------------------


class PriorityEntryFactory(factory.django.DjangoModelFactory):
    """A school proposed for the priority list (the model's defaults); pass status for the others."""

    class Meta:
        model = PriorityEntry

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2026
    reason = PriorityEntry.Reason.OFSTED_RI


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    # One meeting a day at most: each factory meeting four weeks after the last.
    meets_on = factory.Sequence(lambda n: date(2026, 11, 5) + timedelta(weeks=4 * n))
    created_by = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(BoardMeetingFactory)
    member = factory.SubFactory(UserFactory, role=Role.BOARD_MEMBER)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(BoardMeetingFactory)
    school = factory.SubFactory(SchoolFactory)
    reasons = factory.LazyFunction(lambda: ["On the priority list, not yet reviewed by the board"])
    kinds = factory.LazyFunction(lambda: [News.NOT_REVIEWED.value])


class DecisionFactory(factory.django.DjangoModelFactory):
    """A board member's decision, outside a meeting, to change nothing."""

    class Meta:
        model = Decision

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2026
    kind = Decision.Kind.NO_CHANGE
    rationale = "Progress against the action plan is on track."
    outcome = "No change"
    decided_by = factory.SubFactory(UserFactory, role=Role.BOARD_MEMBER)


class LetterFactory(factory.django.DjangoModelFactory):
    """A letter confirming priority status, written and not yet sent."""

    class Meta:
        model = Letter

    school = factory.SubFactory(SchoolFactory)
    kind = LetterKind.PRIORITY
    academic_year = 2026
    subject = factory.LazyAttribute(lambda o: f"{o.school.name}: confirmation of priority status")
    body = "Dear headteacher,\n\nThe advisory board has agreed that your school is a priority for support."
    recipients = "head@school.example"
    dated = date(2026, 10, 1)
    created_by = factory.SubFactory(UserFactory)


class WarningNoticeFactory(factory.django.DjangoModelFactory):
    """A warning notice the board has recommended, on the ground of low standards; pass status and its
    dates for the later steps."""

    class Meta:
        model = WarningNotice

    school = factory.SubFactory(SchoolFactory)
    rationale = "Standards have fallen for two years running."
    grounds = factory.LazyFunction(lambda: [WarningNotice.Ground.LOW_STANDARDS.value])


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    school = factory.SubFactory(SchoolFactory)
    raised_by = factory.SubFactory(UserFactory, role=Role.PRIORITY_PARTNER)
    reason = "The school has cancelled three visits in a row."


class ConcernMeetingFactory(factory.django.DjangoModelFactory):
    """A schools-causing-concern meeting; ``ConcernMeetingFactory(schools=[...])`` names the schools discussed."""

    class Meta:
        model = ConcernMeeting
        skip_postgeneration_save = True

    held_on = date(2026, 10, 15)
    attendees = "Finance, HR and governor services"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def schools(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.schools.set(extracted)


class ConcernActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernAction

    meeting = factory.SubFactory(ConcernMeetingFactory)
    description = "Review the school's budget recovery plan"
    owner = "Finance business partner"
    deadline = date(2026, 11, 30)


class InspectionNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionNotice

    school = factory.SubFactory(SchoolFactory)
    notified_on = date(2026, 11, 2)
    starts_on = date(2026, 11, 3)
    recorded_by = factory.SubFactory(UserFactory)


# Reporting --------------------------------------------------------------------------------------


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    """A version of a month's report with no sections, and placeholder files; each factory report is
    a new version, so several for one month keep their versions apart."""

    class Meta:
        model = MonthlyReport

    period = date(2026, 10, 1)
    version = factory.Sequence(lambda n: n + 1)
    content = factory.LazyAttribute(
        lambda o: {
            "period": o.period.isoformat(),
            "title": f"School improvement monthly report: {o.period:%B %Y}",
            "sections": [],
        }
    )
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.content))
    pdf = factory.django.FileField(filename="monthly-report.pdf", data=b"%PDF-1.7 test")
    xlsx = factory.django.FileField(filename="monthly-report.xlsx", data=b"PK test")
    trigger = MonthlyReport.Trigger.SCHEDULED


class QuarterlyFigureFactory(factory.django.DjangoModelFactory):
    """The authority's count of permanent exclusions for a quarter; each factory figure a quarter earlier."""

    class Meta:
        model = QuarterlyFigure

    quarter = factory.Sequence(lambda n: date(2026 - (n + 1) // 4, [7, 4, 1, 10][n % 4], 1))
    measure = "permanent_exclusions"
    count = 5
    recorded_at = factory.LazyFunction(timezone.now)


# Operations -------------------------------------------------------------------------------------


class PendingJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingJob

    task = "reporting.build_monthly_report"
    args = factory.LazyFunction(lambda: ["2026-10-01"])
    kwargs = factory.LazyFunction(dict)
    attempts = 1
    last_error = "OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
