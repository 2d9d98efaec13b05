"""Notifications: telling people what happened, in the portal and by email.

A service higher up (a report shared, a plan agreed, a board decision, a deadline, an import, the
monthly report) calls :func:`notify` after its change is saved, naming the people and the event's
key. Each person gets one notification per key: reporting the same event again makes nothing new
and sends nothing. Once the transaction commits, each new notification whose recipient wants that
kind by email is queued for ``accounts.tasks.send_notification_email`` (never sent in the request).

A person's notifications are theirs, whichever authority they are working in; those of an authority
they no longer work for are not shown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.authorities import current_authority_id
from accounts.models import Authority, Membership, Notification, User
from accounts.tasks import send_notification_email
from operations import jobs

logger = logging.getLogger(__name__)

Kind = Notification.Kind
PAGE_SIZE = 25


def notify(
    recipients: Iterable[User | int],
    *,
    kind: str,
    key: str,
    title: str,
    url: str,
    authority: Authority | int | None = None,
) -> list[Notification]:
    """Tell each recipient (active people only) about the event ``key``, once: returns the
    notifications made now (none for people already told). ``authority`` defaults to the one the
    code works in. Email is queued when the transaction commits."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of notification: {kind!r}")
    ids = {r if isinstance(r, int) else r.pk for r in recipients if r is not None}
    if not ids:
        return []
    authority_id = authority.pk if isinstance(authority, Authority) else (authority or current_authority_id())
    wanted = dict(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", "notification_emails_off"))
    told = set(Notification.objects.filter(key=key, recipient_id__in=wanted).values_list("recipient_id", flat=True))
    new = [
        Notification(recipient_id=pk, authority_id=authority_id, kind=kind, key=key, title=title[:300], url=url)
        for pk in sorted(set(wanted) - told)
    ]
    if not new:
        return []
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    made = list(Notification.objects.filter(key=key, recipient_id__in=[n.recipient_id for n in new]))
    for notification in made:
        if kind not in (wanted[notification.recipient_id] or []):
            transaction.on_commit(lambda pk=notification.pk: _queue_email(pk))
    return made


def _queue_email(notification_id: int) -> None:
    """Queue the email; a failure to send is the task's to retry and log, never the page's."""
    try:
        jobs.enqueue(send_notification_email, notification_id)
    except Exception:
        logger.exception("The email for notification %s could not be sent", notification_id)


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: these (their own only), or all of them. Returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def set_email_choices(*, user: User, kinds: Iterable[str]) -> User:
    """Which kinds of notification the person wants by email (every other kind: portal only)."""
    chosen = set(kinds)
    if chosen - set(Kind.values):
        raise ValueError("Unknown kind of notification")
    user.notification_emails_off = [kind for kind in Kind.values if kind not in chosen]
    user.save(update_fields=["notification_emails_off"])
    return user


def emailed_kinds(user: User) -> list[str]:
    off = set(user.notification_emails_off or [])
    return [kind for kind in Kind.values if kind not in off]


# Reads ------------------------------------------------------------------------------------------------------


def _mine(user: User) -> QuerySet[Notification]:
    """The person's notifications: about no authority, or one they work for."""
    theirs = Membership.objects.filter(user_id=user.pk).values("authority_id")
    return Notification.objects.filter(Q(authority__isnull=True) | Q(authority_id__in=theirs), recipient_id=user.pk)


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread (one query)."""
    return _mine(user).filter(read_at__isnull=True).count()


def for_user(user: User, page: str | int | None = None, *, size: int = PAGE_SIZE) -> Page:
    """A page of the person's notifications, newest first."""
    return Paginator(_mine(user).order_by("-created_at", "-pk"), size).get_page(page)


def get_for(user: User, pk: int) -> Notification | None:
    """One of the person's notifications, or None (someone else's, or none)."""
    return _mine(user).filter(pk=pk).first()
