"""The API's query parameters (django-filter). Each takes the values a page's filter takes; a
value of the wrong kind answers 400 with the reason, never an error."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from boards.models import PriorityEntry
from categorisation.models import CategoryDecision
from core.query import FIRST_YEAR, LARGEST_INTEGER, LAST_YEAR
from schools import filters as register
from schools.filters import NO_INSPECTION
from schools.models import School
from schools.ofsted import Outcome
from support.models import SupportPackage, Visit


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within the column's range (an LA code, a URN, a year): anything else is a
    400, not a query the database would refuse. The schema gives the range."""

    field_class = forms.IntegerField

    def __init__(self, *args, low: int = 0, high: int = LARGEST_INTEGER, **kwargs):
        super().__init__(*args, min_value=low, max_value=high, **kwargs)
        schema = {"type": "integer", "minimum": low, "maximum": high, "description": kwargs.get("label", "")}
        extend_schema_field(schema)(self)


def la_filter(field_name: str) -> WholeNumberFilter:
    return WholeNumberFilter(field_name=field_name, label="The local authority's three-digit DfE code", high=999)


class SchoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name, URN or LAESTAB: digits match the URN or LAESTAB exactly (330/2020 or 3302020), words the name",
        method="search",
    )
    la = la_filter("la__code")
    phase = django_filters.CharFilter(field_name="phase_name", lookup_expr="iexact", label="Phase, e.g. Primary")
    type = django_filters.CharFilter(field_name="type_name", lookup_expr="iexact", label="Type, e.g. Community school")
    status = django_filters.CharFilter(field_name="status_name", lookup_expr="iexact", label="Status, e.g. Open")
    ofsted = django_filters.ChoiceFilter(
        label="Latest Ofsted outcome (none: no inspection on record)",
        method="filter_ofsted",
        choices=[*Outcome.choices, (NO_INSPECTION, "No inspection on record")],
    )

    class Meta:
        model = School
        fields: list[str] = []

    # The school list's own search and outcome filter, so the API and the page find the same schools.
    def search(self, queryset, name, value):
        return register.search(queryset, name, value)

    def filter_ofsted(self, queryset, name, value):
        return register.filter_ofsted(queryset, name, value)


class SchoolRecordFilterSet(django_filters.FilterSet):
    """The records of a school (its decisions, list entries, packages, visits): ``?school=`` takes its URN."""

    school = WholeNumberFilter(field_name="school__urn", label="The school's URN")


class CategoryDecisionFilterSet(SchoolRecordFilterSet):
    framework = django_filters.CharFilter(field_name="framework__code", label="The framework's code")

    class Meta:
        model = CategoryDecision
        fields: list[str] = []


class PriorityEntryFilterSet(SchoolRecordFilterSet):
    status = django_filters.ChoiceFilter(choices=PriorityEntry.Status.choices)
    reason = django_filters.ChoiceFilter(choices=PriorityEntry.Reason.choices)
    la = la_filter("school__la__code")

    class Meta:
        model = PriorityEntry
        fields: list[str] = []


class SupportPackageFilterSet(SchoolRecordFilterSet):
    academic_year = WholeNumberFilter(
        field_name="academic_year",
        label="The year the academic year starts (2025 is 2025/26)",
        low=FIRST_YEAR,
        high=LAST_YEAR,
    )

    class Meta:
        model = SupportPackage
        fields: list[str] = []


class VisitFilterSet(SchoolRecordFilterSet):
    status = django_filters.ChoiceFilter(choices=Visit.Status.choices)
    scheduled_from = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="gte")
    scheduled_to = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="lte")

    class Meta:
        model = Visit
        fields: list[str] = []
