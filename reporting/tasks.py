"""Background work for reporting: thin tasks that take dates as text and call one service; both are
safe to run twice (a month whose data has not changed gets no new version)."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from reporting import dashboard, services
from reporting.models import MonthlyReport


@shared_task(name="reporting.monthly_report_if_due")
def monthly_report_if_due(today: str | None = None) -> dict:
    """Run each morning: on the first working day of a month, build the previous month's report."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    period = services.report_month_due(day)
    if period is None:
        return {"due": False}
    report, created = services.generate(period, trigger=MonthlyReport.Trigger.SCHEDULED)
    return {"due": True, "report": report.pk, "version": report.version, "created": created}


@shared_task(name="reporting.build_monthly_report")
def build_monthly_report(period: str, by_id: int | None = None) -> dict:
    by = User.objects.filter(pk=by_id).first() if by_id else None
    report, created = services.generate(date.fromisoformat(period), trigger=MonthlyReport.Trigger.ON_DEMAND, by=by)
    return {"report": report.pk, "version": report.version, "created": created}


@shared_task(name="reporting.refresh_dashboard")
def refresh_dashboard() -> dict:
    """Every five minutes: draw the dashboard's charts again into the shared cache (nothing to do
    when the dashboard is not cached)."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return {"refreshed": False}
    drawn_at, charts = dashboard.refresh_charts(timezone.localdate())
    return {"refreshed": True, "charts": len(charts), "at": drawn_at.isoformat()}
