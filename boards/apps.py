from django.apps import AppConfig
from django.db.models.signals import post_save


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Advisory board"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from accounts.models import Role
        from boards import selectors, services
        from schools import access

        access.register_scope(Role.BOARD_MEMBER, selectors.schools_for_board_member)
        post_save.connect(services.give_letter_templates, sender="accounts.Authority", dispatch_uid="boards.letters")
