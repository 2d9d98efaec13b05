"""What the fault tests ask the portal's database for through Django, in a process of its own
(``python -m tests.faults.portal <command>``, with the test's DATABASE_URL).

    schema                    make the tables from the models, as the test database's are, with the built-in data
    sign-in EMAIL             make an LA officer (if there is none) and print a signed-in session's key
    send TASK [ARGS [KWARGS]]  hand a task to the broker (arguments as JSON) and print its id
"""

from __future__ import annotations

import json
import sys


def schema() -> None:
    """The tables made from the models without running the migrations, as pytest-django makes the
    test database's (``--no-migrations``), and the built-in data the data migrations would load:
    the migrations took 16 s here, and PostgreSQL runs them in CI's benchmarks and in the demo."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    from tests.builtin_data import ensure_builtin_data

    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    ensure_builtin_data()


def sign_in(email: str) -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import Membership, Role, User
    from tests.builtin_data import DEFAULT_AUTHORITY

    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, full_name="Fiona Faults", role=Role.LA_OFFICER, authority_id=DEFAULT_AUTHORITY
    )
    Membership.objects.get_or_create(user=user, authority_id=DEFAULT_AUTHORITY, defaults={"role": user.role})
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def send(task: str, args: str = "[]", kwargs: str = "{}") -> str:
    """As ``operations.jobs.enqueue`` sends it from a page of the default authority."""
    from django.utils.module_loading import autodiscover_modules

    from schoolimprovement.celery import app
    from tests.builtin_data import DEFAULT_AUTHORITY

    autodiscover_modules("tasks")  # as a worker registers them
    named = json.loads(kwargs)
    if getattr(app.tasks.get(task), "carries_authority", False):
        named.setdefault("authority_id", DEFAULT_AUTHORITY)
    return app.send_task(task, args=json.loads(args), kwargs=named).id


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    if command == "schema":
        schema()
    elif command == "sign-in":
        print(sign_in(*args))
    elif command == "send":
        print(send(*args))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
