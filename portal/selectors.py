"""Reads for the pages that draw on several apps."""

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import Membership, User
from categorisation.models import InspectionPolicySetting
from categorisation.windows import InspectionPolicy
from core.query import whole_number
from schools.access import get_for, visible_schools
from schools.models import School
from support.models import PartnerProfile


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


# The header's search ---------------------------------------------------------------------------------------


def school_with_urn(user, q: str) -> School | None:
    """The school whose URN is exactly what was typed, if the person may see it."""
    urn = whole_number(q.strip())
    return visible_schools(user).filter(urn=urn).first() if urn is not None else None


def search_schools(user, q: str) -> QuerySet[School]:
    """The schools the person may see whose name contains what was typed, or whose URN or LAESTAB
    it is, by name."""
    q = q.strip()
    if not q:
        return School.objects.none()
    match = Q(name__icontains=q)
    number = whole_number(q)
    if number is not None:
        match |= Q(urn=number) | Q(laestab=number)
    return visible_schools(user).filter(match).select_related("la").order_by("name", "urn")


def search_people(user, q: str) -> QuerySet[User]:
    """For officers and administrators, the authority's people whose name or email address contains
    what was typed, with their role here and their partner profile (if any); nobody for anyone else."""
    q = q.strip()
    if not permissions.is_officer(user) or not q:
        return User.objects.none()
    authority = current_authority_id()
    here = Membership.objects.filter(user=OuterRef("pk"), authority_id=authority)
    return (
        User.objects.filter(pk__in=Membership.objects.filter(authority_id=authority).values("user_id"))
        .filter(Q(full_name__icontains=q) | Q(email__icontains=q))
        .annotate(
            role_here=Subquery(here.values("role")[:1]),
            partner_profile_id=Subquery(PartnerProfile.objects.filter(user=OuterRef("pk")).values("pk")[:1]),
        )
        .order_by("full_name", "email")
    )
