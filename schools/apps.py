from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from schools import access

        access.register()
