"""Reads about people: their assignments to schools (which ``schools.access.visible_schools``
turns into the schools they may open), authenticators and API tokens."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.authorities import current_authority_id
from accounts.models import ApiToken, Role, SchoolAssignment, User

# Which assignment gives a role its schools. Board members see the schools on (or proposed for)
# the priority list and on this year's agendas; commissioners see aggregate reports only
# (DESIGN §1).
ROLE_RELATIONSHIP = {
    Role.PRIORITY_PARTNER: SchoolAssignment.Relationship.PRIORITY_PARTNER,
    Role.HEADTEACHER: SchoolAssignment.Relationship.HEADTEACHER,
}


def active_assignments(user: User, *, on: date | None = None) -> QuerySet[SchoolAssignment]:
    """The user's assignments in force on a day (today by default) that match their role."""
    relationship = ROLE_RELATIONSHIP.get(user.role)
    if relationship is None:
        return SchoolAssignment.objects.none()
    on = on or timezone.localdate()
    return SchoolAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        user=user,
        relationship=relationship,
        starts_on__lte=on,
    )


def working_here(role: str) -> QuerySet[User]:
    """The active people with ``role`` in the authority the code is working in (a partner of
    another council is not one of this one's)."""
    return User.objects.filter(
        is_active=True, memberships__authority_id=current_authority_id(), memberships__role=role
    ).order_by("full_name")


def assigned_to(school_id: int, relationship: str, *, on: date | None = None) -> list[int]:
    """The active people with an assignment in force to the school (its partners, or its heads),
    in the authority the code works in: whom notifications about the school go to."""
    on = on or timezone.localdate()
    return list(
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            school_id=school_id,
            relationship=relationship,
            starts_on__lte=on,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def partners_by_school(school_ids: set[int], *, on: date | None = None) -> dict[int, set[int]]:
    """Each school's active partners with an assignment in force, in one query."""
    on = on or timezone.localdate()
    found: dict[int, set[int]] = {pk: set() for pk in school_ids}
    rows = SchoolAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        school_id__in=school_ids,
        relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
        starts_on__lte=on,
        user__is_active=True,
    ).values_list("school_id", "user_id")
    for school_id, user_id in rows:
        found[school_id].add(user_id)
    return found


def partners_of(school_id: int) -> list[int]:
    return assigned_to(school_id, SchoolAssignment.Relationship.PRIORITY_PARTNER)


def heads_of(school_id: int) -> list[int]:
    return assigned_to(school_id, SchoolAssignment.Relationship.HEADTEACHER)


def officers_here() -> list[int]:
    """The authority's LA officers (administrators aside)."""
    return list(working_here(Role.LA_OFFICER).values_list("pk", flat=True))


# Two-factor authentication ------------------------------------------------------------------------------------


def has_authenticator(user: User) -> bool:
    """Whether the person has confirmed an authenticator app (and so enters its code at sign-in)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes(user: User) -> list[str]:
    """The person's unused recovery codes, each usable once instead of an authenticator code."""
    return list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))


# API access ------------------------------------------------------------------------------------------------


def api_tokens(user: User) -> list[ApiToken]:
    """The person's API tokens, newest first: names and dates only (no key is kept to show)."""
    return list(ApiToken.objects.filter(user=user).only("id", "name", "created", "expiry", "last_used_on", "user_id"))
