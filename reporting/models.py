from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority
from reporting import quarters


class MonthlyReport(models.Model):
    """One version of the commissioner's report for a month: its content as data, and the PDF and
    workbook made from it. A month's report is rebuilt only when its content changes; every
    earlier version is kept."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "On schedule"
        ON_DEMAND = "on_demand", "On demand"

    period = models.DateField(help_text="The first day of the month the report covers.")
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="reports/")
    xlsx = models.FileField(upload_to="reports/")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "period", "version"], name="one_report_version_per_month")
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("reporting:report", args=[self.pk])

    @property
    def title(self) -> str:
        return self.content.get("title", "")

    @property
    def stem(self) -> str:
        return f"monthly-report-{self.period:%Y-%m}-v{self.version}"


class QuarterlyFigure(models.Model):
    """The authority's own count for a calendar quarter of permanent exclusions, or of children in
    part-time placements (seed 004: quarter on quarter reporting). One per authority, quarter and
    measure; a correction changes it, and the audit trail keeps what it held before."""

    quarter = models.DateField(help_text="The first day of the calendar quarter.")
    measure = models.CharField(max_length=30, choices=list(quarters.MEASURES.items()))
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="Where the count comes from, if noted.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        ordering = ["-quarter", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "quarter", "measure"], name="one_quarterly_figure_per_authority_quarter_measure"
            )
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.quarter}: {self.count}"
