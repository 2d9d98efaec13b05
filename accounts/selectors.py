"""Reads that decide what a person may see. ``visible_schools`` is the one object-access filter:
every view that shows a school, or anything belonging to one, fetches through it, and anything
outside it answers 404."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Role, SchoolAssignment, User
from schools.models import School

# Which assignment gives a role its schools. Board members see the schools on (or proposed for)
# the priority list and on this year's agendas; commissioners see aggregate reports only
# (DESIGN §1).
_ROLE_RELATIONSHIP = {
    Role.PRIORITY_PARTNER: SchoolAssignment.Relationship.PRIORITY_PARTNER,
    Role.HEADTEACHER: SchoolAssignment.Relationship.HEADTEACHER,
}


def active_assignments(user: User, *, on: date | None = None) -> QuerySet[SchoolAssignment]:
    """The user's assignments in force on a day (today by default) that match their role."""
    relationship = _ROLE_RELATIONSHIP.get(user.role)
    if relationship is None:
        return SchoolAssignment.objects.none()
    on = on or timezone.localdate()
    return SchoolAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        user=user,
        relationship=relationship,
        starts_on__lte=on,
    )


def visible_schools(user) -> QuerySet[School]:
    """Every school the user may open: all for officers and administrators, assigned ones for
    priority partners and headteachers, priority-list and agenda schools for board members, none
    for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return School.objects.none()
    if user.sees_every_school:
        return School.objects.all()
    if user.role in _ROLE_RELATIONSHIP:
        return School.objects.filter(pk__in=active_assignments(user).values("school_id"))
    if user.role == Role.BOARD_MEMBER:
        from boards.selectors import board_school_ids
        from support.selectors import current_year

        return School.objects.filter(pk__in=board_school_ids(current_year()))
    return School.objects.none()


# Two-factor authentication ------------------------------------------------------------------------------------


def has_authenticator(user: User) -> bool:
    """Whether the person has confirmed an authenticator app (and so enters its code at sign-in)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes(user: User) -> list[str]:
    """The person's unused recovery codes, each usable once instead of an authenticator code."""
    from django_otp.plugins.otp_static.models import StaticToken

    return list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))


# API access ------------------------------------------------------------------------------------------------


def api_tokens(user: User) -> list[ApiToken]:
    """The person's API tokens, newest first: names and dates only (no key is kept to show)."""
    return list(ApiToken.objects.filter(user=user).only("id", "name", "created", "expiry", "last_used_on", "user_id"))
