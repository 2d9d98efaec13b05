"""What the fault tests ask the portal's database for through Django, in a process of its own
(``python -m tests.faults.portal <command>``, with the test's DATABASE_URL).

    sign-in EMAIL             make an LA officer (if there is none) and print a signed-in session's key
    send TASK [ARGS [KWARGS]]  hand a task to the broker (arguments as JSON) and print its id
"""

from __future__ import annotations

import json
import sys


def sign_in(email: str) -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import Role, User

    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, full_name="Fiona Faults", role=Role.LA_OFFICER
    )
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def send(task: str, args: str = "[]", kwargs: str = "{}") -> str:
    from schoolimprovement.celery import app

    return app.send_task(task, args=json.loads(args), kwargs=json.loads(kwargs)).id


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    if command == "sign-in":
        print(sign_in(*args))
    elif command == "send":
        print(send(*args))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
