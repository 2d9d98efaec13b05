"""Reads for the pages that draw on several apps."""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import Membership, User
from categorisation.models import InspectionPolicySetting
from categorisation.windows import InspectionPolicy
from core.query import whole_number
from schools.access import get_for, remit_key, visible_schools
from schools.filters import register_generation
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


# The school list's count ---------------------------------------------------------------------------------


# Filters whose counts change with records other than the register's own rows: counted each time.
COUNTED_EACH_TIME = ("category",)


def list_count(user, school_filter) -> int:
    """How many schools the list's filters find. Counting the remit costs time in proportion to the
    register (a national one: 22,000 schools and more), and an officer's counts change only when
    the register does, so they are kept per authority, filters and register generation
    (``schools.filters.register_generation``: every import starts a new one) for
    ``CHOICES_CACHE_SECONDS``; a partner's, headteacher's or board member's few schools, and a
    category filter (categories change between imports), are counted each time."""
    data = school_filter.form.data
    chosen = {name: data.get(name, "") for name in school_filter.filters if name != "sort"}
    seconds = settings.CHOICES_CACHE_SECONDS if user.sees_every_school else 0
    if not seconds or any(chosen.get(name) for name in COUNTED_EACH_TIME):
        return school_filter.qs.count()
    digest = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
    key = f"schools:list-count:1:{remit_key()}:{register_generation()}:{digest}"
    held = cache.get(key)
    if held is None:
        held = school_filter.qs.count()
        cache.set(key, held, seconds)
    return held


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
