"""The register's pages and the imports. The school list and page (schools:list, schools:detail) draw on
several apps: portal.urls adds them to this namespace (schoolimprovement.urls)."""

from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("schools/<int:urn>/notes/new/", views.note_create, name="note-create"),
    path("schools/<int:urn>/history/", views.school_history, name="history"),
    path("schools/<int:urn>/governance/", views.governance_contacts, name="governance"),
    path("schools/<int:urn>/governance/reviews/new/", views.governance_review, name="governance-review"),
    path("schools/<int:urn>/estyn/new/", views.estyn_create, name="estyn-create"),
    path("consortia/", views.consortia, name="consortia"),
    path("consortia/<int:pk>/", views.consortium, name="consortium"),
    path("consortia/<int:pk>/schools/add/", views.consortium_add_school, name="consortium-add-school"),
    path("consortia/<int:pk>/leads/add/", views.consortium_add_lead, name="consortium-add-lead"),
    path("consortia/schools/<int:pk>/remove/", views.consortium_remove_school, name="consortium-remove-school"),
    path("consortia/leads/<int:pk>/remove/", views.consortium_remove_lead, name="consortium-remove-lead"),
    path("imports/", views.import_list, name="imports"),
    path("imports/authority-results/", views.authority_results, name="authority-results"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/import/", views.import_now, name="import-now"),
    path("imports/<int:pk>/check-again/", views.import_retry, name="import-retry"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import-undo"),
    path("imports/<int:pk>/problems.csv", views.import_problems_csv, name="import-problems"),
]
