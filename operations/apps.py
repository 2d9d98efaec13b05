from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        # Imported when the app is ready (the models must be loaded first): connects the worker's receivers.
        from operations import signals  # noqa: F401
