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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schools.importers.base import _QUOTED_FIELD

KEY_SEPARATOR = "\x1f"
MAX_KEY_LENGTH = 255  # ImportRowHash.key


@dataclass
class Split:
    """A file cut into its header and records, with what was set aside as unchanged."""

    header: str
    records: list[str]
    keys: list[str | None]  # each record's key as written, None where it cannot be read here
    digests: list[str]
    unique: list[bool]  # whether the record's key appears on no other line
    unchanged: list[int] = field(default_factory=list)  # positions of the records set aside

    def digest_for(self, position: int, key: str) -> str:
        """The digest to store for the record at ``position``, read with ``key``: its own, or ""
        (it will be read next time) when its key as written is not the key as read, or repeats."""
        return self.digests[position] if self.unique[position] and self.keys[position] == key else ""

    def changed_content(self) -> tuple[str, list[int]]:
        """The records not set aside as a file of their own, and each one's line in the whole
        file (line 1 is the header)."""
        skipped = set(self.unchanged)
        kept = [p for p in range(len(self.records)) if p not in skipped]
        text = "\n".join([self.header, *(self.records[p] for p in kept)]) + "\n"
        return text, [p + 2 for p in kept]


def split(content: str, key_columns: Sequence[str], held: Mapping[str, str]) -> Split | None:
    """Cut ``content`` into records and set aside those ``held`` says are unchanged; None when
    its records cannot be told apart line by line (then the whole file is read as before)."""
    if not key_columns:
        return None
    text = content.replace("\r\n", "\n")
    if "\r" in text:
        return None  # old Mac line ends, or a carriage return inside a value
    if any("\n" in quoted for quoted in _QUOTED_FIELD.findall(text)):
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 2 or any(not line.strip() for line in lines):
        return None
    header, records = lines[0], lines[1:]
    names = [name.strip() for name in header.split(",")] if '"' not in header else None
    if names is None or any(name not in names for name in key_columns):
        return None
    at = [names.index(name) for name in key_columns]
    last = max(at)
    salt = hashlib.blake2b(header.encode("utf-8", "surrogatepass"), digest_size=32).digest()
    keys: list[str | None] = []
    digests: list[str] = []
    digest = hashlib.blake2b(digest_size=16, key=salt)
    for record in records:
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
    found = Split(header, records, keys, digests, unique)
    if held:
        pairs = enumerate(zip(keys, digests, strict=True))
        found.unchanged = [p for p, (key, digest) in pairs if unique[p] and held.get(key) == digest]
    return found


def key_as_read(row: Mapping, fields: Sequence[str]) -> str | None:
    """A read row's key, written as the key of an unchanged record would be; None if it has none."""
    values = [row.get(name) for name in fields]
    if any(value is None or value == "" for value in values):
        return None
    return KEY_SEPARATOR.join(map(str, values))
