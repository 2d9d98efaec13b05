from django.urls import path

from accounts.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_search, name="search"),
    path("audit/downloads/", views.downloads, name="downloads"),
]
