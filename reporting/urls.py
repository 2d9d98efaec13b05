from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="report-xlsx"),
    path("reports/<int:pk>/csv/<slug:key>/", views.report_csv, name="report-csv"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("published-figures/", views.published_figures, name="published-figures"),
    path("published-figures/add/", views.published_figure_add, name="published-figure-add"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/impact/", views.impact, name="impact"),
]
