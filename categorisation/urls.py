from django.urls import path

from categorisation import views

app_name = "categorisation"

urlpatterns = [
    path("categories/", views.overview, name="overview"),
    path("categories/queue/", views.queue, name="queue"),
    path("categories/runs/", views.runs, name="runs"),
    path("categories/inspections/", views.inspection_windows, name="windows"),
    path("categories/funding/", views.funding, name="funding"),
    path("categories/frameworks/", views.frameworks, name="frameworks"),
    path("categories/frameworks/<slug:code>/<int:number>/", views.version, name="version"),
    path("categories/frameworks/<slug:code>/<int:number>/what-if/", views.what_if, name="what-if"),
    path(
        "categories/frameworks/<slug:code>/<int:number>/<str:action>/",
        views.version_action,
        name="version-action",
    ),
    path("categories/frameworks/<slug:code>/<int:number>/triggers/<int:pk>/", views.edit_trigger, name="edit-trigger"),
    path("categories/frameworks/<slug:code>/<int:number>/rules/<int:pk>/", views.edit_rule, name="edit-rule"),
    path(
        "categories/frameworks/<slug:code>/<int:number>/categories/<int:pk>/support/",
        views.edit_support,
        name="edit-support",
    ),
    path("categories/frameworks/<slug:code>/<int:number>/matrix/edit/", views.edit_matrix, name="edit-matrix"),
    path("schools/<int:urn>/category/", views.decide, name="decide"),
    path("schools/<int:urn>/categorisation-steps/", views.welsh_steps, name="welsh-steps"),
]
