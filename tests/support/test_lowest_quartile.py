"""The action plan's lowest quartile (seed 004): the measures where a school is in the worst quarter
of the authority's schools of its phase, in the latest year it has each."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Authority
from boards.models import PriorityEntry
from support import plan_selectors
from support.plan_selectors import A8, P8
from support.quartiles import lowest_quartile_boundary
from support.selectors import current_year
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import PerformanceMeasureFactory, PriorityEntryFactory, SchoolFactory

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


def test_seed_004_the_schools_in_the_lowest_quartile_for_p8_and_a8_are_listed(
    client, olivia, birmingham, warwickshire, django_assert_max_num_queries
):
    """B113: "BEP will provide for around 24 schools in the lowest quartile for P8 and A8"."""
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[birmingham.code])
    figures = {"Low on both": ("-1.0", 30), "Low on P8 only": ("-0.9", 50)}
    peers = [("0", 31), ("0.1", 45), ("0.2", 46), ("0.3", 47), ("0.4", 48), ("0.5", 49)]
    figures |= {f"Peer {n}": figure for n, figure in enumerate(peers)}
    schools = {}
    for name, (p8, a8) in figures.items():
        schools[name] = SchoolFactory(la=birmingham, name=name, phase_name="Secondary")
        PerformanceMeasureFactory(school=schools[name], academic_year=2023, measure=P8, value=Decimal(p8))
        PerformanceMeasureFactory(school=schools[name], academic_year=2023, measure=A8, value=a8)
    PerformanceMeasureFactory(school=schools["Peer 0"], academic_year=2024, measure=A8, value=10)  # no P8 that year
    elsewhere = SchoolFactory(la=warwickshire, name="Another authority's school", phase_name="Secondary")
    PerformanceMeasureFactory(school=elsewhere, academic_year=2023, measure=P8, value=-3)
    PerformanceMeasureFactory(school=elsewhere, academic_year=2023, measure=A8, value=10)
    PriorityEntryFactory(
        school=schools["Low on both"], academic_year=current_year(), status=PriorityEntry.Status.ON_LIST
    )

    with django_assert_max_num_queries(4):
        found = plan_selectors.lowest_quartile_secondaries()
    assert (found.year, found.p8_boundary, found.a8_boundary) == (2023, Decimal("-0.225"), Decimal("41.5"))
    assert [(r.school.name, r.p8, r.a8, r.school.on_priority_list) for r in found.rows] == [
        ("Low on both", Decimal("-1.0"), Decimal("30"), True)
    ]

    client.force_login(olivia)
    page = client.get(reverse("support:lowest-quartile")).content.decode()
    assert "Low on both" in page
    assert "Low on P8 only" not in page
    assert "Another authority" not in page
    assert "On the list" in page
