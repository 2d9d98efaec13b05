from django.apps import AppConfig


class CategorisationConfig(AppConfig):
    name = "categorisation"
    verbose_name = "Categorisation"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from categorisation import services
        from schools import signals

        signals.facts_changed.connect(services.recategorise_changed, dispatch_uid="categorisation.recategorise")
