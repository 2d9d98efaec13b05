"""Factories for every model (factory-boy)."""

from datetime import date

import factory
from django.utils import timezone

from accounts.models import Role, SchoolAssignment, User
from schools import ofsted
from schools.models import (
    GroupMembership,
    ImportRun,
    Inspection,
    IntelligenceNote,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.LA_OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


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

from support.models import (  # noqa: E402 - grouped with their factories
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


from operations.models import PendingJob  # noqa: E402 - grouped with its factory


class PendingJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingJob

    task = "reporting.build_monthly_report"
    args = factory.LazyFunction(lambda: ["2026-10-01"])
    kwargs = factory.LazyFunction(dict)
    attempts = 1
    last_error = "OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
