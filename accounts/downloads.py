"""Which responses are downloads, and the file each one names. Every file the portal serves as an
attachment may hold personal data (named headteachers, partners, officers and pupils' results), so
every one is logged, not a chosen few."""

from __future__ import annotations

import re
from urllib.parse import unquote

# RFC 6266: ``filename*=UTF-8''…`` (percent-encoded) wins over a plain ``filename=``.
_EXTENDED = re.compile(r"filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;]+)", re.IGNORECASE)
_PLAIN = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))', re.IGNORECASE)
UNNAMED = "(no file name)"
# API endpoints that hold no one's data: the page about the API and its schema.
API_NAMESPACE = "api"
API_WITHOUT_PERSONAL_DATA = {"index", "schema"}


def is_download(status_code: int, content_disposition: str | None) -> bool:
    """A successful response the browser is told to save rather than show."""
    if not content_disposition or not 200 <= status_code < 300:
        return False
    return content_disposition.split(";", 1)[0].strip().lower() == "attachment"


def filename_of(content_disposition: str) -> str:
    """The file name a ``Content-Disposition`` header gives, decoded; a placeholder if none."""
    extended = _EXTENDED.search(content_disposition)
    if extended:
        charset, value = extended.groups()
        try:
            return unquote(value.strip(), encoding=charset, errors="strict")[:255]
        except (LookupError, UnicodeDecodeError):
            pass
    plain = _PLAIN.search(content_disposition)
    if plain:
        quoted, bare = plain.groups()
        name = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        return name[:255] or UNNAMED
    return UNNAMED


def api_read(request, status_code: int) -> str | None:
    """The name the download log gives a successful read of the API's records (every endpoint but
    the API's own page and schema: each holds named people or what was written about a school), or
    None for any other request. Reads through the API are logged as downloads are, so that what can
    be pulled in bulk with a token leaves the same record as a PDF or an export."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != API_NAMESPACE or match.url_name in API_WITHOUT_PERSONAL_DATA:
        return None
    if request.method not in ("GET", "HEAD") or not 200 <= status_code < 300:
        return None
    return f"API: {match.url_name}"
