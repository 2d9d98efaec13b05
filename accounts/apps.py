from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Imported when the app is ready (the models must be loaded first): connects the receivers.
        from accounts import lockout, signals  # noqa: F401
