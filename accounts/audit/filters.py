"""The audit search's filters (django-filter): person, record type and dates. One bound filter set
filters every history table alike (``filter_queryset``); the record type picks the tables."""

import django_filters
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from accounts.audit.selectors import record_types
from accounts.models import User


class GovDateFilter(django_filters.DateFilter):
    """A date filter with the GOV.UK date input (day, month, year)."""

    field_class = DateInputField


class AuditFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("changed_from"), cleaned.get("changed_to")
        if start and end and end < start:
            self.add_error("changed_to", "The end date must be the same as or after the start date")
        return cleaned


class AuditFilter(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label="Person",
        field_name="history_user",
        queryset=User.objects.order_by("full_name", "email"),
        empty_label="Anyone",
    )
    record_type = django_filters.ChoiceFilter(label="Record type", method="any_table", empty_label="Any record")
    changed_from = GovDateFilter(
        label="Changed on or after",
        field_name="history_date",
        lookup_expr="date__gte",
        help_text="For example, 1 9 2026",
        require_all_fields=False,
    )
    changed_to = GovDateFilter(
        label="Changed on or before",
        field_name="history_date",
        lookup_expr="date__lte",
        help_text="For example, 31 7 2027",
        require_all_fields=False,
    )

    class Meta:
        form = AuditFilterForm

    def __init__(self, data=None, **kwargs):
        # The filters apply to every history table (``selectors.search``): the set's own
        # queryset is only a placeholder django-filter requires.
        kwargs.setdefault("queryset", record_types()[0].history.objects.none())
        super().__init__(data, **kwargs)
        self.filters["record_type"].extra["choices"] = [(t.key, t.label) for t in record_types()]
        self.form.helper = FormHelper()
        self.form.helper.form_method = "get"
        self.form.helper.disable_csrf = True
        self.form.helper.label_size = Size.SMALL
        self.form.helper.legend_size = Size.SMALL
        self.form.helper.layout = Layout(
            Field.select("person"),
            Field.select("record_type"),
            Field("changed_from"),
            Field("changed_to"),
            Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
        )

    def any_table(self, queryset, name, value):
        """Each history table is one record type: ``selectors.search`` picks the tables."""
        return queryset
