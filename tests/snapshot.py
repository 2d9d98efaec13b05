"""Every row of every table of a database, as JSON (``python -m tests.snapshot OUT``, with the
database's DATABASE_URL): what ``tests/test_migrating_to_authorities.py`` compares before and
after the migrations. Plain SQL, so it reads a database made by any version of the code."""

from __future__ import annotations

import json
import os
import sys


def snapshot() -> dict[str, dict]:
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the database itself
            columns = [column[0] for column in cursor.description]
            rows = sorted(([None if v is None else str(v) for v in row] for row in cursor.fetchall()), key=str)
            tables[table] = {"columns": columns, "rows": rows}
    return tables


def main(out: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolimprovement.settings")
    django.setup()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(snapshot(), handle)


if __name__ == "__main__":
    main(sys.argv[1])
