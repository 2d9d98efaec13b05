"""Reads of support delivery: a partner's days, counted once wherever they are shown."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.authorities import working_in
from categorisation.models import Category
from support import selectors
from support.models import Allocation, EntitlementKind, SupportPackage
from tests.factories import AuthorityFactory, PartnerProfileFactory, SchoolAssignmentFactory, SchoolFactory

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
