from django.apps import AppConfig
from django.db.models.signals import post_save

from schools import signals


class CategorisationConfig(AppConfig):
    name = "categorisation"
    verbose_name = "Categorisation"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from categorisation import services

        signals.facts_changed.connect(services.recategorise_changed, dispatch_uid="categorisation.recategorise")
        post_save.connect(
            services.give_builtin_frameworks, sender="accounts.Authority", dispatch_uid="categorisation.builtin"
        )
