"""Daily reminders: overdue actions, reports awaiting the head's response, visits coming up or
due for a new headteacher, and plans due. Each reminder has a key; a key sent once is never sent
again (``ReminderSent``), so running the task twice sends nothing the second time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from accounts.models import SchoolAssignment, User
from support import selectors
from support.models import Action, ActionPlan, ReminderSent, Visit, VisitReport

RESPONSE_WAIT_DAYS = 7
VISIT_NOTICE_DAYS = 3
PLAN_NOTICE_DAYS = 14


@dataclass(frozen=True)
class Reminder:
    key: str
    recipient: int
    kind: str
    subject: str
    line: str


def _people(school_ids: set[int], today: date) -> dict[int, dict[str, list[int]]]:
    """Each school's current partners and heads, in one query."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"partner": [], "head": []})
    rows = (
        SchoolAssignment.objects.filter(school_id__in=school_ids, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("school_id", "user_id", "relationship")
    )
    for school_id, user_id, relationship in rows:
        found[school_id][
            "partner" if relationship == SchoolAssignment.Relationship.PRIORITY_PARTNER else "head"
        ].append(user_id)
    return found


def due(today: date) -> list[Reminder]:
    """Every reminder due today, whether or not it has been sent."""
    reminders: list[Reminder] = []
    overdue = list(
        Action.objects.filter(deadline__lt=today)
        .exclude(rag=Action.Rag.COMPLETE)
        .select_related("priority__plan__school")
    )
    awaiting = list(
        VisitReport.objects.filter(
            status=VisitReport.Status.SHARED, shared_at__date__lte=today - timedelta(days=RESPONSE_WAIT_DAYS)
        ).select_related("visit__school")
    )
    visits = list(
        Visit.objects.filter(
            status=Visit.Status.SCHEDULED, scheduled_for__range=(today, today + timedelta(days=VISIT_NOTICE_DAYS))
        ).select_related("school")
    )
    new_heads = list(selectors.new_heads_without_visit(today).select_related("school"))
    plans = list(
        ActionPlan.objects.filter(due_by__lte=today + timedelta(days=PLAN_NOTICE_DAYS))
        .exclude(status=ActionPlan.Status.AGREED)
        .select_related("school")
    )
    schools = (
        {a.priority.plan.school_id for a in overdue}
        | {r.visit.school_id for r in awaiting}
        | {h.school_id for h in new_heads}
        | {p.school_id for p in plans}
    )
    people = _people(schools, today)

    for action in overdue:
        school = action.priority.plan.school
        for user_id in people[school.pk]["partner"] + people[school.pk]["head"]:
            reminders.append(
                Reminder(
                    f"overdue_action:{action.pk}:{action.deadline}:{user_id}",
                    user_id,
                    "overdue_action",
                    f"Overdue action at {school.name}",
                    f"The action '{action.description[:80]}' (owner {action.owner}) was due on "
                    f"{action.deadline:%d %B %Y}.",
                )
            )
    for report in awaiting:
        school = report.visit.school
        for user_id in people[school.pk]["head"]:
            reminders.append(
                Reminder(
                    f"report_response:{report.pk}:{user_id}",
                    user_id,
                    "report_response",
                    f"A visit report for {school.name} awaits your response",
                    f"The report on the visit of {report.visit.scheduled_for:%d %B %Y} was shared with you on "
                    f"{report.shared_at:%d %B %Y}. Please say whether it is accurate.",
                )
            )
    for visit in visits:
        reminders.append(
            Reminder(
                f"visit:{visit.pk}:{visit.scheduled_for}:{visit.visitor_id}",
                visit.visitor_id,
                "visit_due",
                f"Visit to {visit.school.name} on {visit.scheduled_for:%d %B %Y}",
                f"Your visit to {visit.school.name} ({visit.purpose}) is on {visit.scheduled_for:%d %B %Y}.",
            )
        )
    for head in new_heads:
        by = selectors.new_head_visit_due_by(head)
        for user_id in people[head.school_id]["partner"]:
            reminders.append(
                Reminder(
                    f"new_head:{head.pk}:{user_id}",
                    user_id,
                    "new_head_visit",
                    f"A visit is due at {head.school.name} for its new headteacher",
                    f"{head.name} started on {head.starts_on:%d %B %Y}. A visit is due by {by:%d %B %Y}, "
                    "the end of their first half-term.",
                )
            )
    for plan in plans:
        for user_id in people[plan.school_id]["partner"] + people[plan.school_id]["head"]:
            reminders.append(
                Reminder(
                    f"plan_due:{plan.pk}:{plan.due_by}:{user_id}",
                    user_id,
                    "plan_due",
                    f"The {plan.get_kind_display().lower()} for {plan.school.name} is due",
                    f"The plan is due by {plan.due_by:%d %B %Y} and has not been agreed yet.",
                )
            )
    return reminders


def send_due(today: date) -> int:
    """Send every reminder due today that has not been sent; returns how many were sent."""
    reminders = due(today)
    sent_already = set(ReminderSent.objects.filter(key__in=[r.key for r in reminders]).values_list("key", flat=True))
    emails = dict(
        User.objects.filter(pk__in={r.recipient for r in reminders}, is_active=True).values_list("pk", "email")
    )
    sent = 0
    for reminder in reminders:
        if reminder.key in sent_already or reminder.recipient not in emails:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(key=reminder.key, recipient_id=reminder.recipient, kind=reminder.kind)
        except IntegrityError:
            continue  # another run sent it a moment ago
        send_mail(
            reminder.subject,
            f"{reminder.line}\n\n{settings.SERVICE_NAME}",
            settings.DEFAULT_FROM_EMAIL,
            [emails[reminder.recipient]],
        )
        sent += 1
    return sent
