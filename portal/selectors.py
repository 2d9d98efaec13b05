"""Reads for the pages that draw on several apps."""

from django.db.models import JSONField, Subquery

from categorisation.models import InspectionPolicySetting
from categorisation.windows import InspectionPolicy
from schools.access import get_for
from schools.models import School


def school_page_for(user, urn: int) -> School:
    """The school (``get_for``), with the inspection policy the school's next window is estimated
    by read in the same query (``school.inspection_policy``)."""
    setting = InspectionPolicySetting.objects.order_by("pk").values("values")[:1]
    page = School.objects.select_related("la", "trust", "federation", "latest_inspection").annotate(
        inspection_policy_values=Subquery(setting, output_field=JSONField())
    )
    school = get_for(user, School, urn=urn, queryset=page)
    values = school.inspection_policy_values
    school.inspection_policy = InspectionPolicy.from_dict(values if isinstance(values, dict) else {})
    return school
