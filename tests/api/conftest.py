"""A small world for the API, as the pages' tests have it: Ashfield (Alice its partner, Hannah
its head, on this year's priority list so Bella the board member sees it) and Beacon Hill (Bob its
partner, Ezra its head, not on the list), each with inspections, a category, a support package and
visits at each step of the report workflow. Castle, Ezra's other school, has none of it."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from tests.factories import InspectionFactory, VisitFactory

# What the Schemathesis test sent (operation: cases) and what came back (status: answers), for the
# line it adds to the run's summary.
FUZZED = SimpleNamespace(cases=Counter(), statuses=Counter())
_TOKEN_NUMBERS = itertools.count(1)


def pytest_terminal_summary(terminalreporter):
    if FUZZED.cases:
        errors = sum(n for status, n in FUZZED.statuses.items() if status >= 500)
        terminalreporter.write_line(
            f"Schemathesis: {len(FUZZED.cases)} operations, {FUZZED.cases.total()} generated cases, "
            f"answers {dict(sorted(FUZZED.statuses.items()))}, {errors} server errors"
        )


def token_for(user, *, name: str | None = None, days: int = 90, two_factor_verified: bool = True) -> str:
    """A new API token of the person's own, as Your account makes it: its key."""
    name = name or f"Test token {next(_TOKEN_NUMBERS)}"
    return account_services.create_api_token(by=user, name=name, days=days, two_factor_verified=two_factor_verified)[1]


def client_with_token(key: str) -> Client:
    return Client(headers={"authorization": f"Token {key}"})


@pytest.fixture
def as_user(everyone):
    """A client holding the named person's API token."""

    def make(who: str) -> Client:
        return client_with_token(token_for(everyone[who]))

    return make


def _side(school, partner, olivia, *, year: int):
    from support import services as support
    from support.models import SupportPackage, Visit

    today = timezone.localdate()
    held = today - timedelta(days=14)
    shared = VisitFactory(school=school, visitor=partner, status=Visit.Status.HELD, held_on=held, purpose="Reading")
    report = support.start_report(visit=shared, by=partner)
    support.edit_report(report=report, by=partner, findings="Phonics is secure.", next_steps="Year 3.")
    support.submit_report(report=report, by=partner)
    support.share_report(report=report, by=partner)
    # A second version in draft: headteachers still read the shared first version.
    revised = support.revise_report(report=report, by=partner)
    support.edit_report(report=revised, by=partner, findings="Draft: phonics is not yet secure in year 2.")
    draft = VisitFactory(school=school, visitor=partner, status=Visit.Status.HELD, held_on=held, purpose="Maths")
    support.start_report(visit=draft, by=partner)
    scheduled = VisitFactory(school=school, visitor=partner, scheduled_for=today + timedelta(days=7), purpose="SEND")
    return SimpleNamespace(
        school=school,
        shared_visit=shared,
        draft_visit=draft,
        scheduled_visit=scheduled,
        package=SupportPackage.objects.get(school=school, academic_year=year),
        graded=InspectionFactory(school=school, inspection_number=f"{school.urn}1"),
    )


@pytest.fixture
def world(everyone, ashfield, beacon_hill, castle):
    from boards import services as boards
    from boards.models import Decision, PriorityEntry
    from categorisation import services as categorisation
    from support import services as support
    from support.selectors import current_year

    olivia = everyone["olivia"]
    year = current_year()
    categorisation.recategorise(trigger="manual")
    for school in (ashfield, beacon_hill):
        categorisation.agree_category(school=school, by=olivia, category_code="intensive", rationale="Agreed at panel")
        support.create_package(school=school, year=year, by=olivia)
    boards.decide(school=ashfield, kind=Decision.Kind.ADD, rationale="Inadequate", by=olivia, reason="ofsted_ri")
    a = _side(ashfield, everyone["alice"], olivia, year=year)
    b = _side(beacon_hill, everyone["bob"], olivia, year=year)
    support.adjust_entitlement(package=a.package, kind="adviser", change=Decimal(1), reason="New head", by=olivia)
    support.allocate(package=a.package, kind="adviser", partner=everyone["alice"], days=Decimal(2), by=olivia)
    a.judgements_only = InspectionFactory(school=ashfield, judgements_only=True, quality_of_education=3)
    a.report_card = InspectionFactory(school=ashfield, report_card=True)
    a.ungraded = InspectionFactory(school=ashfield, ungraded=True)
    a.entry = PriorityEntry.objects.get(school=ashfield, academic_year=year)
    return SimpleNamespace(A=a, B=b, castle=castle, people=everyone, year=year)
