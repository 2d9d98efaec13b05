"""The language of a page: Welsh only for the people of an authority in Wales.

Django's ``LocaleMiddleware`` (early in ``MIDDLEWARE``) picks the language a person chose with the
header's switch (``set_language``'s cookie) or, failing that, their browser's. This one, after the
authority's scope is entered, puts back English for everyone else: an authority in England's pages
and letters are in English whatever a browser asks for, and so is the administration."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from boards.selectors import writes_in_welsh


class EnglishOutsideWalesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if translation.get_language() != settings.LANGUAGE_CODE and not writes_in_welsh():
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
