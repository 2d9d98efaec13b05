"""Monthly commissioner reports, the dashboard and the impact of support."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from core.calendar import academic_year_label
from operations import jobs
from reporting import dashboard, figures, outputs, quarters, selectors, services, tasks
from reporting.forms import GenerateForm, LaFigureForm, QuarterlyFigureForm
from reporting.models import MonthlyReport
from schools import la_measures
from schools import services as school_services


@permission("reporting:reports")
def report_list(request):
    form = None
    if permissions.can_generate_reports(request.user):
        form = GenerateForm(request.POST or None, today=timezone.localdate())
        if request.method == "POST" and form.is_valid():
            period = form.cleaned_data["period"]
            queued = jobs.enqueue(tasks.build_monthly_report, period.isoformat(), request.user.pk)
            label = figures.month_label(period)
            if queued.held:
                messages.info(request, f"The report for {label} will be built when the background service is back.")
                return redirect("reporting:reports")
            result = queued.result
            if result.ready():
                outcome = result.get()
                report = MonthlyReport.objects.get(pk=outcome["report"])
                if outcome["created"]:
                    messages.success(request, f"Report for {label} built: version {report.version}")
                else:
                    messages.success(
                        request, f"Nothing has changed since version {report.version} of the report for {label}"
                    )
                return redirect(report)
            messages.success(request, f"The report for {label} is being built. It appears here when it is ready.")
            return redirect("reporting:reports")
    reports = MonthlyReport.objects.select_related("created_by").defer("content").order_by("-period", "-version")
    months: dict = {}
    for report in reports:
        months.setdefault(report.period, []).append(report)
    return render(
        request,
        "reporting/reports.html",
        {"months": [(period, versions[0], versions[1:]) for period, versions in months.items()], "form": form},
    )


@permission("reporting:report")
def report_detail(request, pk: int):
    report = get_object_or_404(MonthlyReport.objects.select_related("created_by"), pk=pk)
    versions = MonthlyReport.objects.filter(period=report.period).only("pk", "version", "created_at", "trigger")
    sections = outputs.shown(outputs.capped(report.content["sections"], outputs.PAGE_ROWS))
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "versions": versions,
            "sections": sections,
            "summary": outputs.summary(report.content),
            "authority": report.content.get("authority", ""),
            "marking": outputs.MARKING,
        },
    )


def _file(report: MonthlyReport, field: str, content_type: str) -> FileResponse:
    stored = getattr(report, field)
    if not stored or not stored.storage.exists(stored.name):
        raise Http404("The file has not been built")
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"{report.stem}.{field}", content_type=content_type
    )


@permission("reporting:report-pdf")
def report_pdf(request, pk: int):
    return _file(get_object_or_404(MonthlyReport, pk=pk), "pdf", "application/pdf")


@permission("reporting:report-xlsx")
def report_xlsx(request, pk: int):
    return _file(
        get_object_or_404(MonthlyReport, pk=pk),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@permission("reporting:report-csv")
def report_csv(request, pk: int, key: str):
    report = get_object_or_404(MonthlyReport, pk=pk)
    section = next((s for s in report.content["sections"] if s["key"] == key), None)
    if section is None:
        raise Http404("No such section")
    response = HttpResponse(outputs.section_csv(section), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.stem}-{key}.csv"'
    return response


@permission("reporting:dashboard")
def dashboard_page(request):
    built_at, charts = dashboard.cached_charts(timezone.localdate())
    return render(
        request,
        "reporting/dashboard.html",
        {
            "charts": charts,
            "built_at": built_at,
            "refresh_minutes": settings.DASHBOARD_CACHE_SECONDS // 60,
            "can_see_impact": permissions.can_generate_reports(request.user),
        },
    )


@permission("reporting:impact")
def impact(request):
    today = timezone.localdate()
    impacts, bands = dashboard.impact(today)
    return render(request, "reporting/impact.html", {"impacts": impacts, "bands": bands})


@permission("reporting:quarterly")
def quarterly(request):
    """The authority's own counts of permanent exclusions and part-time placements, quarter on quarter."""
    form = None
    if permissions.can_record_quarterly_figures(request.user):
        form = QuarterlyFigureForm(request.POST or None, today=timezone.localdate())
        if request.method == "POST" and form.is_valid():
            try:
                figure, before = services.record_quarterly_figure(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                said = f"{figure.get_measure_display()} for {quarters.Quarter(figure.quarter).label}"
                if before is None:
                    messages.success(request, f"{said} recorded: {figure.count}")
                else:
                    messages.success(request, f"{said} corrected from {before} to {figure.count}")
                return redirect("reporting:quarterly")
    return render(request, "reporting/quarterly.html", {"tables": selectors.quarterly_tables(), "form": form})


@permission("reporting:published-figures")
def published_figures(request):
    """The figures DfE publishes only by LA held for the authority, its neighbours and England."""
    return render(request, "reporting/published_figures.html", {"tables": selectors.published_figure_tables()})


@permission("reporting:published-figure-add")
def published_figure_add(request):
    """An officer copies a figure from DfE's tools (LAIT) for an LA or England (seed 004)."""
    form = LaFigureForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            figure, before = school_services.record_la_figure(**form.figure(), by=request.user)
        except ValidationError as error:
            form.refused(error)
        else:
            place = dict(form.fields["place"].choices)[str(figure.la_code)]
            now = la_measures.shown(figure.measure, figure.value, figure.marker)
            year = academic_year_label(figure.academic_year)
            said = f"{la_measures.BY_CODE[figure.measure].label} for {place} in {year}"
            if before is None:
                messages.success(request, f"Saved {said}: {now}")
            else:
                messages.success(request, f"Corrected {said} from {before} to {now}")
            return redirect("reporting:published-figures")
    return render(request, "reporting/published_figure_form.html", {"form": form})
