from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("schools/", views.school_list, name="list"),
    path("schools/export.csv", views.school_list_csv, name="list-csv"),
    path("schools/<int:urn>/", views.school_detail, name="detail"),
    path("schools/<int:urn>/notes/new/", views.note_create, name="note-create"),
    path("schools/<int:urn>/history/", views.school_history, name="history"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
]
