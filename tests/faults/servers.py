"""Throwaway servers for the fault tests: a PostgreSQL cluster and Redis on free loopback ports,
and the portal's own processes (gunicorn, a Celery worker, management commands) pointed at them.

Each server lives in its own temporary directory and is stopped and removed by whoever started it,
whatever happens; every wait is bounded. The machine's shared PostgreSQL and Redis are never
touched: nothing here knows their ports.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class NotAvailable(Exception):
    """What a server needs is not installed here (the test is skipped with this reason)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str, interval: float = 0.1):
    """Poll until ``predicate`` answers something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"Gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def end(process: subprocess.Popen | None, *, grace: float = 10) -> None:
    """Stop a process we started: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# Redis -----------------------------------------------------------------------------------------


class Redis:
    """``redis-server`` on a free port, with nothing saved to disk; stopped and started again on
    the same port."""

    def __init__(self, workdir: Path):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise NotAvailable("redis-server is not installed (apt-get install redis-server)")
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"redis-{self.port}.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> float:
        started = time.monotonic()
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(  # noqa: S603 - the test's own server
                [*command, "--dir", str(self.workdir)], stdout=out, stderr=subprocess.STDOUT
            )
        wait_for(self.answers, timeout=15, what=f"Redis on port {self.port}")
        return time.monotonic() - started

    def stop(self) -> None:
        end(self.process)
        self.process = None
        wait_for(lambda: not self.answers(), timeout=10, what=f"Redis on port {self.port} to stop")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


# PostgreSQL ------------------------------------------------------------------------------------


def postgres_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    raise NotAvailable("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")


class Postgres:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port, with its socket
    there too. initdb refuses to run as root: as root the cluster belongs to the ``postgres`` user."""

    def __init__(self):
        self.bin = postgres_bin()
        self.as_root = os.geteuid() == 0
        if self.as_root and not shutil.which("runuser"):
            raise NotAvailable("running as root needs runuser to start PostgreSQL as the postgres user")
        self.home = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        if self.as_root:
            try:
                shutil.chown(self.home, user="postgres", group="postgres")
            except (LookupError, PermissionError) as exc:
                shutil.rmtree(self.home, ignore_errors=True)
                raise NotAvailable(f"no postgres user to own the cluster: {exc}") from exc
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self.port = free_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(  # noqa: S603 - the test's own cluster
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, check=True, cwd=self.home
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self) -> float:
        started = time.monotonic()
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30",
            "start",
        )  # fmt: skip
        return time.monotonic() - started

    def stop(self, mode: str = "fast") -> float:
        started = time.monotonic()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        return time.monotonic() - started

    def running(self) -> bool:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        status = subprocess.run(  # noqa: S603 - the test's own cluster
            [*prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            timeout=30,
            check=False,
        )
        return status.returncode == 0

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def destroy(self) -> None:
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.home, ignore_errors=True)


# The portal's processes --------------------------------------------------------------------------


class Portal:
    """The portal's processes, configured for the throwaway servers through the environment."""

    def __init__(self, *, database_url: str, broker_url: str, workdir: Path, **extra: str):
        self.workdir = workdir
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CELERY_", "DJANGO_", "PYTEST_")) and k not in ("DATABASE_URL", "CACHE_URL")
        }
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "TWO_FACTOR_ENFORCED": "false",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
            **extra,
        }
        self.processes: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = 120) -> str:
        """A management command (or ``-m module``), to its end; its output."""
        command = [sys.executable, *args] if args[0] == "-m" else [sys.executable, "manage.py", *args]
        result = subprocess.run(  # noqa: S603 - our own commands
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def _spawn(self, command: list[str], log: Path, **env: str) -> subprocess.Popen:
        with log.open("a") as out:
            process = subprocess.Popen(  # noqa: S603 - our own server processes
                command, cwd=ROOT, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def web(self) -> Web:
        port = free_port()
        log = self.workdir / f"web-{port}.log"
        command = [str(BIN / "gunicorn"), "schoolimprovement.wsgi", "--bind", f"127.0.0.1:{port}"]
        process = self._spawn([*command, "--workers", "1", "--timeout", "30", "--graceful-timeout", "2"], log)
        web = Web(process, port, log)
        wait_for(web.answers, timeout=60, what=f"the portal on port {port}")
        return web

    def worker(self, name: str, *, pool: str = "solo", **env: str) -> Worker:
        log = self.workdir / f"worker-{name}.log"
        command = [str(BIN / "celery"), "-A", "schoolimprovement", "worker", f"--pool={pool}", "--concurrency=1"]
        command += [f"--hostname={name}@faults", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
        worker = Worker(self._spawn(command, log, **env), log)
        wait_for(worker.ready, timeout=60, what=f"the worker {name} to be ready")
        return worker

    def stop(self) -> None:
        for process in reversed(self.processes):
            end(process)


class Web:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log
        self.base = f"http://127.0.0.1:{port}"

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"The portal exited:\n{self.log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"The worker exited:\n{self.text()}")
        return " ready." in self.text()

    def received(self, task: str) -> int:
        """How many times this worker was handed ``task``."""
        return sum(1 for line in self.text().splitlines() if f"Task {task}[" in line and "received" in line)

    def succeeded(self, task: str) -> int:
        return sum(1 for line in self.text().splitlines() if f"Task {task}[" in line and "succeeded" in line)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, exactly as the OOM killer does it."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
