"""The support a school on the priority list gets in a year: a package from its category's
entitlement (a share of it when it joins in year), adjustments, the days allocated to its priority
partner, the visits they make, an action plan with priorities, actions and deadlines, and progress
meetings with their actions."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from national.draws import clamp, day_between, moment, weekday
from support.models import (
    Action,
    ActionPlan,
    Allocation,
    EntitlementAdjustment,
    Meeting,
    MeetingAction,
    Priority,
    SupportPackage,
    Visit,
)

if TYPE_CHECKING:
    from national.cases import Casebook

PRIORITIES = ["Quality of teaching in reading", "Attendance of disadvantaged pupils", "Leadership of the curriculum"]


def package(
    rng: random.Random,
    book: Casebook,
    add: Callable[[type, dict[str, Any]], None],
    school: int,
    year: int,
    starts: date,
    removed: date | None,
) -> None:
    """A package for a school on the year's list, with its allocations, visits, plan and meetings."""
    code = book.category_on(school, starts) or book.categories[min(1, len(book.categories) - 1)].code
    terms = book.terms[code]
    officer = book.people.officer_for(rng, book.by_pk[school].la_pk)
    summer = date(year + 1, 7, 20)
    ends = min(removed or summer, summer)
    share = Decimal(clamp((summer - starts).days / 320, 0.1, 1))
    adviser = max(Decimal("0.5"), (terms.adviser_days * share * 2).quantize(Decimal(1)) / 2)
    teaching = (terms.teaching_adviser_days * share * 2).quantize(Decimal(1)) / 2
    meetings = terms.progress_meetings
    brokered_days = Decimal(3) if terms.brokered else Decimal(0)
    package_id = book.ids("package")
    add(
        SupportPackage,
        {
            "id": package_id,
            "school_id": school,
            "academic_year": year,
            "category_id": terms.pk,
            "starts_on": starts,
            "adviser_days": adviser,
            "teaching_adviser_days": teaching,
            "progress_meetings": meetings,
            "brokered_days": brokered_days,
            "created_by_id": officer,
            "created_at": moment(starts, rng),
        },
    )
    extra = Decimal(0)
    if rng.random() < 0.1:
        extra = Decimal(1)
        add(
            EntitlementAdjustment,
            {
                "id": book.ids("adjustment"),
                "package_id": package_id,
                "kind": "adviser",
                "change": extra,
                "reason": "An extra day agreed by the board.",
                "made_by_id": officer,
                "made_at": moment(starts + timedelta(days=rng.randint(30, 120)), rng),
            },
        )
    if meetings and rng.random() < 0.05:
        add(
            EntitlementAdjustment,
            {
                "id": book.ids("adjustment"),
                "package_id": package_id,
                "kind": "progress_meetings",
                "change": Decimal(1),
                "reason": "An extra progress meeting.",
                "made_by_id": officer,
                "made_at": moment(starts + timedelta(days=rng.randint(30, 120)), rng),
            },
        )
    partner = book.people.partner_of[school]
    for kind, days in (
        ("adviser", adviser + extra),
        ("teaching_adviser", teaching),
        ("brokered", brokered_days),
        ("progress_meetings", meetings),
    ):
        made = starts + timedelta(days=rng.randint(2, 20))
        if days > 0 and made <= book.as_of:
            add(
                Allocation,
                {
                    "id": book.ids("allocation"),
                    "package_id": package_id,
                    "kind": kind,
                    "partner_id": partner,
                    "days": days,
                    "made_by_id": officer,
                    "made_at": moment(made, rng),
                },
            )
    span = max(1, (ends - starts).days - 14)
    for kind, days in (("adviser", adviser + extra), ("teaching_adviser", teaching)):
        visits = [Decimal(1)] * int(days) + ([Decimal("0.5")] if days % 1 else [])
        for n, length in enumerate(visits):
            day = weekday(starts + timedelta(days=14 + span * n // max(1, len(visits)) + rng.randrange(7)))
            if day > ends:
                continue
            cancelled = rng.random() < 0.04
            held = day <= book.as_of and not cancelled
            add(
                Visit,
                {
                    "id": book.ids("visit"),
                    "school_id": school,
                    "visitor_id": partner,
                    "kind": kind,
                    "purpose": "Support visit" if kind == "adviser" else "Teaching and learning review",
                    "scheduled_for": day,
                    "held_on": day if held else None,
                    "days": length,
                    "status": "held" if held else "cancelled" if cancelled else "scheduled",
                    "created_by_id": officer,
                    "created_at": moment(min(starts, day), rng),
                },
            )
    plan = book.ids("plan")
    agreed_at = max(starts, date(year, 10, 1))
    add(
        ActionPlan,
        {
            "id": plan,
            "school_id": school,
            "academic_year": year,
            "status": "agreed" if agreed_at <= book.as_of else "draft",
            "due_by": date(year, 10, 20),
            "agreed_by_id": officer if agreed_at <= book.as_of else None,
            "agreed_at": moment(agreed_at, rng) if agreed_at <= book.as_of else None,
            "created_by_id": officer,
            "created_at": moment(starts, rng),
        },
    )
    current = year == book.current_year
    for order in range(1, 4):
        priority = book.ids("priority")
        add(Priority, {"id": priority, "plan_id": plan, "order": order, "title": PRIORITIES[order - 1]})
        for _ in range(3):
            deadline = day_between(rng, date(year, 11, 1), date(year + 1, 7, 15))
            if deadline >= book.as_of:
                rag = rng.choices(("green", "amber", "red"), (0.7, 0.2, 0.1))[0]
            elif rng.random() < (0.65 if current else 0.93):
                rag = "complete"
            else:
                rag = rng.choice(("red", "amber", "green"))
            add(
                Action,
                {
                    "id": book.ids("action"),
                    "priority_id": priority,
                    "description": "Raise attainment in the priority area.",
                    "owner": "Headteacher",
                    "deadline": deadline,
                    "rag": rag,
                },
            )
    count, used = int(meetings), set()
    for n in range(count):
        day = weekday(starts + timedelta(days=30 + (ends - starts).days * n // max(1, count)))
        if day > ends or day in used:  # one progress meeting a day
            continue
        used.add(day)
        meeting = book.ids("meeting")
        add(
            Meeting,
            {
                "id": meeting,
                "school_id": school,
                "kind": "progress",
                "scheduled_for": day,
                "held_on": day if day <= book.as_of else None,
                "attendees": "Headteacher, chair of governors, priority partner",
                "created_by_id": officer,
            },
        )
        for _ in range(2):
            deadline = day + timedelta(days=rng.randint(30, 45))
            add(
                MeetingAction,
                {
                    "id": book.ids("meeting action"),
                    "meeting_id": meeting,
                    "description": "Agreed at the progress meeting.",
                    "owner": "Headteacher",
                    "deadline": deadline,
                    "done": deadline < book.as_of and rng.random() < 0.88,
                },
            )
