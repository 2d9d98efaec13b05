from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # Imported when the app is ready (the models must be loaded first): registers the OpenAPI
        # description of the portal's session authentication.
        from api import schema  # noqa: F401
