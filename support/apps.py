from django.apps import AppConfig

from schools import signals


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from support import services

        signals.new_headteacher_noted.connect(services.schedule_new_head_visit, dispatch_uid="support.new_head")
