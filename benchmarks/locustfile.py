"""The load run of ``benchmarks/pages.py``: LA officers in a council office, signed in, working
through the portal. The script starts locust with this file and passes what the users need in
the environment:

* ``BENCH_COOKIE``: the ``Cookie`` header of a signed-in officer's session (shared by the users);
* ``BENCH_URNS``: URNs of the schools whose pages they open (those on the priority list and
  others), comma-separated;
* ``BENCH_MEETING``: the board meeting whose agenda they read;
* ``BENCH_THINK``: the seconds each user waits between pages, ``min,max`` (default ``1,3``);
* ``BENCH_SKIP``: pages left out, comma-separated names of the functions below (``dashboard``).

Every request says ``X-Forwarded-Proto: https``, as the TLS-terminating proxy in front of the
portal would, and anything but a 200 (a redirect to the sign-in page included) is an error.
"""

from __future__ import annotations

import os
import random
from urllib.parse import urlencode

from locust import HttpUser, between

COOKIE = os.environ.get("BENCH_COOKIE", "")
URNS = [int(urn) for urn in os.environ.get("BENCH_URNS", "").split(",") if urn]
MEETING = int(os.environ.get("BENCH_MEETING", "0"))
THINK = tuple(float(seconds) for seconds in os.environ.get("BENCH_THINK", "1,3").split(","))
SKIP = set(os.environ.get("BENCH_SKIP", "").split(","))
HEADERS = {"Cookie": COOKIE, "X-Forwarded-Proto": "https"}
PHASES = ["", "Primary", "Primary", "Secondary", "Not applicable", "Nursery"]
SORTS = ["", "name", "la", "-inspected", "-pupils", "urn"]


def _get(user: HttpUser, path: str, name: str) -> None:
    with user.client.get(path, name=name, headers=HEADERS, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())


def school_page(user: Officer) -> None:
    _get(user, f"/schools/{user.rng.choice(URNS)}/", "school page")


def school_list(user: Officer) -> None:
    rng = user.rng
    query = {"phase": rng.choice(PHASES), "sort": rng.choice(SORTS)}
    if rng.random() < 0.2:  # a search by URN or by part of a name
        query["q"] = str(rng.choice(URNS)) if rng.random() < 0.5 else f"School {rng.randint(10, 99)}"
    page = rng.choice([1, 1, 1, 2, 3, rng.randint(1, 50)])
    if page > 1:
        query["page"] = str(page)
    _get(user, "/schools/?" + urlencode({k: v for k, v in query.items() if v}), "school list")


def home(user: Officer) -> None:
    _get(user, "/", "officer home")


def priority_list(user: Officer) -> None:
    _get(user, "/priority-list/", "priority list")


def board_agenda(user: Officer) -> None:
    _get(user, f"/board/meetings/{MEETING}/", "board agenda")


def dashboard(user: Officer) -> None:
    _get(user, "/dashboard/", "dashboard")


# Mostly school pages and the school list, then the home page, the priority list, the board's
# agenda and the dashboard, as an officer's day goes.
WEIGHTS = {school_page: 40, school_list: 25, home: 12, priority_list: 10, board_agenda: 8, dashboard: 5}


class Officer(HttpUser):
    wait_time = between(THINK[0], THINK[-1])
    tasks = {task: weight for task, weight in WEIGHTS.items() if task.__name__ not in SKIP}

    def on_start(self) -> None:
        # Each user its own generator: the choices are not a secret, only varied.
        self.rng = random.Random()  # noqa: S311 -- picks pages, not keys
