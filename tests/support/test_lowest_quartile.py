"""The action plan's lowest quartile (seed 004): the measures where a school is in the worst quarter
of the authority's schools of its phase, in the latest year it has each."""

from decimal import Decimal

import pytest
from django.urls import reverse

from support import plan_selectors
from support.quartiles import lowest_quartile_boundary
from tests.factories import PerformanceMeasureFactory, SchoolFactory

pytestmark = pytest.mark.django_db

KS2 = "ks2_rwm_expected_pct"  # higher is better
ABSENCE = "abs_overall_pct"  # lower is better


def test_lowest_quartile_boundary_is_the_worse_quartile_either_way():
    figures = [Decimal(n) for n in (40, 45, 50, 60, 70, 80, 90, 100)]
    assert lowest_quartile_boundary(figures, higher_is_better=True) == Decimal("48.75")
    assert lowest_quartile_boundary(figures, higher_is_better=False) == Decimal("82.5")
    assert lowest_quartile_boundary(figures[:3], higher_is_better=True) is None


def test_seed_004_action_plan_shows_measures_in_the_authoritys_lowest_quartile(
    client, olivia, ashfield, birmingham, django_assert_max_num_queries
):
    PerformanceMeasureFactory(school=ashfield, academic_year=2018, measure=KS2, value=95)  # an older year
    PerformanceMeasureFactory(school=ashfield, academic_year=2023, measure=KS2, value=45)
    PerformanceMeasureFactory(school=ashfield, academic_year=2023, measure=ABSENCE, value=Decimal("3.0"))
    for n, value in enumerate((40, 50, 60, 70, 80, 90, 100)):
        peer = SchoolFactory(la=birmingham)
        PerformanceMeasureFactory(school=peer, academic_year=2023, measure=KS2, value=value)
        PerformanceMeasureFactory(school=peer, academic_year=2023, measure=ABSENCE, value=4 + n)
    # Neither a secondary school nor an independent school (outside the remit) is compared.
    secondary = SchoolFactory(la=birmingham, phase_name="Secondary")
    PerformanceMeasureFactory(school=secondary, academic_year=2023, measure=KS2, value=10)
    independent = SchoolFactory(
        la=birmingham, type_name="Other independent school", type_group_name="Independent schools"
    )
    PerformanceMeasureFactory(school=independent, academic_year=2023, measure=KS2, value=1)

    with django_assert_max_num_queries(3):  # the school's figures, the authority, its schools' figures
        found = plan_selectors.lowest_quartile(ashfield)
    assert [(r.measure.code, r.year, r.value, r.boundary, r.schools) for r in found] == [
        (KS2, 2023, Decimal("45"), Decimal("48.75"), 8)
    ]

    client.force_login(olivia)
    page = client.get(reverse("support:plan", args=[ashfield.urn])).content.decode()
    assert "Lowest quartile in the authority" in page
    assert "KS2 % meeting the expected standard in reading, writing and maths" in page
    assert "Overall absence" not in page
