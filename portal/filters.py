"""The school list's search, filters and sort order (django-filter): the register's fields
(``schools.filters``, shared with the API) and the agreed category."""

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django.conf import settings
from django.core.cache import cache

from accounts.authorities import current_authority_id
from categorisation.models import Category
from core.widgets import QuickSelect
from schools import filters as register
from schools.access import visible_schools
from schools.filters import NO_INSPECTION, choices_key, phase_choices
from schools.models import LocalAuthority, School
from schools.ofsted import Outcome


def _category_choices() -> list[tuple[str, str]]:
    categories = Category.objects.filter(version__framework__is_active=True, version__status="active")
    return list(categories.order_by("rank").values_list("code", "label"))


def _choices(user) -> dict:
    """The choices of the local authority, phase, type, status and category filters: the values in
    use among the schools the person may see, so that no choice lists nothing. An officer's (the
    whole remit) change only with an import or a framework change, and reading them costs 10 ms or
    more at national scale, so they are kept per authority for ``CHOICES_CACHE_SECONDS`` (5 minutes by
    default; 0: read on every request); a partner's, headteacher's or board member's few schools are
    read each time."""
    seconds = settings.CHOICES_CACHE_SECONDS if user.sees_every_school else 0
    key = choices_key(current_authority_id())
    held = cache.get(key) if seconds else None
    if held is None:
        held = _in_use(visible_schools(user))
        if seconds:
            cache.set(key, held, seconds)
    return held


def _in_use(schools) -> dict:
    """One query of the combinations in use, and one of the local authorities among them."""
    combinations = list(schools.order_by().values_list("phase_name", "type_name", "status_name", "la_id").distinct())
    phases, phase_spellings = phase_choices(row[0] for row in combinations)

    def values(column: int) -> list[tuple[str, str]]:
        return [(v, v) for v in sorted({row[column] for row in combinations} - {"", None})]

    authorities = LocalAuthority.objects.filter(pk__in={row[3] for row in combinations}).only("name", "code")
    return {
        "la": [(la.pk, str(la)) for la in authorities],
        "phase": phases,
        "phase_spellings": phase_spellings,
        "type": values(1),
        "status": values(2),
        "category": _category_choices(),
    }


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name, URN or LAESTAB", method="search", help_text="For example 103962, 330/2020 or Adderley"
    )
    la = django_filters.ModelChoiceFilter(
        label="Local authority",
        queryset=LocalAuthority.objects.all(),
        empty_label="All local authorities",
        widget=QuickSelect,
    )
    phase = django_filters.ChoiceFilter(
        label="Phase", method="filter_phase", empty_label="All phases", widget=QuickSelect
    )
    type = django_filters.ChoiceFilter(
        label="Type", field_name="type_name", empty_label="All types", widget=QuickSelect
    )
    status = django_filters.ChoiceFilter(
        label="Status", field_name="status_name", empty_label="All statuses", widget=QuickSelect
    )
    ofsted = django_filters.ChoiceFilter(
        label="Latest Ofsted outcome",
        method="filter_ofsted",
        choices=[*Outcome.choices, (NO_INSPECTION, "No inspection on record")],
        empty_label="Any outcome",
        widget=QuickSelect,
    )
    category = django_filters.ChoiceFilter(
        label="Category", method="filter_category", empty_label="Any category", widget=QuickSelect
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,
        widget=QuickSelect,
        fields=(
            ("name", "name"),
            ("urn", "urn"),
            ("la__name", "la"),
            ("phase_name", "phase"),
            ("pupils_on_roll", "pupils"),
            ("ofsted_outcome_date", "inspected"),
        ),
        field_labels={
            "name": "Name",
            "urn": "URN",
            "la__name": "Local authority",
            "phase_name": "Phase",
            "pupils_on_roll": "Pupils on roll",
            "ofsted_outcome_date": "Date of latest inspection",
        },
    )

    class Meta:
        model = School
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _choices(self.request.user)
        for name in ("phase", "type", "status", "category"):
            self.filters[name].extra["choices"] = choices[name]
        self.phase_spellings = choices["phase_spellings"]
        # The options come from the cache; the chosen one is still checked against the table.
        self.form.fields["la"].widget.choices = [("", self.filters["la"].extra["empty_label"]), *choices["la"]]
        self.form.helper = FormHelper()
        self.form.helper.form_method = "get"
        self.form.helper.layout = Layout(
            Field.text("q"),
            Field.select("la"),
            Field.select("phase"),
            Field.select("type"),
            Field.select("status"),
            Field.select("ofsted"),
            Field.select("category"),
            Field.select("sort"),
            Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
        )

    def search(self, queryset, name, value):
        return register.search(queryset, name, value)

    def filter_phase(self, queryset, name, value):
        """Every spelling of the phase chosen (``schools.filters.phase_choices``)."""
        return queryset.filter(phase_name__in=self.phase_spellings.get(value, [value]))

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__framework__is_active=True, categories__category__code=value)

    def filter_ofsted(self, queryset, name, value):
        return register.filter_ofsted(queryset, name, value)

    @property
    def qs(self):
        queryset = super().qs
        # A unique last key keeps pages stable when many schools share a sort value.
        return queryset.order_by(*(queryset.query.order_by or ("name",)), "urn")
