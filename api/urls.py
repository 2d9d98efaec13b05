from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("", views.index, name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schools/", views.SchoolViewSet.as_view(LIST), name="school-list"),
    path("schools/<int:urn>/", views.SchoolViewSet.as_view(DETAIL), name="school-detail"),
    path("schools/<int:urn>/inspections/", views.InspectionViewSet.as_view(LIST), name="school-inspection-list"),
    path(
        "schools/<int:urn>/inspections/<slug:inspection_number>/",
        views.InspectionViewSet.as_view(DETAIL),
        name="school-inspection-detail",
    ),
    path("categories/", views.CategoryViewSet.as_view(LIST), name="category-list"),
    path("categories/<int:urn>/", views.CategoryViewSet.as_view(DETAIL), name="category-detail"),
    path("category-decisions/", views.CategoryDecisionViewSet.as_view(LIST), name="category-decision-list"),
    path(
        "category-decisions/<int:pk>/", views.CategoryDecisionViewSet.as_view(DETAIL), name="category-decision-detail"
    ),
    path("priority-list/", views.PriorityEntryViewSet.as_view(LIST), name="priority-entry-list"),
    path("priority-list/<int:pk>/", views.PriorityEntryViewSet.as_view(DETAIL), name="priority-entry-detail"),
    path("support-packages/", views.SupportPackageViewSet.as_view(LIST), name="support-package-list"),
    path("support-packages/<int:pk>/", views.SupportPackageViewSet.as_view(DETAIL), name="support-package-detail"),
    path("visits/", views.VisitViewSet.as_view(LIST), name="visit-list"),
    path("visits/<int:pk>/", views.VisitViewSet.as_view(DETAIL), name="visit-detail"),
]
