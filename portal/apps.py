from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that draw on several apps (each role's home page, the school page) and the demo
    data that fills them all: the top layer, which may import from every app below it."""

    name = "portal"
    verbose_name = "Portal pages"
