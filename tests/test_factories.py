"""The factories of the boards, categorisation and reporting models make rows the models accept:
two of each save side by side (so the defaults respect the unique constraints), pass
``full_clean`` and link to a school where the model must have one, the same school throughout."""

import pytest
from django.db import models

from categorisation.models import Category, Framework, FrameworkVersion
from categorisation.selectors import active_framework, active_version
from schools.models import School
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.PriorityEntryFactory,
    factories.BoardMeetingFactory,
    factories.AttendanceFactory,
    factories.AgendaItemFactory,
    factories.DecisionFactory,
    factories.LetterFactory,
    factories.WarningNoticeFactory,
    factories.EscalationFactory,
    factories.ConcernMeetingFactory,
    factories.ConcernActionFactory,
    factories.InspectionNoticeFactory,
    factories.RecategorisationRunFactory,
    factories.RiskAssessmentFactory,
    factories.CategoryDecisionFactory,
    factories.SchoolCategoryFactory,
    factories.MonthlyReportFactory,
    factories.QuarterlyFigureFactory,
]


def school_links(model) -> list[models.ForeignKey]:
    """The model's foreign keys to a related model that names a school."""
    return [
        field
        for field in model._meta.get_fields()
        if field.many_to_one and field.name != "school" and _has_school(field.related_model)
    ]


def _has_school(model) -> bool:
    return any(f.name == "school" and f.many_to_one for f in model._meta.get_fields())


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_the_factory_makes_rows_the_model_accepts(factory):
    model = factory._meta.model
    built = factory.create_batch(2)
    for row in built:
        row.full_clean()
        assert model.objects.filter(pk=row.pk).exists()
        if _has_school(model) and not model._meta.get_field("school").null:
            assert School.objects.filter(pk=row.school_id).exists(), f"{model.__name__} has no school"
            for link in school_links(model):
                related = getattr(row, link.name)
                if related is not None:
                    assert related.school_id == row.school_id, f"{model.__name__}.{link.name} is another school's"
    assert model.objects.filter(pk__in=[row.pk for row in built]).count() == 2


def test_the_categorisation_factories_use_the_active_framework_and_make_none():
    frameworks, versions, categories = (
        Framework.objects.count(),
        FrameworkVersion.objects.count(),
        Category.objects.count(),
    )
    standing = factories.SchoolCategoryFactory()
    assert standing.framework == active_framework()
    assert standing.decision.version == active_version()
    assert standing.category == standing.decision.category == standing.assessment.proposed == standing.proposed
    assert standing.category.version == active_version()
    assert not standing.pending
    assert (Framework.objects.count(), FrameworkVersion.objects.count(), Category.objects.count()) == (
        frameworks,
        versions,
        categories,
    )


def test_a_concern_meeting_names_the_schools_it_is_given():
    ashfield, beacon = factories.SchoolFactory.create_batch(2)
    assert set(factories.ConcernMeetingFactory(schools=[ashfield, beacon]).schools.all()) == {ashfield, beacon}
    assert not factories.ConcernMeetingFactory().schools.exists()
