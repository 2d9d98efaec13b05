"""Telling people a deadline is near or has passed, each morning: warning notices' compliance
deadlines (the authority's officers) and action plans not yet agreed by their due date (the
officers and the school's partners). Each deadline is notified once when it comes within
``NEAR_DAYS`` and once when it has passed, by its key: running the task again on the same day or
the next tells nobody twice; a deadline that moves is a new one."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from accounts import notifications
from accounts import selectors as people
from boards.models import WarningNotice
from categorisation.windows import long_date
from support import selectors as support
from support.models import ActionPlan

NEAR_DAYS = 7
Kind = notifications.Kind


def _when(deadline: date, today: date) -> tuple[str, str]:
    """The kind of notification and the words for a deadline on this day."""
    if deadline < today:
        return Kind.DEADLINE_PASSED, f"passed on {long_date(deadline)}"
    if deadline == today:
        return Kind.DEADLINE_NEAR, "is today"
    days = (deadline - today).days
    return Kind.DEADLINE_NEAR, f"is in {days} day{'s' if days > 1 else ''}, on {long_date(deadline)}"


def _key(kind: str, what: str, pk: int, deadline: date) -> str:
    return f"{'deadline-passed' if kind == Kind.DEADLINE_PASSED else 'deadline-near'}:{what}:{pk}:{deadline}"


def _plan_kind(plan: ActionPlan) -> str:
    return "action plan" if plan.kind == ActionPlan.Kind.PLAN else plan.get_kind_display()


def notify_deadlines(today: date) -> int:
    """Notify the deadlines near or passed today in the authority the code works in; returns how
    many notifications were made (none for deadlines already notified)."""
    horizon = today + timedelta(days=NEAR_DAYS)
    officers = people.officers_here()
    made = 0
    notices = WarningNotice.objects.filter(
        status=WarningNotice.Status.ISSUED, compliance_deadline__isnull=False, compliance_deadline__lte=horizon
    ).select_related("school")
    for notice in notices:
        kind, words = _when(notice.compliance_deadline, today)
        made += len(
            notifications.notify(
                officers,
                kind=kind,
                key=_key(kind, "notice", notice.pk, notice.compliance_deadline),
                title=f"The warning notice's compliance deadline for {notice.school.name} {words}",
                url=reverse("boards:notice", args=[notice.pk]),
            )
        )
    plans = list(
        ActionPlan.objects.filter(academic_year=support.current_year(today), due_by__lte=horizon)
        .exclude(status=ActionPlan.Status.AGREED)
        .select_related("school")
    )
    partners = people.partners_by_school({plan.school_id for plan in plans})
    for plan in plans:
        kind, words = _when(plan.due_by, today)
        made += len(
            notifications.notify(
                {*officers, *partners[plan.school_id]},
                kind=kind,
                key=_key(kind, "plan", plan.pk, plan.due_by),
                title=f"The {_plan_kind(plan)} for {plan.school.name} is not agreed: its deadline {words}",
                url=reverse("support:plan", args=[plan.school.urn]),
            )
        )
    return made
