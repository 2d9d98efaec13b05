"""A form on its own page, shared by every part of the portal: the form posts, a service writes
and either refuses (its ValidationError shows at the fields) or succeeds (a message, then a
redirect). Warnings a service returns as a list of strings show after the redirect."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

TEMPLATE = "form_page.html"


def errors_to(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: at the field it names, or above the form."""
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(
    request,
    *,
    form,
    title: str,
    back: str,
    save: Callable[[dict], object],
    success: str | Callable[[object], str],
    school=None,
    then: Callable[[object], str] | None = None,
    template: str = TEMPLATE,
    context: dict | Callable[[], dict] | None = None,
):
    """When the form is valid, ``save`` writes; the success message may depend on what it
    returned, and ``then(result)`` names where to go (``back`` otherwise). ``context`` may be a
    function, called only when the page is shown (not after a save that redirects)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            for warning in result if isinstance(result, list) else []:
                messages.warning(request, warning)
            return redirect(then(result) if then else back)
    extra = context() if callable(context) else context or {}
    page = {"form": form, "title": title, "school": school, "back": back, **extra}
    return render(request, template, page)
