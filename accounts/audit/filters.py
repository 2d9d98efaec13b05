"""The audit pages' filters (django-filter). The audit search: person, record type and dates; one
bound filter set filters every history table alike (``filter_queryset``); the record type picks the
tables. The download log: person and dates."""

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from accounts.audit.selectors import record_types
from accounts.authorities import current_authority_id
from accounts.models import Download, User
from core.fields import GovukDateField


class GovDateFilter(django_filters.DateFilter):
    """A date filter with the GOV.UK date input (day, month, year)."""

    field_class = GovukDateField


class DateRangeForm(forms.Form):
    """A filter form whose ``date_range`` fields (start, end) must be in order."""

    date_range = ("changed_from", "changed_to")

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.date_range
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, "The end date must be the same as or after the start date")
        return cleaned


class AuditFilterForm(DateRangeForm):
    pass


class DownloadFilterForm(DateRangeForm):
    date_range = ("downloaded_from", "downloaded_to")


def _person_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label="Person",
        field_name=field_name,
        queryset=User.objects.order_by("full_name", "email"),
        empty_label="Anyone",
    )


def _colleagues():
    """The people of the authority the code works in (whose changes and downloads its
    administrators see)."""
    return User.objects.filter(memberships__authority_id=current_authority_id()).order_by("full_name", "email")


def _date_filter(label: str, field_name: str, lookup: str, example: str) -> GovDateFilter:
    return GovDateFilter(
        label=label, field_name=field_name, lookup_expr=lookup, help_text=example, require_all_fields=False
    )


def _filter_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("apply", "Apply filters", css_class="govuk-button--secondary"))
    return helper


class AuditFilter(django_filters.FilterSet):
    person = _person_filter("history_user")
    record_type = django_filters.ChoiceFilter(label="Record type", method="any_table", empty_label="Any record")
    changed_from = _date_filter("Changed on or after", "history_date", "date__gte", "For example, 1 9 2026")
    changed_to = _date_filter("Changed on or before", "history_date", "date__lte", "For example, 31 7 2027")

    class Meta:
        form = AuditFilterForm

    def __init__(self, data=None, **kwargs):
        # The filters apply to every history table (``selectors.search``): the set's own
        # queryset is only a placeholder django-filter requires.
        kwargs.setdefault("queryset", record_types()[0].history.objects.none())
        super().__init__(data, **kwargs)
        self.filters["person"].queryset = _colleagues()
        self.filters["record_type"].extra["choices"] = [(t.key, t.label) for t in record_types()]
        self.form.helper = _filter_helper(
            Field.select("person"), Field.select("record_type"), Field("changed_from"), Field("changed_to")
        )

    def any_table(self, queryset, name, value):
        """Each history table is one record type: ``selectors.search`` picks the tables."""
        return queryset


class DownloadFilter(django_filters.FilterSet):
    """The download log: who downloaded, and between which dates."""

    person = _person_filter("user")
    downloaded_from = _date_filter("Downloaded on or after", "downloaded_at", "date__gte", "For example, 1 9 2026")
    downloaded_to = _date_filter("Downloaded on or before", "downloaded_at", "date__lte", "For example, 31 7 2027")

    class Meta:
        model = Download
        fields = ["person", "downloaded_from", "downloaded_to"]
        form = DownloadFilterForm

    def __init__(self, data=None, **kwargs):
        # The authority's people's downloads.
        kwargs.setdefault("queryset", Download.objects.filter(user__in=_colleagues()).select_related("user"))
        super().__init__(data, **kwargs)
        self.filters["person"].queryset = _colleagues()
        self.form.helper = _filter_helper(Field.select("person"), Field("downloaded_from"), Field("downloaded_to"))
