"""A school's support comes from its category as the framework's active version sets it (issue 21):
after a draft is adopted, a school agreed under the old version gets the new entitlement, in the
packages set up since and on its support page, checked against what was delivered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from categorisation import selectors as categorisation_selectors
from categorisation import services as categorisation
from support import selectors, services
from support.models import EntitlementKind, Visit
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

YEAR = selectors.current_year()


@pytest.fixture
def focused(ashfield, olivia):
    """Ashfield agreed as Focused under the active version."""
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Agreed at panel")
    return ashfield


@pytest.fixture
def adopted(focused, adam):
    """A new version in which Focused brings 3 adviser days, six termly meetings, two weekly visits
    and £12.50 a pupil, adopted after Ashfield was agreed Focused."""
    draft = categorisation.create_draft(version=categorisation_selectors.active_version(), by=adam)
    categorisation.update_support(
        category=draft.categories.get(code="focused"),
        by=adam,
        values={
            "adviser_days": "3",
            "progress_meetings_per_year": "6",
            "meeting_cadence": "termly",
            "visit_pattern": "2 weekly visits",
            "funding_per_pupil": "12.50",
        },
    )
    categorisation.adopt_draft(version=draft, by=adam)
    return draft


def test_a_package_set_up_after_adoption_carries_the_new_version_s_days(focused, adopted, olivia):
    package = services.create_package(school=focused, year=YEAR, by=olivia, starts_on=date(YEAR, 9, 1))
    assert package.adviser_days == 3
    assert package.progress_meetings == 6
    assert package.category == adopted.categories.get(code="focused")


def test_a_package_set_up_mid_year_shares_out_the_new_days(focused, adopted, olivia):
    package = services.create_package(school=focused, year=YEAR, by=olivia, starts_on=date(YEAR + 1, 1, 11))
    # Four of six half-terms left: 3 × 4/6 = 2 days.
    assert package.adviser_days == 2


def test_meetings_follow_the_new_version(focused, adopted):
    assert services.meetings_a_year(focused) == 6


def test_the_support_page_shows_the_active_version_s_entitlement(client, focused, adopted, olivia):
    client.force_login(olivia)
    page = client.get(reverse("support:support", args=[focused.urn])).content.decode()
    assert f"version {adopted.number} of Tiered support" in page
    entitlement = page[page.index('id="category-entitlement"') :]
    entitlement = entitlement[: entitlement.index("</dl>")]
    assert 'Adviser days</dt><dd class="govuk-summary-list__value">3</dd>' in entitlement
    assert "6 a year, termly" in entitlement
    assert "2 weekly visits" in entitlement
    # 320 pupils on roll (the factory's) at £12.50.
    assert "£4,000.00 (£12.50 per pupil × 320 pupils on roll)" in entitlement


def test_the_support_page_says_when_the_package_came_from_an_older_version(client, focused, olivia, adam):
    services.create_package(school=focused, year=YEAR, by=olivia, starts_on=date(YEAR, 9, 1))
    draft = categorisation.create_draft(version=categorisation_selectors.active_version(), by=adam)
    categorisation.update_support(category=draft.categories.get(code="focused"), by=adam, values={"adviser_days": 3})
    categorisation.adopt_draft(version=draft, by=adam)
    client.force_login(olivia)
    page = client.get(reverse("support:support", args=[focused.urn])).content.decode()
    assert "It was set up under version" in page
    assert "adjust the entitlement if the school should get the new support" in page


def test_delivery_beyond_the_entitlement_is_warned_of(client, focused, adopted, olivia, alice):
    services.create_package(school=focused, year=YEAR, by=olivia, starts_on=date(YEAR, 9, 1))
    for day in (5, 12):
        VisitFactory(
            school=focused,
            visitor=alice,
            kind=EntitlementKind.ADVISER,
            status=Visit.Status.HELD,
            held_on=date(YEAR, 10, day),
            days=2,
        )
    view = selectors.package_view(focused, YEAR)
    assert [(b.kind, b.balance.delivered, b.balance.entitled) for b in view.over_delivered] == [
        (EntitlementKind.ADVISER, 4, 3)
    ]
    client.force_login(olivia)
    page = client.get(reverse("support:support", args=[focused.urn])).content.decode()
    assert "More school improvement adviser days delivered (4) than the school is entitled to this year (3)." in page


def test_no_warning_while_delivery_is_within_the_entitlement(client, focused, adopted, olivia, alice):
    services.create_package(school=focused, year=YEAR, by=olivia, starts_on=date(YEAR, 9, 1))
    VisitFactory(school=focused, visitor=alice, status=Visit.Status.HELD, held_on=date(YEAR, 10, 5), days=3)
    assert selectors.package_view(focused, YEAR).over_delivered == []
    client.force_login(olivia)
    assert (
        "than the school is entitled to"
        not in client.get(reverse("support:support", args=[focused.urn])).content.decode()
    )


def test_funding_needs_the_pupils_on_roll(focused, adopted):
    focused.pupils_on_roll = None
    entitlement = selectors.entitlement_of(focused)
    assert entitlement.category.funding_per_pupil == Decimal("12.50")
    assert entitlement.funding is None
    focused.pupils_on_roll = 100
    assert selectors.entitlement_of(focused).funding == Decimal("1250.00")


def test_a_school_without_an_agreed_category_is_told_where_its_support_comes_from(client, ashfield, olivia):
    client.force_login(olivia)
    page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
    assert "The school has no agreed category yet" in page
