from django.contrib import admin
from django.urls import include, path

from schools.views import home

admin.site.site_header = "School improvement portal administration"
admin.site.site_title = "School improvement portal"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("schools.urls")),
    path("", include("categorisation.urls")),
    path("", include("support.urls")),
    path("", include("boards.urls")),
    path("", include("reporting.urls")),
    path("", include("accounts.audit.urls")),
    path("", include("operations.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "schoolimprovement.errors.forbidden"
handler404 = "schoolimprovement.errors.not_found"
handler500 = "schoolimprovement.errors.server_error"
