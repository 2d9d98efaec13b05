"""Consortia of schools (seed 002, Warwickshire 2013, section 7): officers set them up, put schools
in them (one consortium per school) and record two lead members each with the criterion they meet;
the pages for every role, bounded queries, and the funding page's totals per consortium."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.authorities import working_in
from categorisation import selectors as categorisation_selectors
from categorisation import services as category_services
from schools import selectors, services
from schools.forms import ConsortiumLeadForm
from schools.models import Consortium, ConsortiumLead, ConsortiumMember
from tests.factories import AuthorityFactory, SchoolFactory, UserFactory
from tests.roles import NOT_OFFICERS, OFFICERS, assert_sends_to_sign_in, status_by_role

pytestmark = pytest.mark.django_db

READERS = OFFICERS | NOT_OFFICERS | {"bella": 200}


@pytest.fixture
def north(olivia):
    return services.create_consortium(name="North Warwickshire Primary", phase="primary", by=olivia)


@pytest.fixture
def outstanding(warwickshire):
    return SchoolFactory(name="Kingsbury Outstanding Primary", la=warwickshire, ofsted_outcome="outstanding")


# Setting up consortia and their schools -------------------------------------------------------------------------


def test_an_officer_sets_up_a_consortium(olivia):
    made = services.create_consortium(name=" Rugby Secondary ", phase="secondary", by=olivia)
    assert (made.name, made.get_phase_display()) == ("Rugby Secondary", "Secondary and special")


def test_a_consortium_needs_a_name_a_phase_and_a_name_of_its_own(olivia, north):
    with pytest.raises(ValidationError, match="Enter the consortium's name"):
        services.create_consortium(name=" ", phase="primary", by=olivia)
    with pytest.raises(ValidationError, match="Select the consortium's phase"):
        services.create_consortium(name="South", phase="nursery", by=olivia)
    with pytest.raises(ValidationError, match="already a consortium called"):
        services.create_consortium(name="north warwickshire primary", phase="primary", by=olivia)


@pytest.mark.parametrize("who", ["alice", "hannah", "bella", "colin"])
def test_only_officers_manage_consortia(everyone, who):
    with pytest.raises(PermissionDenied):
        services.create_consortium(name="South", phase="primary", by=everyone[who])


def test_seed_002_all_schools_belong_to_a_consortium(olivia, north, castle, ashfield):
    """Seed 002, 7.4: "all schools would belong to a consortium": the portal counts the schools
    still in none, so officers can place every one."""
    before = selectors.schools_in_no_consortium().count()
    services.add_school_to_consortium(consortium=north, school=ashfield, by=olivia)
    assert selectors.schools_in_no_consortium().count() == before - 1
    assert castle in selectors.schools_in_no_consortium()


def test_seed_002_a_school_belongs_to_one_consortium(olivia, north, castle):
    """A school already in another consortium is refused, with that consortium's name."""
    rugby = services.create_consortium(name="Rugby Secondary", phase="secondary", by=olivia)
    services.add_school_to_consortium(consortium=rugby, school=castle, by=olivia)
    with pytest.raises(ValidationError, match="Castle Secondary School is already in the Rugby Secondary consortium"):
        services.add_school_to_consortium(consortium=north, school=castle, by=olivia)
    with pytest.raises(ValidationError, match="already in this consortium"):
        services.add_school_to_consortium(consortium=rugby, school=castle, by=olivia)


def test_the_database_holds_one_consortium_per_school(olivia, north, castle):
    rugby = services.create_consortium(name="Rugby Secondary", phase="secondary", by=olivia)
    ConsortiumMember.objects.create(consortium=north, school=castle)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsortiumMember.objects.create(consortium=rugby, school=castle)


def test_another_authority_may_place_the_same_school_in_its_own_consortium(olivia, north, castle):
    services.add_school_to_consortium(consortium=north, school=castle, by=olivia)
    other = AuthorityFactory(name="Coventry and Warwickshire Partnership", la_codes=[937])
    with working_in(other):
        theirs = Consortium.objects.create(name="Partnership secondary", phase="secondary")
        ConsortiumMember.objects.create(consortium=theirs, school=castle)
        assert list(Consortium.objects.all()) == [theirs]


def test_a_school_outside_the_remit_is_refused(olivia, north, castle):
    other = AuthorityFactory(name="Elsewhere", la_codes=[330])
    with working_in(other):
        elsewhere = services.create_consortium(name="Elsewhere primary", phase="primary", by=olivia)
        with pytest.raises(ValidationError, match="not a school of the authority's remit"):
            services.add_school_to_consortium(consortium=elsewhere, school=castle, by=olivia)


def test_a_school_taken_out_is_in_no_consortium(olivia, north, castle):
    member = services.add_school_to_consortium(consortium=north, school=castle, by=olivia)
    services.remove_school_from_consortium(member=member, by=olivia)
    assert castle in selectors.schools_in_no_consortium()


# Lead members ------------------------------------------------------------------------------------------------


def test_seed_002_a_consortium_has_two_lead_members(olivia, north):
    """Seed 002, 7.4: "two lead members from each consortia": a third is refused."""
    services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle")
    services.add_consortium_lead(consortium=north, by=olivia, name="Ben Ward", criterion="lle")
    with pytest.raises(ValidationError, match="already has two lead members"):
        services.add_consortium_lead(consortium=north, by=olivia, name="Cara Lee", criterion="nle")
    assert [lead.seat for lead in selectors.consortium_leads(north)] == [1, 2]


def test_the_database_holds_two_lead_seats(olivia, north):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsortiumLead.objects.create(consortium=north, seat=3, name="Third", criterion="nle")


def test_a_lead_stood_down_frees_their_seat(olivia, north):
    first = services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle")
    services.add_consortium_lead(consortium=north, by=olivia, name="Ben Ward", criterion="lle")
    services.remove_consortium_lead(lead=first, by=olivia)
    again = services.add_consortium_lead(consortium=north, by=olivia, name="Cara Lee", criterion="nle")
    assert again.seat == 1


def test_seed_002_a_lead_is_a_head_of_an_outstanding_school_an_nle_or_an_lle(olivia, north, outstanding, castle):
    """Seed 002, 7.5: the defined brief. The headteacher of an outstanding school names the school,
    whose latest Ofsted judgement must be outstanding; which criterion each lead meets is kept."""
    head = services.add_consortium_lead(
        consortium=north, by=olivia, name="Dana Price", criterion="outstanding_head", school=outstanding
    )
    assert head.meets_criteria
    assert head.get_criterion_display() == "Headteacher of an outstanding school"
    with pytest.raises(ValidationError, match="Enter the URN of the outstanding school"):
        services.add_consortium_lead(consortium=north, by=olivia, name="Eli Stone", criterion="outstanding_head")
    with pytest.raises(ValidationError, match="latest Ofsted judgement is not outstanding"):
        services.add_consortium_lead(
            consortium=north, by=olivia, name="Eli Stone", criterion="outstanding_head", school=castle
        )
    with pytest.raises(ValidationError, match="Select which lead member criterion"):
        services.add_consortium_lead(consortium=north, by=olivia, name="Eli Stone", criterion="")


def test_seed_002_a_lead_who_does_not_meet_the_criteria_has_no_seat_on_the_board(olivia, north):
    """Seed 002, 7.4: "lead members to meet the agreed lead member criteria": recorded as
    nominated, shown as not meeting them, and not among the board's members."""
    services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle")
    pending = services.add_consortium_lead(consortium=north, by=olivia, name="Ben Ward", criterion="none")
    assert not pending.meets_criteria
    assert [lead.name for lead in selectors.board_leads()] == ["Amira Khan"]


def test_a_lead_takes_the_name_of_their_account(olivia, north, ezra):
    lead = services.add_consortium_lead(consortium=north, by=olivia, name="", user=ezra, criterion="lle")
    assert lead.name == "Ezra Executive"
    with pytest.raises(ValidationError, match="already a lead member"):
        services.add_consortium_lead(consortium=north, by=olivia, name="", user=ezra, criterion="nle")


# Pages -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def pages(north, olivia):
    member = services.add_school_to_consortium(
        consortium=north, school=SchoolFactory(name="Atherstone Primary"), by=olivia
    )
    lead = services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle")
    return {
        "list": reverse("schools:consortia"),
        "detail": reverse("schools:consortium", args=[north.pk]),
        "add-school": reverse("schools:consortium-add-school", args=[north.pk]),
        "add-lead": reverse("schools:consortium-add-lead", args=[north.pk]),
        "remove-school": reverse("schools:consortium-remove-school", args=[member.pk]),
        "remove-lead": reverse("schools:consortium-remove-lead", args=[lead.pk]),
    }


@pytest.mark.parametrize(("page", "expected"), [("list", READERS), ("detail", READERS)])
def test_the_board_and_officers_read_the_consortia(client, everyone, pages, page, expected):
    assert status_by_role(client, everyone, pages[page]) == expected


@pytest.mark.parametrize("page", ["add-school", "add-lead"])
def test_only_officers_open_the_consortium_forms(client, everyone, pages, page):
    assert status_by_role(client, everyone, pages[page]) == OFFICERS | NOT_OFFICERS


@pytest.mark.parametrize("page", ["remove-school", "remove-lead"])
def test_only_officers_take_out_schools_and_leads(client, everyone, pages, page):
    for who in ["alice", "hannah", "bella", "colin"]:
        client.force_login(everyone[who])
        assert client.post(pages[page]).status_code == 403
    client.force_login(everyone["olivia"])
    assert client.get(pages[page]).status_code == 405
    assert client.post(pages[page]).status_code == 302


@pytest.mark.parametrize("page", ["list", "detail", "add-school", "add-lead"])
def test_anonymous_visitors_are_sent_to_sign_in(client, pages, page):
    assert_sends_to_sign_in(client, pages[page])


def test_an_officer_sets_up_a_consortium_and_adds_a_school_by_urn(client, olivia, castle):
    client.force_login(olivia)
    response = client.post(reverse("schools:consortia"), {"name": "Rugby Secondary", "phase": "secondary"})
    rugby = Consortium.objects.get(name="Rugby Secondary")
    assert response["Location"] == rugby.get_absolute_url()
    url = reverse("schools:consortium-add-school", args=[rugby.pk])
    assert client.post(url, {"urn": castle.urn}).status_code == 302
    north = services.create_consortium(name="North", phase="primary", by=olivia)
    refused = client.post(reverse("schools:consortium-add-school", args=[north.pk]), {"urn": castle.urn})
    assert "Castle Secondary School is already in the Rugby Secondary consortium" in refused.text
    page = client.get(rugby.get_absolute_url())
    assert "Castle Secondary School" in page.text


def test_the_lead_form_says_what_is_wrong(client, olivia, north):
    client.force_login(olivia)
    url = reverse("schools:consortium-add-lead", args=[north.pk])
    assert "Enter the lead member&#x27;s name" in client.post(url, {"criterion": "nle"}).text
    assert client.post(url, {"name": "Amira Khan", "criterion": "nle"}).status_code == 302
    assert client.post(url, {"name": "Ben Ward", "criterion": "lle"}).status_code == 302
    assert "already has two lead members" in client.post(url, {"name": "Cara Lee", "criterion": "nle"}).text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_consortia_pages_take_the_same_queries_however_many_rows(client, olivia):
    client.force_login(olivia)
    first = services.create_consortium(name="First", phase="primary", by=olivia)
    services.add_school_to_consortium(consortium=first, school=SchoolFactory(), by=olivia)
    services.add_consortium_lead(consortium=first, by=olivia, name="Amira Khan", criterion="nle")
    list_url, detail_url = reverse("schools:consortia"), first.get_absolute_url()
    few = (_queries(client, list_url), _queries(client, detail_url))
    for n in range(4):
        more = services.create_consortium(name=f"More {n}", phase="secondary", by=olivia)
        services.add_school_to_consortium(consortium=more, school=SchoolFactory(), by=olivia)
        services.add_school_to_consortium(consortium=first, school=SchoolFactory(), by=olivia)
    services.add_consortium_lead(consortium=first, by=olivia, name="Ben Ward", criterion="lle")
    assert (_queries(client, list_url), _queries(client, detail_url)) == few


def test_the_list_counts_schools_and_leads(olivia, north, castle):
    services.add_school_to_consortium(consortium=north, school=castle, by=olivia)
    services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle")
    (row,) = selectors.consortia()
    assert (row.school_count, row.lead_count) == (1, 1)


# Funding per consortium ----------------------------------------------------------------------------------------


def _funded(olivia, adam, *schools, amount="100"):
    """The schools agreed Intensive, whose category brings ``amount`` per pupil."""
    category_services.recategorise(trigger="manual")
    for school in schools:
        category_services.agree_category(school=school, by=olivia, category_code="intensive", rationale="Agreed")
    draft = category_services.create_draft(version=categorisation_selectors.active_version(), by=adam)
    category = draft.categories.get(code="intensive")
    category_services.update_support(category=category, by=adam, values={"funding_per_pupil": amount})
    category_services.adopt_draft(version=draft, by=adam)


def test_seed_002_funding_totals_per_consortium(olivia, adam, north):
    """Seed 002, appendix F: a consortium's funding is its schools that trigger funding × an amount
    per pupil. The funding page totals the funded schools per consortium; schools in none are
    shown as "No consortium"."""
    placed = [SchoolFactory(pupils_on_roll=200), SchoolFactory(pupils_on_roll=100)]
    unplaced = SchoolFactory(pupils_on_roll=50)
    _funded(olivia, adam, *placed, unplaced)
    for school in placed:
        services.add_school_to_consortium(consortium=north, school=school, by=olivia)
    table = categorisation_selectors.funding_table()
    totals = {t.name: (t.schools, t.pupils, t.funding) for t in table.by_consortium}
    assert totals == {
        "North Warwickshire Primary": (2, 300, Decimal("30000.00")),
        "No consortium": (1, 50, Decimal("5000.00")),
    }
    assert [t.name for t in table.by_consortium][-1] == "No consortium"
    assert sum(t.funding for t in table.by_consortium) == table.grand_total.funding


def test_an_authority_without_consortia_has_no_totals_per_consortium(olivia, adam):
    _funded(olivia, adam, SchoolFactory(pupils_on_roll=200))
    assert categorisation_selectors.funding_table().by_consortium == []


def test_the_funding_page_shows_the_totals_per_consortium(client, olivia, adam, north):
    school = SchoolFactory(pupils_on_roll=200)
    _funded(olivia, adam, school)
    services.add_school_to_consortium(consortium=north, school=school, by=olivia)
    client.force_login(olivia)
    page = client.get(reverse("categorisation:funding")).text
    assert 'id="funding-by-consortium"' in page
    assert "North Warwickshire Primary" in page
    assert "£20,000.00" in page


def test_another_authoritys_consortia_do_not_count(olivia, adam, north):
    school = SchoolFactory(pupils_on_roll=200)
    _funded(olivia, adam, school)
    other = AuthorityFactory(name="Elsewhere", la_codes=[937])
    with working_in(other):
        theirs = Consortium.objects.create(name="Theirs", phase="primary")
        ConsortiumMember.objects.create(consortium=theirs, school=school)
    services.add_school_to_consortium(consortium=north, school=school, by=olivia)
    totals = categorisation_selectors.funding_table().by_consortium
    assert [(t.name, t.schools) for t in totals] == [("North Warwickshire Primary", 1)]


def test_users_of_the_lead_form_are_the_authoritys_people(olivia, north):
    stranger = UserFactory(full_name="Stranger", authority_id=None)
    people = set(ConsortiumLeadForm().fields["user"].queryset)
    assert olivia in people
    assert stranger not in people
