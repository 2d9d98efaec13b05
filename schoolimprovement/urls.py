from django.contrib import admin
from django.urls import include, path

from accounts.access import permission
from operations.views import health
from portal.urls import school_patterns
from schools.urls import urlpatterns as school_urls

admin.site.site_header = "School improvement portal administration"
admin.site.site_title = "School improvement portal"

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    path("", include(([*school_urls, *school_patterns], "schools"))),
    path("", include("categorisation.urls")),
    path("", include("support.urls")),
    path("", include("boards.urls")),
    path("", include("reporting.urls")),
    path("", include("accounts.audit.urls")),
    # The health check sits in operations, below the policy: it is declared here.
    path("health/", permission("health")(health), name="health"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "schoolimprovement.errors.forbidden"
handler404 = "schoolimprovement.errors.not_found"
handler500 = "schoolimprovement.errors.server_error"
