"""Signing in and out, the lockout page, two-factor authentication and the session keep-alive."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from accounts import lockout, notifications, permissions, selectors, services, sessions, tasks
from accounts.access import permission
from accounts.forms import (
    ApiTokenForm,
    CodeForm,
    NewPasswordForm,
    NotificationEmailForm,
    PasswordResetRequestForm,
    SignInForm,
)
from core.pages import errors_to
from operations import jobs


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """What a locked sign-in sees (django-axes' ``AXES_LOCKOUT_CALLABLE``), with status 429."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


# Forgotten your password? -----------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The address to send a reset link to. Whatever is typed, the answer is the same "Check your
    email" page: nobody learns which addresses have an account."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if lockout.may_send_reset(self.request, email):
            # Queued whatever the address: looking the account up here would answer sooner without one.
            jobs.enqueue(tasks.send_password_reset, email, self.request.build_absolute_uri("/"))
        return redirect("accounts:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    extra_context = {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link: Django's view checks the token, keeps it in the session and moves to an
    address without it (so it does not leak in a Referer); then the new password, twice."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    extra_context = {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form):
        services.reset_password(user=form.user, password=form.cleaned_data["new_password1"])
        self.request.session.flush()  # the reset token goes with it, and any sign-in here ended above
        return redirect("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Your account and two-factor authentication -----------------------------------------------------------------


@permission("accounts:account")
def account(request):
    user = request.user
    context = {
        "has_authenticator": selectors.has_authenticator(user),
        "required": permissions.must_use_two_factor(user),
        "can_turn_off": permissions.can_turn_off_two_factor(user),
        "recovery_codes_left": len(selectors.recovery_codes(user)),
        "api_tokens": selectors.api_tokens(user),
    }
    return render(request, "accounts/account.html", context)


# The authenticator this session is setting up: its secret is shown to this session only (issue 17).
PENDING_AUTHENTICATOR = "two_factor_pending_device"


@permission("accounts:two-factor-setup")
def two_factor_setup(request):
    """Scan the QR code (or type the key), then confirm with a code the app shows. Someone who
    already has an authenticator replaces it here only after entering its code this session."""
    user = request.user
    if selectors.has_authenticator(user) and not user.is_verified():
        return redirect(_with_next("accounts:two-factor-verify", request))
    device = services.authenticator_to_set_up(user=user, pending_id=request.session.get(PENDING_AUTHENTICATOR))
    request.session[PENDING_AUTHENTICATOR] = device.pk
    form = CodeForm(
        request.POST or None,
        label="Enter the 6-digit code from the app",
        hint="The app shows a new code every 30 seconds.",
        button="Turn on two-factor authentication",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_authenticator(device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            del request.session[PENDING_AUTHENTICATOR]
            device.refresh_from_db()
            _verified(request, device)
            messages.success(request, "Two-factor authentication is on. Save your recovery codes")
            return redirect(_with_next("accounts:recovery-codes", request))
    context = {
        "form": form,
        "qr_code": _qr_code(device),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "required": permissions.must_use_two_factor(user),
        "replacing": selectors.has_authenticator(user),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@permission("accounts:two-factor-verify")
def two_factor_verify(request):
    """The code from the authenticator app (or a recovery code), once each sign-in."""
    user = request.user
    if user.is_verified() or not selectors.has_authenticator(user):
        return redirect(_next(request) or reverse("home"))
    form = CodeForm(
        request.POST or None,
        label="Enter the 6-digit code from your authenticator app",
        hint="If you do not have your phone, enter one of your recovery codes.",
        button="Continue",
        digits_only=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_code(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            _verified(request, result.device)
            if result.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"You used a recovery code. You have {result.recovery_codes_left} left: "
                    "get new ones from Your account",
                )
            return redirect(_next(request) or reverse("home"))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@permission("accounts:recovery-codes")
def recovery_codes(request):
    """The unused recovery codes; posting replaces them all."""
    user = request.user
    if not selectors.has_authenticator(user):
        return redirect("accounts:account")
    if request.method == "POST":
        services.new_recovery_codes(user=user)
        messages.success(request, "You have new recovery codes. The old ones no longer work")
        return redirect(_with_next("accounts:recovery-codes", request))
    context = {"codes": selectors.recovery_codes(user), "next": _next(request) or reverse("home")}
    return render(request, "accounts/recovery_codes.html", context)


@permission("accounts:two-factor-turn-off")
def two_factor_turn_off(request):
    try:
        services.turn_off_two_factor(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Two-factor authentication is off")
    return redirect("accounts:account")


# API access: a personal token for the read-only API --------------------------------------------------------


@never_cache
@permission("accounts:api-access")
def api_access(request):
    """The person's tokens (names and dates, never a key) and the form that makes one. A new token's
    key is shown on the page answering the request that made it, this once: only its digest is kept."""
    form = ApiTokenForm(request.POST or None)
    key = made = None
    if request.method == "POST" and form.is_valid():
        try:
            made, key = services.create_api_token(
                by=request.user, **form.cleaned_data, two_factor_verified=request.user.is_verified()
            )
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            form = ApiTokenForm()
    context = {"tokens": selectors.api_tokens(request.user), "form": form, "key": key, "made": made}
    return render(request, "accounts/api_access.html", context)


@permission("accounts:api-access-revoke")
def api_access_revoke(request):
    """Revoke one of the person's own tokens (``token``: its id); anyone else's is not found."""
    try:
        token_id = int(request.POST.get("token", ""))
    except ValueError:
        token_id = 0
    if services.revoke_api_token(by=request.user, token_id=token_id):
        messages.success(request, "The API token has been revoked. It no longer works")
    else:
        messages.error(request, "That token was not found: it may already have been revoked")
    return redirect("accounts:api-access")


@permission("accounts:switch-authority")
def switch_authority(request):
    """Work in another of the person's authorities (``authority``: its id), from the header."""
    try:
        membership = services.switch_authority(user=request.user, authority_id=int(request.POST.get("authority", "")))
    except (ValueError, PermissionDenied):
        messages.error(request, "You do not work for that authority")
        return redirect("home")
    messages.success(request, f"You are now working in {membership.authority} as {membership.get_role_display()}")
    return redirect("home")


# The session warning --------------------------------------------------------------------------------------


@never_cache
@permission("accounts:session")
def session(request):
    """For the warning script: GET says how long the session has left (and is not activity);
    POST is "Stay signed in". An ended session answers ``signed_in: false``."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    if request.method == "POST":
        sessions.touch(request.session, force=True)
    return JsonResponse({"signed_in": True, "seconds_left": sessions.seconds_left(request.session)})


session.session_activity = False


# Helpers --------------------------------------------------------------------------------------------------


def _verified(request, device) -> None:
    """Mark the session as having passed two-factor authentication, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # Only a path: redirect() would take anything else ("abc") for a URL name and fail (issue 17, finding 6).
    return wanted if safe and wanted.startswith("/") else ""


def _with_next(name: str, request) -> str:
    wanted = _next(request)
    return f"{reverse(name)}?{urlencode({'next': wanted})}" if wanted else reverse(name)


def _qr_code(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        dark="#0b0c0c",
        light="#ffffff",
        svgclass="app-qr-code__image",
        title="QR code for your authenticator app",
    )
    return mark_safe(svg)  # noqa: S308 - segno's own SVG of a URL we built; no user input is unescaped


def _grouped(secret: str) -> str:
    """The key in groups of four, as authenticator apps show it."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Notifications ----------------------------------------------------------------------------------------------


@permission("accounts:notifications")
def notification_list(request):
    """The person's notifications, newest first; "Mark all as read" posts here."""
    if request.method == "POST":
        marked = notifications.mark_read(request.user)
        done = f"{marked} notification{pluralize(marked)} marked as read" if marked else "Nothing was unread"
        messages.success(request, done)
        return redirect("accounts:notifications")
    page = notifications.for_user(request.user, request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@permission("accounts:notification")
def notification(request, pk: int):
    """Open a notification: it is marked read, and the person goes to the page it is about (in the
    authority it happened in)."""
    found = notifications.get_for(request.user, pk)
    if found is None:
        raise Http404("Not found")
    notifications.mark_read(request.user, [found.pk])
    if found.authority_id and found.authority_id != request.user.authority_id:
        services.switch_authority(user=request.user, authority_id=found.authority_id)
    safe = url_has_allowed_host_and_scheme(found.url, allowed_hosts=None)
    return redirect(found.url if safe else "accounts:notifications")


@permission("accounts:notification-settings")
def notification_settings(request):
    """Choose which kinds of notification come by email."""
    form = NotificationEmailForm(request.POST or None, initial={"kinds": notifications.emailed_kinds(request.user)})
    if request.method == "POST" and form.is_valid():
        notifications.set_email_choices(user=request.user, kinds=form.cleaned_data["kinds"])
        messages.success(request, "Your email choices are saved")
        return redirect("accounts:notifications")
    return render(request, "accounts/notification_settings.html", {"form": form})
