"""Background work for people's accounts. Tasks take plain values and call one service."""

from celery import shared_task
from django.urls import reverse

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
