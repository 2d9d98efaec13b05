"""What each endpoint returns. Field names are the sector's words, as on the pages; a field the
person's role does not see on the page is ``null`` for them (the schema says which)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import permissions
from api.selectors import readable_report
from boards.models import PriorityEntry
from categorisation.models import Category, CategoryDecision, SchoolCategory
from schools import ofsted
from schools.models import Inspection, LocalAuthority, School
from support.models import Allocation, EntitlementAdjustment, EntitlementKind, SupportPackage, Visit, VisitReport

# The kinds of visit (a subset of the kinds of entitlement), named for the schema's enums.
VISIT_KINDS = Visit._meta.get_field("kind").choices


def _viewer(serializer: serializers.Serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class Person(serializers.StringRelatedField):
    """A person as the portal names them: their full name, else their email address."""


# Schools -------------------------------------------------------------------------------------------------------


class LocalAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["code", "name"]


class SchoolBriefSerializer(serializers.ModelSerializer):
    """The school a record belongs to."""

    la = LocalAuthoritySerializer()

    class Meta:
        model = School
        fields = ["urn", "name", "la"]


class LatestInspectionSerializer(serializers.ModelSerializer):
    summary = serializers.CharField(help_text="The outcome in words, in the inspection's own shape")

    class Meta:
        model = Inspection
        fields = ["inspection_number", "shape", "start_date", "summary"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "label", "colour", "rank"]


class SchoolSerializer(serializers.ModelSerializer):
    """A school in the register, as the school list shows it."""

    la = LocalAuthoritySerializer()
    type = serializers.CharField(source="type_name")
    phase = serializers.CharField(source="phase_name")
    status = serializers.CharField(source="status_name")
    latest_inspection = LatestInspectionSerializer(allow_null=True)
    category = serializers.CharField(
        source="category_label", allow_null=True, help_text="The agreed category under the active framework"
    )

    class Meta:
        model = School
        fields = [
            "urn",
            "laestab",
            "name",
            "la",
            "type",
            "phase",
            "status",
            "pupils_on_roll",
            "postcode",
            "ofsted_outcome",
            "ofsted_outcome_date",
            "latest_inspection",
            "category",
        ]


class SchoolDetailSerializer(SchoolSerializer):
    """A school's register entry, as its page's profile shows it."""

    type_group = serializers.CharField(source="type_group_name")
    trust = serializers.CharField(source="trust.name", allow_null=True, default=None)
    federation = serializers.CharField(source="federation.name", allow_null=True, default=None)
    headteacher = serializers.CharField(source="headteacher_name")
    address = serializers.ListField(source="address_lines", child=serializers.CharField())

    class Meta(SchoolSerializer.Meta):
        fields = [
            *SchoolSerializer.Meta.fields,
            "type_group",
            "open_date",
            "close_date",
            "statutory_low_age",
            "statutory_high_age",
            "gender",
            "religious_character",
            "diocese_name",
            "admissions_policy",
            "trust",
            "federation",
            "sponsor_name",
            "headteacher",
            "capacity",
            "percentage_fsm",
            "census_date",
            "address",
            "telephone",
            "website",
            "region_name",
            "ukprn",
        ]


# Inspections: three shapes, each kept as it is -------------------------------------------------------------------


def _grade(scale: dict[int, str], **kwargs) -> serializers.IntegerField:
    """A grade on one of Ofsted's scales (``schools.ofsted``), null where the area was not graded."""
    return serializers.IntegerField(allow_null=True, min_value=min(scale), max_value=max(scale), **kwargs)


class KeyJudgementsSerializer(serializers.Serializer):
    """Graded inspections (to August 2024) and those from September 2024 to November 2025: 1
    Outstanding, 2 Good, 3 Requires improvement (Satisfactory before September 2012), 4 Inadequate."""

    safeguarding_effective = serializers.BooleanField(allow_null=True)

    def get_fields(self):
        # One grade per key judgement, named and ordered as ``ofsted.GRADED_JUDGEMENT_LABELS``.
        grades = {name: _grade(ofsted.GRADED_LABELS) for name, _ in ofsted.GRADED_JUDGEMENT_LABELS}
        return {**grades, **super().get_fields()}


class ReportCardSerializer(serializers.Serializer):
    """Report cards (from 10 November 2025): 1 Exceptional, 2 Strong standard, 3 Expected
    standard, 4 Needs attention, 5 Urgent improvement; safeguarding standards met or not met."""

    safeguarding_standards_met = serializers.BooleanField(source="rc_safeguarding_met", allow_null=True)

    def get_fields(self):
        # One grade per area, as ``ofsted.REPORT_CARD_AREAS`` (the model's ``rc_`` prefix dropped).
        grades = {
            area.field.removeprefix("rc_"): _grade(ofsted.REPORT_CARD_GRADES, source=area.field)
            for area in ofsted.REPORT_CARD_AREAS
        }
        return {**grades, **super().get_fields()}


class InspectionSerializer(LatestInspectionSerializer):
    """One Ofsted inspection in the shape of the framework it was carried out under: an overall
    grade only for a graded inspection, key judgements for graded and September 2024 to November
    2025 inspections, report-card grades only for report cards, an outcome sentence only for an
    ungraded inspection. No shape is converted into another."""

    key_judgements = serializers.SerializerMethodField()
    report_card = serializers.SerializerMethodField()
    ungraded_outcome = serializers.SerializerMethodField()

    class Meta(LatestInspectionSerializer.Meta):
        fields = [
            "inspection_number",
            "shape",
            "inspection_type",
            "start_date",
            "end_date",
            "publication_date",
            "summary",
            "category_of_concern",
            "overall_effectiveness",
            "key_judgements",
            "report_card",
            "ungraded_outcome",
            "relates_to_current_urn",
            "urn_at_time",
            "school_name_at_time",
        ]

    @extend_schema_field(KeyJudgementsSerializer(allow_null=True))
    def get_key_judgements(self, inspection: Inspection) -> dict | None:
        if inspection.shape not in (ofsted.Shape.GRADED, ofsted.Shape.JUDGEMENTS_ONLY):
            return None
        return KeyJudgementsSerializer(inspection).data

    @extend_schema_field(ReportCardSerializer(allow_null=True))
    def get_report_card(self, inspection: Inspection) -> dict | None:
        if inspection.shape != ofsted.Shape.REPORT_CARD:
            return None
        return ReportCardSerializer(inspection).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_ungraded_outcome(self, inspection: Inspection) -> str | None:
        return inspection.ungraded_outcome if inspection.shape == ofsted.Shape.UNGRADED else None


# Categories --------------------------------------------------------------------------------------------------------


class FrameworkBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SchoolCategorySerializer(serializers.ModelSerializer):
    """A school's current category under the active framework, as its page shows it: who agreed
    it and any proposal awaiting agreement only for LA officers and administrators."""

    framework = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    agreed_at = serializers.SerializerMethodField()
    decision_kind = serializers.SerializerMethodField()
    agreed_by = serializers.SerializerMethodField()
    proposed = serializers.SerializerMethodField()

    class Meta:
        model = School
        fields = ["urn", "name", "framework", "category", "agreed_at", "decision_kind", "agreed_by", "proposed"]

    @staticmethod
    def _standing(school: School) -> SchoolCategory | None:
        standings = getattr(school, "active_standing", None)
        return standings[0] if standings else None

    @extend_schema_field(FrameworkBriefSerializer(allow_null=True))
    def get_framework(self, school: School) -> dict | None:
        standing = self._standing(school)
        return FrameworkBriefSerializer(standing.framework).data if standing else None

    @extend_schema_field(CategoryBriefSerializer(allow_null=True))
    def get_category(self, school: School) -> dict | None:
        standing = self._standing(school)
        return CategoryBriefSerializer(standing.category).data if standing and standing.category else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_agreed_at(self, school: School):
        standing = self._standing(school)
        decision = standing.decision if standing else None
        return serializers.DateTimeField().to_representation(decision.decided_at) if decision else None

    def _standing_for_officers(self, school: School) -> SchoolCategory | None:
        """The standing, for those the school page tells who agreed it, how, and what is proposed."""
        return self._standing(school) if permissions.can_change_categories(_viewer(self)) else None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=CategoryDecision.Kind.choices,
            allow_null=True,
            help_text="Agreed, overridden or the board's: LA officers and administrators only; null for others",
        )
    )
    def get_decision_kind(self, school: School) -> str | None:
        standing = self._standing_for_officers(school)
        return standing.decision.kind if standing and standing.decision else None

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="LA officers and administrators only; null for others")
    )
    def get_agreed_by(self, school: School) -> str | None:
        standing = self._standing_for_officers(school)
        return str(standing.decision.decided_by) if standing and standing.decision else None

    @extend_schema_field(
        CategoryBriefSerializer(
            allow_null=True,
            help_text="The proposal awaiting agreement: LA officers and administrators only; null for others",
        )
    )
    def get_proposed(self, school: School) -> dict | None:
        standing = self._standing_for_officers(school)
        if not (standing and standing.pending and standing.proposed):
            return None
        return CategoryBriefSerializer(standing.proposed).data


class CategoryDecisionSerializer(serializers.ModelSerializer):
    """One decision in a school's category history: from, to, who, when, why, under which
    framework version."""

    school = SchoolBriefSerializer()
    framework = serializers.CharField(source="version.framework.code")
    framework_name = serializers.CharField(source="version.framework.name")
    framework_version = serializers.IntegerField(source="version.number")
    previous = CategoryBriefSerializer(allow_null=True, help_text="None before the school's first category")
    category = CategoryBriefSerializer()
    decided_by = Person()

    class Meta:
        model = CategoryDecision
        fields = [
            "id",
            "school",
            "decided_at",
            "previous",
            "category",
            "kind",
            "decided_by",
            "rationale",
            "framework",
            "framework_name",
            "framework_version",
        ]


# The priority list ----------------------------------------------------------------------------------------------


class PriorityEntrySerializer(serializers.ModelSerializer):
    school = SchoolBriefSerializer()
    priority_partner = serializers.CharField(
        source="partner_name", allow_null=True, help_text="The school's current priority partner"
    )

    class Meta:
        model = PriorityEntry
        fields = [
            "id",
            "school",
            "academic_year",
            "reason",
            "evidence",
            "status",
            "source",
            "proposed_on",
            "added_on",
            "removed_on",
            "priority_partner",
        ]


# Support packages and visits ------------------------------------------------------------------------------------


class AdjustmentSerializer(serializers.ModelSerializer):
    made_by = Person()

    class Meta:
        model = EntitlementAdjustment
        fields = ["kind", "change", "reason", "made_by", "made_at"]


class AllocationSerializer(serializers.ModelSerializer):
    partner = Person()

    class Meta:
        model = Allocation
        fields = ["kind", "partner", "days"]


class SupportPackageSerializer(serializers.ModelSerializer):
    """A school's support for one academic year, from its category's entitlement, with the
    adjustments made to it (and why) and the days allocated to partners."""

    school = SchoolBriefSerializer()
    category = CategoryBriefSerializer()
    adjustments = AdjustmentSerializer(many=True)
    allocations = AllocationSerializer(many=True)

    class Meta:
        model = SupportPackage
        fields = [
            "id",
            "school",
            "academic_year",
            "category",
            "starts_on",
            "adviser_days",
            "teaching_adviser_days",
            "progress_meetings",
            "brokered_days",
            "adjustments",
            "allocations",
        ]


class BalanceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntitlementKind.choices)
    label = serializers.CharField()
    entitled = serializers.DecimalField(max_digits=6, decimal_places=1, source="balance.entitled")
    allocated = serializers.DecimalField(max_digits=6, decimal_places=1, source="balance.allocated")
    delivered = serializers.DecimalField(max_digits=6, decimal_places=1, source="balance.delivered")
    remaining = serializers.DecimalField(max_digits=6, decimal_places=1, source="balance.remaining")


class SupportPackageDetailSerializer(SupportPackageSerializer):
    """A support package with, for each kind of support, what is entitled, allocated, delivered
    and remaining, as the school's support page shows it."""

    balances = BalanceSerializer(many=True, source="view.balances")

    class Meta(SupportPackageSerializer.Meta):
        fields = [*SupportPackageSerializer.Meta.fields, "balances"]


class VisitReportSerializer(serializers.ModelSerializer):
    """The version of the visit's report the person may read: the current one for LA officers and
    partners (a draft included), the latest version shared with the school for headteachers and
    board members."""

    author = Person()
    responded_by = Person(allow_null=True)
    qa_by = Person(allow_null=True)

    class Meta:
        model = VisitReport
        fields = [
            "version",
            "status",
            "author",
            "purpose",
            "evidence",
            "findings",
            "strengths",
            "areas_for_development",
            "next_steps",
            "submitted_at",
            "shared_at",
            "head_response",
            "head_comment",
            "responded_by",
            "responded_at",
            "qa_outcome",
            "qa_comment",
            "qa_by",
            "qa_at",
        ]


class VisitSerializer(serializers.ModelSerializer):
    school = SchoolBriefSerializer()
    visitor = Person()
    report = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "school", "visitor", "kind", "purpose", "scheduled_for", "held_on", "days", "status", "report"]

    @extend_schema_field(VisitReportSerializer(allow_null=True))
    def get_report(self, visit: Visit) -> dict | None:
        report = readable_report(_viewer(self), visit)
        return VisitReportSerializer(report).data if report else None
