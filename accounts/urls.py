from django.urls import path
from django.views.i18n import set_language

from accounts import views
from accounts.access import permission

app_name = "accounts"

urlpatterns = [
    path("sign-in/", permission("accounts:sign-in")(views.SignInView.as_view()), name="sign-in"),
    path("sign-out/", permission("accounts:sign-out")(views.SignOutView.as_view()), name="sign-out"),
    path(
        "password-reset/",
        permission("accounts:password-reset")(views.PasswordResetView.as_view()),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        permission("accounts:password-reset-sent")(views.PasswordResetSentView.as_view()),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        permission("accounts:password-reset-confirm")(views.PasswordResetConfirmView.as_view()),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        permission("accounts:password-reset-complete")(views.PasswordResetCompleteView.as_view()),
        name="password-reset-complete",
    ),
    path("account/", views.account, name="account"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/code/", views.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/two-factor/turn-off/", views.two_factor_turn_off, name="two-factor-turn-off"),
    path("account/api-access/", views.api_access, name="api-access"),
    path("account/api-access/revoke/", views.api_access_revoke, name="api-access-revoke"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/email/", views.notification_settings, name="notification-settings"),
    path("notifications/<int:pk>/", views.notification, name="notification"),
    path("authority/", views.switch_authority, name="switch-authority"),
    path("language/", permission("accounts:set-language")(set_language), name="set-language"),
    path("session/", views.session, name="session"),
]
