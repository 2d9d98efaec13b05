from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Advisory board"

    def ready(self):
        # Imported when the app is ready: the models must be loaded first.
        from accounts.models import Role
        from boards.selectors import schools_for_board_member
        from schools import access

        access.register_scope(Role.BOARD_MEMBER, schools_for_board_member)
