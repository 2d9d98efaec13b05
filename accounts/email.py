"""Sending one notification by email: through GOV.UK Notify (its Python client, a template by id)
when ``NOTIFY_API_KEY`` is set, otherwise through Django's configured ``EMAIL_BACKEND``.

A failure worth trying again (the connection, a timeout, Notify's 5xx or 429) is raised as
``SendingFailed``, which the task retries; a refusal that would fail the same way again (a bad
key, template or address: Notify's other 4xx) is raised as ``SendingRefused``, and is not retried.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from accounts.models import Notification

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))


class SendingFailed(Exception):
    """The email did not go, for a reason that may pass: try again later."""


class SendingRefused(Exception):
    """The email service refused the email for good (its key, template or the address)."""


def link(notification: Notification) -> str:
    return f"{settings.SERVICE_URL}{reverse('accounts:notification', args=[notification.pk])}"


def body(notification: Notification) -> str:
    return (
        f"{notification.title}\n\n"
        f"Open it in the portal: {link(notification)}\n\n"
        "Choose which notifications you get by email: "
        f"{settings.SERVICE_URL}{reverse('accounts:notification-settings')}"
    )


def template_for(kind: str) -> str:
    return settings.NOTIFY_TEMPLATE_IDS.get(kind) or settings.NOTIFY_TEMPLATE_ID


def deliver(notification_id: int) -> bool:
    """Email the notification unless it has been: the row is locked while it is sent and marked
    with the time, so two deliveries of the task send it once. Returns whether it was sent now.
    A refused email is logged and not tried again; a failure that may pass raises ``SendingFailed``."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.is_active:
            return False
        try:
            send(notification)
        except SendingRefused:
            logger.exception("Notification %s was refused by the email service", notification_id)
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def send(notification: Notification) -> None:
    """Send the notification to its recipient's address, by GOV.UK Notify or the email backend."""
    if settings.NOTIFY_API_KEY:
        _by_notify(notification)
    else:
        _by_backend(notification)


def _by_notify(notification: Notification) -> None:
    client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=10)
    try:
        client.send_email_notification(
            email_address=notification.recipient.email,
            template_id=template_for(notification.kind),
            personalisation={
                "title": notification.title,
                "body": body(notification),
                "link": link(notification),
            },
            reference=f"notification-{notification.pk}",
        )
    except APIError as exc:
        if exc.status_code in RETRYABLE_STATUSES:
            raise SendingFailed(str(exc)) from exc
        raise SendingRefused(str(exc)) from exc


def _by_backend(notification: Notification) -> None:
    try:
        send_mail(
            notification.title,
            f"{body(notification)}\n\n{settings.SERVICE_NAME}",
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendingRefused(str(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendingFailed(str(exc)) from exc
