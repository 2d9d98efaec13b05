"""Background work for people's accounts: password reset and notification email. Tasks take plain
values and call one service."""

from celery import shared_task
from django.urls import reverse

from accounts import email as notification_email
from accounts import services


@shared_task(name="accounts.send_password_reset")
def send_password_reset(email: str, site: str) -> bool:
    """Email a password reset link to the account ``email`` reaches, if any, with links on ``site``
    (the address the request came to, ``https://host/``). Queued for every address asked about, so
    that the page answers in the same time whether or not the address has an account. Delivered
    twice, it sends a second link: each works once, and the first stops working when either is used."""

    def link(uidb64: str, token: str) -> str:
        return site.rstrip("/") + reverse("accounts:password-reset-confirm", args=[uidb64, token])

    return services.send_password_reset(email=email, link=link)


@shared_task(
    name="accounts.send_notification_email",
    autoretry_for=(notification_email.SendingFailed,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification to its recipient, once: safe to run twice (the row is locked and
    marked sent). Retried with growing waits while the email service cannot be reached."""
    return notification_email.deliver(notification_id)
