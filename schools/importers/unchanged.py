"""Recognising the rows of a file that did not change since the last import of its kind, before
they are read: the cost of importing a file should follow what changed in it, not its size.

Each record's text (its line, without the line end) has a digest, keyed by the file's header, so
the same text under another header is a different row. A row whose natural key (the text of the
format's key columns) and digest are those the last import stored (``held``) is set aside as
unchanged; the other rows are read and checked as usual, as a file of their own with the same
header and their own line numbers. Set aside means the same bytes under the same header as a row
that was imported without a warning, so reading it again would give the same record.

Nothing is set aside when that cannot be sure: a record that may span lines (a line end inside
quotes), a blank line (pandas would number the rows after it differently), a key that appears on
two lines (the check for repeated keys must see both). After the other rows are read, a row
whose key, once read, is that of a row set aside (``0100123`` and ``100123``) means the file is
read again whole.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schools.importers.base import _QUOTED_FIELD

KEY_SEPARATOR = "\x1f"
MAX_KEY_LENGTH = 255  # ImportRowHash.key


@dataclass
class Split:
    """A file cut into its header and records, with what was set aside as unchanged. A record is
    held as where its text lies in the file (its line without the line end), not as a copy."""

    header: str
    starts: array[int]
    ends: array[int]
    keys: list[str | None]  # each record's key as written, None where it cannot be read here
    digests: list[str]
    unique: list[bool]  # whether the record's key appears on no other line
    unchanged: list[int] = field(default_factory=list)  # positions of the records set aside

    def digest_for(self, position: int, key: str) -> str:
        """The digest to store for the record at ``position``, read with ``key``: its own, or ""
        (it will be read next time) when its key as written is not the key as read, or repeats."""
        return self.digests[position] if self.unique[position] and self.keys[position] == key else ""

    def changed_content(self, content: str) -> tuple[str, list[int]]:
        """The records of ``content`` (the text split) not set aside, as a file of their own, and
        each one's line in the whole file (line 1 is the header)."""
        skipped = set(self.unchanged)
        kept = [p for p in range(len(self.keys)) if p not in skipped]
        records = (content[self.starts[p] : self.ends[p]] for p in kept)
        text = "\n".join([self.header, *records]) + "\n"
        return text, [p + 2 for p in kept]


# A carriage return that does not end a line with the line feed after it.
_LONE_CR = re.compile(r"\r(?!\n)")


def split(content: str, key_columns: Sequence[str], held: Mapping[str, str]) -> Split | None:
    """Cut ``content`` into records and set aside those ``held`` says are unchanged; None when
    its records cannot be told apart line by line (then the whole file is read as before).

    Lines end in LF or CRLF. One record's text at a time is copied out of the file, to be keyed
    and digested: a copy of every line at once would be another copy of the file."""
    if not key_columns:
        return None
    if _LONE_CR.search(content):
        return None  # old Mac line ends, or a carriage return inside a value
    if any(content.find("\n", *quoted.span()) >= 0 for quoted in _QUOTED_FIELD.finditer(content)):
        return None
    spans = _line_spans(content)
    if len(spans) < 2 or any(start == end or content[start:end].isspace() for start, end in spans):
        return None
    header = content[spans[0][0] : spans[0][1]]
    names = [name.strip() for name in header.split(",")] if '"' not in header else None
    if names is None or any(name not in names for name in key_columns):
        return None
    at = [names.index(name) for name in key_columns]
    last = max(at)
    salt = hashlib.blake2b(header.encode("utf-8", "surrogatepass"), digest_size=32).digest()
    keys: list[str | None] = []
    digests: list[str] = []
    digest = hashlib.blake2b(digest_size=16, key=salt)
    for start, end in spans[1:]:
        record = content[start:end]
        # A quote in a key, or before it, would hide a comma: then the key is left to pandas.
        head = record.split(",", last + 1)
        if len(head) <= last or any('"' in cell for cell in head[: last + 1]):
            keys.append(None)
        else:
            keys.append(head[at[0]] if len(at) == 1 else KEY_SEPARATOR.join([head[i] for i in at]))
        one = digest.copy()
        one.update(record.encode("utf-8", "surrogatepass"))
        digests.append(one.hexdigest())
    seen = Counter(keys)
    unique = [key is not None and seen[key] == 1 for key in keys]
    found = Split(
        header, array("q", (s for s, _ in spans[1:])), array("q", (e for _, e in spans[1:])), keys, digests, unique
    )
    if held:
        pairs = enumerate(zip(keys, digests, strict=True))
        found.unchanged = [p for p, (key, digest) in pairs if unique[p] and held.get(key) == digest]
    return found


def _line_spans(content: str) -> list[tuple[int, int]]:
    """Where each line's text lies in ``content``, without its line end (LF or CRLF); a line end
    at the very end of the text starts no line after it."""
    spans = []
    start = 0
    while start < len(content):
        end = content.find("\n", start)
        following = len(content) if end < 0 else end + 1
        if end < 0:
            end = len(content)
        elif end > start and content[end - 1] == "\r":
            end -= 1
        spans.append((start, end))
        start = following
    return spans


def key_as_read(row: Mapping, fields: Sequence[str]) -> str | None:
    """A read row's key, written as the key of an unchanged record would be; None if it has none."""
    values = [row.get(name) for name in fields]
    if any(value is None or value == "" for value in values):
        return None
    return KEY_SEPARATOR.join(map(str, values))
