"""``core.pages.form_page``: the page's extra context is made only when the page is shown."""

from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from core.pages import form_page


class NoteForm(forms.Form):
    text = forms.CharField()


def page(request, asked: list[str]):
    def context():
        asked.append("context")
        return {"intro": ["Say what you saw."]}

    return form_page(
        request,
        form=NoteForm(request.POST or None),
        title="Add a note",
        back="/notes/",
        save=lambda data: data["text"],
        success="Note saved",
        context=context,
    )


def request_for(method: str, data: dict | None = None):
    request = getattr(RequestFactory(), method)("/notes/add/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_saved_form_redirects_without_making_the_pages_context():
    asked: list[str] = []
    response = page(request_for("post", {"text": "A visit"}), asked)
    assert response.status_code == 302
    assert response["Location"] == "/notes/"
    assert asked == []


def test_a_form_shown_again_gets_the_pages_context():
    asked: list[str] = []
    response = page(request_for("post", {"text": ""}), asked)
    assert response.status_code == 200
    assert b"Say what you saw." in response.content
    assert asked == ["context"]
