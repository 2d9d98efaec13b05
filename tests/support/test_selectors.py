"""Reads of support delivery: a partner's days, counted once wherever they are shown."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.authorities import working_in
from boards.models import PriorityEntry
from categorisation.models import Category, Framework
from support import selectors
from support.models import Allocation, EntitlementKind, SupportPackage
from tests.factories import (
    AuthorityFactory,
    PartnerProfileFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

YEAR = selectors.current_year()


def allocate(school, partner, *days: str) -> None:
    package = SupportPackage.objects.create(
        school=school,
        academic_year=YEAR,
        category=Category.objects.filter(code="intensive").first(),
        starts_on=selectors.half_terms(YEAR)[0].starts,
    )
    for each in days:
        Allocation.objects.create(package=package, kind=EntitlementKind.ADVISER, partner=partner, days=Decimal(each))


def test_partner_capacity_equals_the_sum_of_allocated_days(client, olivia, alice, ashfield, beacon_hill):
    """Three schools and four allocations make 21 of 60 days on the list, the partner's page, the
    caseload and the export alike (the list once multiplied the days by the partner's schools)."""
    profile = PartnerProfileFactory(user=alice, capacity_days=60)
    third = SchoolFactory(name="Cedar Infant School")
    for school in (beacon_hill, third):
        SchoolAssignmentFactory(user=alice, school=school)
    allocate(ashfield, alice, "6", "4.5")
    allocate(beacon_hill, alice, "5")
    allocate(third, alice, "5.5")
    with working_in(AuthorityFactory()):
        allocate(SchoolFactory(), alice, "9")

    listed = selectors.partners(YEAR).get(pk=profile.pk)
    assert (listed.allocated, listed.schools) == (Decimal(21), 3)
    assert selectors.partner_load(alice, YEAR).allocated == Decimal(21)

    client.force_login(olivia)
    assert "21 / 60" in client.get(reverse("support:partners")).content.decode()
    assert "21 allocated of 60" in client.get(reverse("support:partner", args=[profile.pk])).content.decode()
    download = client.get(reverse("support:partners"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [Decimal(r["Days allocated"]) for r in rows] == [Decimal(21)]
    client.force_login(alice)
    assert "21 of your 60 days" in client.get(reverse("support:caseload")).content.decode()


def test_seed_004_a_priority_school_without_a_named_partner_is_flagged(client, olivia, alice, ashfield, castle):
    """Seed 004: "Each school on the priority list will be allocated an individual priority partner."
    Ashfield has Alice; Castle has nobody (its partner's assignment ended), and a proposed school
    is not yet on the list: 1 of 2 priority schools is flagged, on the partners page and the list."""
    SchoolAssignmentFactory(school=castle, starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31))
    for school in (ashfield, castle):
        PriorityEntryFactory(school=school, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST)
    PriorityEntryFactory(school=SchoolFactory(name="Dale Primary School"), academic_year=YEAR)

    unnamed = selectors.priority_schools_without_partner(YEAR)
    assert ([s.name for s in unnamed.schools], unnamed.of) == (["Castle Secondary School"], 2)
    client.force_login(olivia)
    page = client.get(reverse("support:partners")).content.decode()
    assert "1 of 2 priority schools has no named priority partner" in page
    listed = client.get(reverse("boards:list"), {"year": YEAR}).content.decode()
    assert "1 of 2 priority schools has no named priority partner" in listed
    filtered = client.get(reverse("boards:list"), {"year": YEAR, "status": "on_list", "partner": "none"})
    assert [e.school.name for e in filtered.context["page"].object_list] == ["Castle Secondary School"]


def test_seed_000_a_maintained_school_without_a_named_adviser_is_listed(client, olivia, alice, ashfield, castle):
    """Seed 000: "All Worcestershire LA maintained schools will receive access to ... a named School
    Improvement Adviser". Under the tiered framework the maintained schools with nobody named are
    listed (not the academy, not Ashfield with Alice); under another framework the check is not made."""
    SchoolFactory(name="Elm Academy", type_name="Academy converter", type_group_name="Academies")
    unnamed = selectors.schools_without_named_adviser()
    assert ([s.name for s in unnamed.schools], unnamed.of) == (["Castle Secondary School"], 2)
    client.force_login(olivia)
    assert "1 of 2 maintained schools has no named school improvement adviser" in (
        client.get(reverse("support:partners")).content.decode()
    )
    Framework.objects.filter(is_active=True).update(is_active=False)
    Framework.objects.filter(code="warwickshire").update(is_active=True)
    assert selectors.schools_without_named_adviser() is None


def test_the_partners_page_runs_the_same_queries_for_1_or_12_unnamed_schools(client, olivia):
    def queries() -> int:
        client.force_login(olivia)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("support:partners")).status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for _ in range(n):
            school = SchoolFactory()
            PriorityEntryFactory(school=school, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST)
            PartnerProfileFactory()

    grow(1)
    few = queries()
    grow(11)
    assert queries() == few
