"""Sign-in events: the session's clock starts at sign-in; deactivating an account ends its sessions
and revokes its API tokens at once, and changing a password revokes the API tokens (in the
administration pages or anywhere else that saves the person)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts import services, sessions
from accounts.models import User


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if getattr(request, "session", None) is not None:
        sessions.start(request.session)


@receiver(pre_save, sender=User)
def note_deactivation(sender, instance, update_fields=None, **kwargs):
    """Remember whether this save turns an active account inactive (one query, only then)."""
    instance._deactivated = bool(
        instance.pk
        and not instance.is_active
        and (update_fields is None or "is_active" in update_fields)
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=User)
def end_sessions_of_deactivated(sender, instance, created, **kwargs):
    if getattr(instance, "_deactivated", False):
        instance._deactivated = False
        services.end_sessions(user_id=instance.pk)
        services.revoke_every_api_token(user_id=instance.pk, reason=services.REVOKED_ON_DEACTIVATION)


@receiver(post_save, sender=User)
def revoke_api_tokens_on_password_change(sender, instance, created, **kwargs):
    """A password set (``set_password``, which every password form and command calls, and which a
    login's rehash does not count as) or made unusable revokes every token made with the old one."""
    if not created and (instance._password is not None or not instance.has_usable_password()):
        services.revoke_every_api_token(user_id=instance.pk, reason=services.REVOKED_ON_PASSWORD_CHANGE)
