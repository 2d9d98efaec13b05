#!/usr/bin/env python3
"""Set up everything and run the portal or its tests, on a fresh machine with Python 3.11+ and npm.

    python3 run.py demo     set up, load the demo data and serve http://127.0.0.1:8000
    python3 run.py test     set up and run the whole test suite (extra arguments go to pytest)
    python3 run.py setup    set up only (virtual environment, packages, stylesheet)

Set-up is repeatable and quick the second time: the virtual environment in .venv and the
front-end packages in node_modules are only reinstalled when requirements-dev.txt or
package-lock.json change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]


PARALLEL = ["-n", "auto", "--dist", "loadgroup"]


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*command: str | Path, **kwargs) -> None:
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True, **kwargs)  # noqa: S603 - our own commands


def digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


def python_packages() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older system Python
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        run(sys.executable, "-m", "venv", VENV)
    stamp = VENV / ".requirements.sha256"
    wanted = digest(ROOT / "requirements-dev.txt")
    if not stamp.exists() or stamp.read_text() != wanted:
        # The runtime packages and the tools for tests and benchmarks, every one locked with its
        # hashes (the production image installs requirements.txt, the runtime lock, alone).
        say("Installing Python packages (requirements-dev.txt)")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", ROOT / "requirements-dev.txt")
        stamp.write_text(wanted)


def front_end() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install GOV.UK Frontend: install Node.js 18 or newer.")
    stamp = ROOT / "node_modules" / ".package-lock.sha256"
    wanted = digest(ROOT / "package-lock.json")
    if not stamp.exists() or stamp.read_text() != wanted:
        say("Installing front-end packages (npm ci)")
        run(npm, "ci", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error")
        stamp.write_text(wanted)
    css = ROOT / "static" / "build" / "app.css"
    sources = list((ROOT / "static" / "src").glob("*.scss"))
    if (
        not css.exists()
        or any(s.stat().st_mtime > css.stat().st_mtime for s in sources)
        or stamp.stat().st_mtime > css.stat().st_mtime
    ):
        say("Building the stylesheet")
        run(npm, "run", "--silent", "build")


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).exists():
        return configured
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser() -> str | None:
    """Debian's Chromium for the browser tests, installed when we may (root with apt-get)."""
    found = find_chromium()
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Installing Debian's Chromium for the browser tests")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "chromium", env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return find_chromium()
    say("No Chromium found: the browser tests will be skipped (install Debian's chromium or set CHROMIUM_PATH)")
    return None


def demo() -> None:
    python_packages()
    front_end()
    # The demo's people sign in with the published password alone: no one needs a phone to try it.
    # TWO_FACTOR_ENFORCED=true python3 run.py demo shows officers being asked to set up an authenticator.
    os.environ.setdefault("TWO_FACTOR_ENFORCED", "false")
    # A missing page or an error shows the service's own page, as in production, not Django's debug page.
    os.environ.setdefault("SERVICE_ERROR_PAGES", "true")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo")
    port = os.environ.get("PORT", "8000")
    say(f"The portal is running at http://127.0.0.1:{port}/ – press Ctrl+C to stop")
    manage("runserver", f"127.0.0.1:{port}")


def test(extra: list[str]) -> None:
    python_packages()
    front_end()
    chromium = browser()
    env = dict(os.environ)
    if chromium:
        env["CHROMIUM_PATH"] = chromium
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    broker = "Redis with a real Celery worker" if env.get("CELERY_BROKER_URL") else "tasks run inline"
    say(f"Running the test suite on {database}, {broker}")
    # Over every core (pytest-xdist) unless the arguments say otherwise (-n 0 runs in one process).
    spread = [] if any(a.startswith(("-n", "--numprocesses")) for a in extra) else PARALLEL
    command = [str(PYTHON), "-m", "pytest", *spread, *extra]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
    sys.exit(result.returncode)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test", "setup"):
        sys.exit(__doc__)
    try:
        if sys.argv[1] == "demo":
            demo()
        elif sys.argv[1] == "setup":
            python_packages()
            front_end()
        else:
            test(sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(f"Set-up failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
    except KeyboardInterrupt:
        print()


if __name__ == "__main__":
    main()
