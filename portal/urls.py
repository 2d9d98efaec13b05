"""The pages that draw on several apps. The school page keeps its name, ``schools:detail``: the
project's URLconf puts ``school_patterns`` into the schools namespace."""

from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    # The service's basics, open without signing in: linked from every page's footer.
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("search/", views.search, name="search"),
]

school_patterns = [
    path("schools/", views.school_list, name="list"),
    path("schools/export.csv", views.school_list_csv, name="list-csv"),
    path("schools/<int:urn>/", views.school_detail, name="detail"),
]
