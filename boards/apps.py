from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Advisory board"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from boards import selectors, services

        selectors.register_board_scope()
        selectors.flag_schools_without_partner()
        post_save.connect(services.give_letter_templates, sender="accounts.Authority", dispatch_uid="boards.letters")
        # A letter sent, changed or deleted: the overdue letters kept are worked out again.
        post_save.connect(_letters_changed, sender="boards.Letter", dispatch_uid="boards.letters-overdue.save")
        post_delete.connect(_letters_changed, sender="boards.Letter", dispatch_uid="boards.letters-overdue.delete")


def _letters_changed(**kwargs) -> None:
    # Imported here: the app's modules load their models, which are not ready when this one is.
    from boards import deadlines

    transaction.on_commit(deadlines.forget_letters)
