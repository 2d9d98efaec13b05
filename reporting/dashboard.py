"""The officers' dashboard and the impact of support: figures from the case data, as charts each
with the table of its data (the accessible alternative to the picture)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.authorities import current_authority_id
from categorisation import palette
from core.calendar import academic_year_of
from reporting import content, figures, formats, selectors


def chart(
    key: str,
    title: str,
    kind: str,
    labels: list[str],
    series: list[tuple[str, list]],
    about: str,
    *,
    axes: tuple[str, str],
    colours: list[tuple[str, str]] | None = None,
    over_time: bool = True,
    **extra,
) -> dict:
    """A chart and the table of its figures. Each series has its colour and pattern from
    ``categorisation.palette`` (``colours`` gives a category's, by its tag colour and pattern); a chart
    over time starts at its first month with figures (``from_data``)."""
    values = [[content.number(v) for v in values] for _, values in series]
    start = from_data(values) if over_time else 0
    labels, values = labels[start:], [v[start:] for v in values]
    held = [values[start:] for _, values in series]  # as computed (75.0 stays 75.0 in the table)
    colours = colours or [(palette.series(i), palette.pattern(i)) for i in range(len(series))]
    return {
        "id": f"chart-{key}",
        "data_id": f"chart-{key}-data",
        "title": title,
        "kind": kind,
        "about": about,
        "labels": labels,
        "axes": {"x": axes[0], "y": axes[1]},
        "series": [
            {"name": name, "values": v, "colour": colour, "pattern": pattern}
            for (name, _), v, (colour, pattern) in zip(series, values, colours, strict=True)
        ],
        "headers": ["", *[name for name, _ in series]],
        "rows": [[label, *[formats.shown(v[i]) for v in held]] for i, label in enumerate(labels)],
        **extra,
    }


def from_data(values: list[list]) -> int:
    """Where a chart over time starts: its first month in which any series has a figure other than
    zero, so the dashboard does not open on months of nothing; the latest month when none has."""
    width = max((len(v) for v in values), default=0)
    filled = (i for i in range(width) if any(v[i] not in ("", 0) for v in values))
    return next(filled, max(width - 1, 0))


def cached_charts(today: date) -> tuple[datetime, list[dict]]:
    """The charts and when they were drawn from the data. At national scale they take over a
    second to compute (ten years of history), so each is kept for ``DASHBOARD_CACHE_SECONDS``
    (10 minutes by default; 0 computes them on every request). With a shared cache, the
    scheduled ``reporting.refresh_dashboard`` draws them again every five minutes, so that
    nobody opening the page waits for them."""
    held = cache.get(_key(today)) if settings.DASHBOARD_CACHE_SECONDS else None
    return held if held is not None else refresh_charts(today)


def refresh_charts(today: date) -> tuple[datetime, list[dict]]:
    """Draw the charts from the data now and keep them for the cache period."""
    held = (timezone.now(), charts(today))
    if settings.DASHBOARD_CACHE_SECONDS:
        cache.set(_key(today), held, settings.DASHBOARD_CACHE_SECONDS)
    return held


def _key(today: date) -> str:
    return f"reporting:dashboard:{current_authority_id()}:{today.isoformat()}"


def charts(today: date) -> list[dict]:
    months = figures.months_back(today, 12)
    labels = [f"{m:%b %Y}" for m in months]
    ends = [min(figures.month_end(m), today) for m in months]
    schools = selectors.maintained_schools()
    framework, categories = selectors.categories()
    changes = selectors.category_changes()
    counts = [figures.category_counts(changes, categories, end) for end in ends]
    moves = [figures.movements(changes, categories, m, end) for m, end in zip(months, ends, strict=True)]
    year = academic_year_of(today)
    graded, published = selectors.inspections(date(year, 9, 1), today)
    trend = figures.good_or_better_trend(schools, graded, months)
    year_months = [m for m in months if m >= date(year, 9, 1)]
    by_shape = figures.published_by_month(published, year_months)
    _, support = selectors.support_rows(year)
    allocated, delivered = figures.support_by_month(support, year_months)
    overdue = figures.overdue_actions(selectors.action_rows(), today)
    notices, list_sizes = selectors.notices_and_list_sizes(months)
    open_notices = figures.open_notices(notices, today)
    late = [n for n in open_notices if n.deadline and n.deadline < today]
    year_labels = [f"{m:%b %Y}" for m in year_months]
    return [
        chart(
            "categories",
            "Maintained schools in each category",
            "bar",
            labels,
            [(c.label, [month[c.code] for month in counts]) for c in categories],
            f"At the end of each month (today for this month), by agreed category in the {framework}.",
            axes=("Month", "Schools"),
            colours=[(palette.fill(c.colour), palette.pattern(i)) for i, c in enumerate(categories)],
            tags=[{"label": c.label, "colour": c.colour} for c in categories],
            stacked=True,
        ),
        chart(
            "movements",
            "Movements between categories",
            "bar",
            labels,
            [
                ("Moved to more support", [m.more_support for m in moves]),
                ("Moved to less support", [m.less_support for m in moves]),
                ("Categorised for the first time", [m.first for m in moves]),
            ],
            "Schools whose category at the end of the month differs from the one they had at its start.",
            axes=("Month", "Schools"),
        ),
        chart(
            "good-or-better",
            "Percentage of maintained schools good or better",
            "line",
            labels,
            [("% good or better", [t.percent for t in trend]), ("% of pupils", [t.pupils_percent for t in trend])],
            "By the overall grade of each school's latest graded inspection published by the end of the month.",
            axes=("Month", "Per cent"),
            unit="%",
        ),
        chart(
            "inspections",
            "Inspections of maintained schools published this academic year",
            "bar",
            year_labels,
            [(shape, values) for shape, values in by_shape.items()] or [("Inspections", [0] * len(year_months))],
            "By month of publication and the shape of the inspection.",
            axes=("Month of publication", "Inspections"),
            stacked=True,
        ),
        chart(
            "support",
            "Support days this academic year",
            "line",
            year_labels,
            [("Days allocated", allocated), ("Days delivered", delivered)],
            "Running totals of days allocated to partners and days of visits held (progress meetings left out).",
            axes=("Month", "Days"),
        ),
        chart(
            "priority-list",
            "Schools on the priority list",
            "line",
            labels,
            [("Schools", list_sizes)],
            "At the end of each month (today for this month).",
            axes=("Month", "Schools"),
        ),
        chart(
            "overdue",
            "Overdue work today",
            "bar",
            [*overdue.keys(), "Warning notices past their compliance deadline"],
            [("Overdue", [*overdue.values(), len(late)])],
            "Actions not complete whose deadline has passed, and warning notices open after their deadline.",
            axes=("Kind of work", "Overdue"),
            over_time=False,
        ),
    ]


def impact(today: date) -> tuple[list[tuple[figures.Impact, str, str]], list[figures.ImpactBand]]:
    """Each supported school's impact with its category before and now (labels), and the bands by days."""
    _, categories = selectors.categories()
    ranks = {c.code: c.rank for c in categories}
    labels = {c.code: c.label for c in categories}
    impacts = [figures.impact_of(school, ranks) for school in selectors.supported_schools(today)]

    def label(code: str) -> str:
        return labels.get(code, code) if code else "Not categorised"

    rows = [(i, label(i.school.category_before), label(i.school.category_now)) for i in impacts]
    return rows, figures.impact_bands(impacts)
