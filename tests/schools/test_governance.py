"""The board that governs a school: its chair and clerk (personal data, seen by those who work with the
school), and the external reviews of governance that count as evidence in the risk assessment."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.authorities import working_in
from categorisation import rules
from categorisation.selectors import governance_review_facts
from portal.case import case_for
from schools import selectors, services
from schools.models import GovernanceContact
from tests.factories import (
    AuthorityFactory,
    GovernanceContactFactory,
    GovernanceReviewFactory,
    SchoolFactory,
    SchoolGroupFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CHAIR = {"chair": {"name": "Mrs J Smith", "email": "j.smith@ashfield.example", "phone": "0121 496 0000"}}


class TestContacts:
    def test_an_officer_records_the_chair_and_clerk_dated_and_sourced(self, olivia, ashfield):
        changed = services.set_governance_contacts(
            school=ashfield, by=olivia, contacts={**CHAIR, "clerk": {"name": "Mr K Patel"}}
        )
        assert changed == ["Chair recorded", "Clerk recorded"]
        chair = selectors.chair_of(ashfield)
        assert (chair.name, chair.email, chair.source, chair.recorded_on) == (
            "Mrs J Smith",
            "j.smith@ashfield.example",
            GovernanceContact.Source.OFFICER,
            TODAY,
        )

    def test_clearing_a_name_removes_the_person_and_their_details(self, olivia, ashfield):
        services.set_governance_contacts(school=ashfield, by=olivia, contacts=CHAIR)
        assert services.set_governance_contacts(school=ashfield, by=olivia, contacts={"chair": {"name": ""}}) == [
            "Chair removed"
        ]
        assert selectors.chair_of(ashfield) is None

    def test_an_academy_is_governed_by_its_trust_board_shared_by_its_schools(self, olivia, beacon_hill, birmingham):
        trust = SchoolGroupFactory(name="Lickey Hills Trust")
        beacon_hill.trust = trust
        beacon_hill.save()
        services.set_governance_contacts(school=beacon_hill, by=olivia, contacts=CHAIR)
        assert GovernanceContact.objects.get().trust == trust
        assert selectors.board_name(beacon_hill) == "Trust board of Lickey Hills Trust"
        sister = type(beacon_hill).objects.create(
            urn=139002, name="Lickey Academy", la=birmingham, type_group_name="Academies", trust=trust
        )
        assert selectors.chair_of(sister).name == "Mrs J Smith"

    def test_only_officers_record_them(self, alice, hannah, ashfield):
        for person in (alice, hannah):
            with pytest.raises(PermissionDenied):
                services.set_governance_contacts(school=ashfield, by=person, contacts=CHAIR)

    def test_another_authority_never_sees_them(self, ashfield):
        GovernanceContactFactory(school=ashfield)
        with working_in(AuthorityFactory()):
            assert selectors.chair_of(ashfield) is None

    def test_the_school_page_shows_them_to_the_partner_and_head_but_not_the_board(
        self, client, olivia, alice, hannah, bella, ashfield
    ):
        GovernanceContactFactory(school=ashfield, email="j.smith@ashfield.example")
        for person in (olivia, alice, hannah):
            client.force_login(person)
            assert "j.smith@ashfield.example" in client.get(ashfield.get_absolute_url()).content.decode()
        assert case_for(bella, ashfield, year=2026).governance_contacts is None

    def test_the_form_page_saves_and_returns_to_the_school(self, client, olivia, ashfield):
        client.force_login(olivia)
        url = reverse("schools:governance", args=[ashfield.urn])
        assert "Chair of the governing body" in client.get(url).content.decode()
        response = client.post(url, {"chair_name": "Mrs J Smith", "chair_email": "not an email"})
        assert "Enter the chair&#x27;s email address in the correct format" in response.content.decode()
        response = client.post(url, {"chair_name": "Mrs J Smith", "chair_email": "j@ashfield.example"})
        assert response.url == f"{ashfield.get_absolute_url()}#governance"
        assert selectors.chair_of(ashfield).email == "j@ashfield.example"


class TestReviews:
    def test_seed_003_an_ineffective_governance_review_is_evidence_in_the_risk_assessment(self, olivia, ashfield):
        services.record_governance_review(
            school=ashfield, by=olivia, reviewed_on=TODAY - timedelta(days=30), reviewer="NLG", effective=False
        )
        facts = rules.SchoolFacts(
            school_id=ashfield.pk, governance_reviews=governance_review_facts([ashfield.pk])[ashfield.pk]
        )
        evidence = rules.governance_ineffective(facts, {"years": 2}, TODAY, None)
        assert "review of governance by NLG" in evidence.text
        assert evidence.source == "Governance review"

    def test_a_later_effective_review_or_an_old_one_fires_nothing(self):
        old = rules.GovernanceReviewFacts(date(2022, 1, 10), "NLG", False)
        later = rules.GovernanceReviewFacts(date(2026, 3, 1), "NLG", True)
        recent = rules.GovernanceReviewFacts(date(2025, 11, 1), "NLG", False)
        as_of = date(2026, 6, 1)
        fire = rules.governance_ineffective
        assert fire(rules.SchoolFacts(school_id=1, governance_reviews=(old,)), {"years": 2}, as_of, None) is None
        assert (
            fire(rules.SchoolFacts(school_id=1, governance_reviews=(recent, later)), {"years": 2}, as_of, None) is None
        )
        assert fire(rules.SchoolFacts(school_id=1, governance_reviews=(recent,)), {"years": 2}, as_of, None)

    def test_a_review_shows_on_the_school_page(self, client, olivia, ashfield):
        GovernanceReviewFactory(school=ashfield, recommendations="Appoint a clerk with governance training")
        client.force_login(olivia)
        page = client.get(ashfield.get_absolute_url()).content.decode()
        assert "Appoint a clerk with governance training" in page
        assert "Not effective" in page

    def test_a_review_in_the_future_is_refused(self, olivia, ashfield):
        with pytest.raises(ValidationError):
            services.record_governance_review(
                school=ashfield, by=olivia, reviewed_on=TODAY + timedelta(days=1), reviewer="NLG", effective=True
            )


def test_a_closed_schools_chair_and_clerk_go_with_its_case_when_retention_ends(settings):
    settings.CLOSED_CASE_RETENTION_YEARS = 6
    closed = SchoolFactory(name="Closed Long Ago", close_date=date(2019, 8, 31), status_name="Closed")
    GovernanceContactFactory(school=closed)
    GovernanceReviewFactory(school=closed)
    purge = services.purge_closed_cases(today=date(2026, 11, 23))
    assert purge.deleted["chairs' and clerks' contact details"] == 1
    assert not GovernanceContact.objects.exists()
