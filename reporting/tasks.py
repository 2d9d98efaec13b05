"""Background work for reporting: thin tasks that take dates as text and call one service; both are
safe to run twice (a month whose data has not changed gets no new version)."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.authorities import fan_out, spans_authorities, task_in
from accounts.models import User
from reporting import dashboard, services
from reporting.models import MonthlyReport


@shared_task(name="reporting.monthly_report_if_due", carries_authority=True)
def monthly_report_if_due(today: str | None = None, authority_id: int | None = None) -> dict:
    """Run each morning: on the first working day of a month, build the previous month's report
    (each authority's, queued from the schedule once for each)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    period = services.report_month_due(day)
    if period is None:
        return {"due": False}
    if spans_authorities(authority_id):
        return fan_out(monthly_report_if_due, day.isoformat())
    with task_in(authority_id):
        report, created = services.generate(period, trigger=MonthlyReport.Trigger.SCHEDULED)
        return {"due": True, "report": report.pk, "version": report.version, "created": created}


@shared_task(name="reporting.build_monthly_report", carries_authority=True)
def build_monthly_report(period: str, by_id: int | None = None, authority_id: int | None = None) -> dict:
    with task_in(authority_id):
        by = User.objects.filter(pk=by_id).first() if by_id else None
        day = date.fromisoformat(period)
        report, created = services.generate(day, trigger=MonthlyReport.Trigger.ON_DEMAND, by=by)
        return {"report": report.pk, "version": report.version, "created": created}


@shared_task(name="reporting.refresh_dashboard", carries_authority=True)
def refresh_dashboard(authority_id: int | None = None) -> dict:
    """Every five minutes: draw each authority's dashboard charts again into the shared cache
    (nothing to do when the dashboard is not cached)."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return {"refreshed": False}
    if spans_authorities(authority_id):
        return fan_out(refresh_dashboard)
    with task_in(authority_id):
        drawn_at, charts = dashboard.refresh_charts(timezone.localdate())
        return {"refreshed": True, "charts": len(charts), "at": drawn_at.isoformat()}
