"""Build and keep the monthly commissioner report."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts.audit import acting, attributed
from accounts.models import Role, User
from accounts.selectors import working_here
from reporting import content, figures, outputs, quarters, selectors
from reporting.models import MonthlyReport, QuarterlyFigure
from support.calendar import bank_holidays

log = logging.getLogger(__name__)


def report_month_due(today: date) -> date | None:
    """The month whose report is due today: the previous month, on the first working day of this one
    (England's bank holidays respected); None on any other day."""
    if today != figures.first_working_day(today.year, today.month, bank_holidays([today.year])):
        return None
    return figures.previous_month(today)


def generate(period: date, *, trigger: str, by=None) -> tuple[MonthlyReport, bool]:
    """The report for ``period``'s month, and whether a new version was made.

    The content is computed from the case data as it stands; when it is the same as the latest
    version's, that version is returned and nothing is written. Otherwise a new version is saved,
    with its PDF and workbook, and the old ones are kept.
    """
    period = period.replace(day=1)
    built = content.build(period, selectors.inputs(period))
    digest = content.content_hash(built)
    latest = MonthlyReport.objects.filter(period=period).order_by("-version").first()
    if latest is not None and latest.content_hash == digest:
        return latest, False
    report = MonthlyReport(
        period=period,
        version=(latest.version + 1) if latest else 1,
        content=built,
        content_hash=digest,
        trigger=trigger,
        created_by=by,
    )
    report.pdf.save(f"{report.stem}.pdf", ContentFile(outputs.pdf(report)), save=False)
    report.xlsx.save(f"{report.stem}.xlsx", ContentFile(outputs.xlsx(report)), save=False)
    try:
        job = f"Monthly report for {period:%B %Y}, {MonthlyReport.Trigger(trigger).label.lower()}"
        with transaction.atomic(), acting(by, reason=job):
            report.save()
            notifications.notify(
                working_here(Role.COMMISSIONER),
                kind=notifications.Kind.MONTHLY_REPORT,
                key=f"monthly-report:{report.pk}",
                title=f"The monthly report for {period:%B %Y} is ready"
                + (f" (version {report.version})" if report.version > 1 else ""),
                url=reverse("reporting:report", args=[report.pk]),
            )
    except IntegrityError:
        # Another run for the same month saved this version first: keep theirs if it says the same.
        report.pdf.delete(save=False)
        report.xlsx.delete(save=False)
        same = MonthlyReport.objects.filter(period=period, content_hash=digest).order_by("-version").first()
        if same is None:
            raise
        return same, False
    log.info("Monthly report for %s: version %s", period, report.version)
    return report, True


@attributed
def record_quarterly_figure(
    *, quarter: date, measure: str, count: int, source: str = "", by: User
) -> tuple[QuarterlyFigure, int | None]:
    """Record the authority's count for a calendar quarter (seed 004: permanent exclusions and
    children in part-time placements, quarter on quarter), or correct the one recorded: the audit
    trail keeps what it held. Returns the figure and the count it held before (None if new)."""
    try:
        started = quarters.Quarter(quarter)
    except ValueError as exc:
        raise ValidationError({"quarter": "Choose a calendar quarter"}) from exc
    if started.start > timezone.localdate():
        raise ValidationError({"quarter": "Choose a quarter that has started"})
    if measure not in quarters.MEASURES:
        raise ValidationError({"measure": "Choose what the count is of"})
    if count < 0:
        raise ValidationError({"count": "The count must be 0 or more"})
    with transaction.atomic():
        figure = QuarterlyFigure.objects.select_for_update().filter(quarter=quarter, measure=measure).first()
        before = figure.count if figure else None
        if figure is None:
            figure = QuarterlyFigure(quarter=quarter, measure=measure)
        figure.count, figure.source = count, source.strip()
        figure.recorded_by, figure.recorded_at = by, timezone.now()
        figure.save()
    return figure, before
