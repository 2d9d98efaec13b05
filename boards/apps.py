from django.apps import AppConfig
from django.db.models.signals import post_save


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Advisory board"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from boards import selectors, services

        selectors.register_board_scope()
        selectors.flag_schools_without_partner()
        post_save.connect(services.give_letter_templates, sender="accounts.Authority", dispatch_uid="boards.letters")
