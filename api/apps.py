from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # Registers the OpenAPI description of the portal's session authentication.
        from api import schema  # noqa: F401
