"""Consultant governors are brokered support (seed 001), but only through the Welsh authority's own
page (boards.welsh_services), which checks the authority is in Wales and the school amber or red: the
general brokered-support form never offers them and its service refuses them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from support import services
from support.forms import BrokeredForm
from support.models import BrokeredSupport

pytestmark = pytest.mark.django_db


def test_the_brokered_support_form_does_not_offer_consultant_governors():
    offered = dict(BrokeredForm().fields["provider_type"].choices)
    assert BrokeredSupport.Provider.CONSULTANT_GOVERNOR not in offered
    assert BrokeredSupport.Provider.NLE in offered


def test_the_brokered_support_service_refuses_a_consultant_governor(olivia, ashfield):
    with pytest.raises(ValidationError, match="consultant governors page"):
        services.record_brokered_support(
            school=ashfield,
            by=olivia,
            academic_year=2026,
            provider_type=BrokeredSupport.Provider.CONSULTANT_GOVERNOR,
            provider="Gareth Governor",
            starts=timezone.localdate(),
            funding_source=BrokeredSupport.Funding.LOCAL_AUTHORITY,
        )
    assert not BrokeredSupport.objects.exists()
