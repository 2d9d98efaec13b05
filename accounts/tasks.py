"""Background work for people: notification email."""

from celery import shared_task

from accounts import email


@shared_task(
    name="accounts.send_notification_email",
    autoretry_for=(email.SendingFailed,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification to its recipient, once: safe to run twice (the row is locked and
    marked sent). Retried with growing waits while the email service cannot be reached."""
    return email.deliver(notification_id)
