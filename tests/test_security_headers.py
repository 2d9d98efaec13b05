"""Every response carries the security headers: a Content-Security-Policy without inline script or
style, frame denial, a referrer policy and no MIME sniffing."""

import pytest
from django.urls import reverse


@pytest.fixture
def pages(olivia):
    return [reverse("accounts:sign-in"), reverse("home"), reverse("schools:list"), reverse("reporting:dashboard")]


def test_every_page_has_the_security_headers(client, olivia, pages):
    client.force_login(olivia)
    for url in pages:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_style():
    """The policy forbids them, so none may be written: scripts and styles are files."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if template.name.endswith("_pdf.html") or "pdf" in template.parts:
            continue  # read by WeasyPrint only, never served to a browser
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) or re.search(
            r"\sstyle=\"|<style[\s>]|\son[a-z]+=\"", text
        ):
            offenders.append(str(template.relative_to(settings.BASE_DIR)))
    assert offenders == []
