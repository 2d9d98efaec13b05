"""Settings come from the environment; the production profile refuses to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


READS_SETTINGS = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
STARTS_DJANGO = f"import django; django.setup(); {READS_SETTINGS}"


def start(*, apps: bool = False, **env) -> subprocess.CompletedProcess:
    """A new process reading the settings from ``env`` (the settings module alone, a tenth of the
    time), and with ``apps`` starting Django as a server does (every app and its imports)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL")}
    return subprocess.run(  # noqa: S603 (the test's own code, no input)
        [sys.executable, "-c", STARTS_DJANGO if apps else READS_SETTINGS],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start(DEBUG="false", ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is false" in result.stderr


def test_production_starts_with_both():
    result = start(apps=True, DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


def test_no_environment_means_sqlite():
    assert start().stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_means_postgresql():
    result = start(DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_malformed_yes_no_setting_is_a_clear_error():
    result = start(DEBUG="perhaps")
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_a_notify_key_needs_a_template():
    result = start(NOTIFY_API_KEY="portal-key")
    assert "NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID (or NOTIFY_TEMPLATE_IDS)" in result.stderr


def deploy_check(**env) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest; a production process never has it.
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_production_profile_passes_the_deploy_checks():
    result = deploy_check(
        DEBUG="false", SECRET_KEY="k" * 20 + "-Zq8#p1Lw0x!v9Rm2Tb7Yc4Nd6Hf3Js5Gk", ALLOWED_HOSTS="portal.example"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_fail_when_production_weakens_a_header():
    result = deploy_check(
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-Zq8#p1Lw0x!v9Rm2Tb7Yc4Nd6Hf3Js5Gk",
        ALLOWED_HOSTS="portal.example",
        SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr
