"""Pages of Birmingham's annual identification (seed 004, stage 1): the newly vulnerable schools and
the visit to each head, and the September notification of academies of concern."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import permission
from boards import annual_selectors as selectors
from boards import annual_services as services
from boards.annual_forms import AcademyNotificationForm, VulnerabilityVisitForm
from boards.models import AcademyNotification
from core import exports
from core.calendar import academic_year_label
from core.exports import Column
from core.pages import form_page as _form_page
from core.pdf import pdf_response, render_pdf
from schools.access import get_for
from schools.models import School
from support.selectors import current_year


@permission("boards:vulnerability-visits")
def vulnerability_visits(request):
    year = current_year()
    context = {"entries": selectors.newly_vulnerable(year), "label": academic_year_label(year)}
    return render(request, "boards/annual/vulnerability_visits.html", context)


@permission("boards:vulnerability-visit")
def vulnerability_visit(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    year = current_year()
    form = VulnerabilityVisitForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title="Visit the headteacher and agree",
        school=school,
        back=reverse("boards:vulnerability-visits"),
        save=lambda d: services.record_vulnerability_visit(school=school, year=year, by=request.user, **d),
        success="Visit recorded",
        context={
            "intro": [
                "Seed 004: the headteacher of a good or outstanding school found vulnerable for the first time is "
                "visited to discuss the apparent vulnerability and agree whether the school is a priority for support.",
                "Agreed a priority: the school is proposed for the list. Agreed not a priority: it is not added. "
                "Not agreed: it stays proposed and the board decides.",
            ]
        },
    )


NOTIFIED_COLUMNS = [
    Column("URN", lambda row: row[0].urn),
    Column("School", lambda row: row[0].name),
    Column("LA", lambda row: row[0].la.name),
    Column("Type", lambda row: row[0].type_name),
    Column("Concerns when notified", lambda row: "; ".join(row[1])),
]


@permission("boards:academy-notifications")
def academy_notifications(request):
    year = current_year()
    concerns = selectors.academy_concerns()
    form = AcademyNotificationForm(request.POST or None, concerns=concerns)
    return _form_page(
        request,
        form=form,
        title="Academies of concern: notify the regional director",
        back=reverse("boards:list"),
        save=lambda d: services.notify_academy_concerns(year=year, by=request.user, **d),
        success="Notification recorded",
        then=lambda notification: notification.get_absolute_url(),
        template="boards/annual/academy_notifications.html",
        context=lambda: {
            "concerns": concerns,
            "notifications": selectors.notifications(year),
            "overdue": selectors.notification_overdue(year, timezone.localdate()),
            "label": academic_year_label(year),
        },
    )


@permission("boards:academy-notification")
def academy_notification(request, pk: int):
    notification = get_object_or_404(AcademyNotification.objects.select_related("notified_by"), pk=pk)
    schools = notification.schools.select_related("la").order_by("name")
    rows = [(s, notification.concerns.get(str(s.urn), [])) for s in schools]
    title = f"Academies of concern notified {notification.notified_on:%-d %B %Y}"
    context = {"notification": notification, "rows": rows, "title": title}
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("boards/annual/academy_notification_pdf.html", context, request=request)
        return pdf_response(pdf, f"academy-notification-{notification.notified_on:%Y-%m-%d}.pdf")
    if exports.requested(request):
        return exports.download(request, rows, NOTIFIED_COLUMNS, name="academy-notification", title=title)
    return render(request, "boards/annual/academy_notification.html", context)
