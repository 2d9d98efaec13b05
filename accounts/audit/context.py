"""Who is acting, and why, for the history rows written meanwhile.

A service runs ``as`` the person in its ``by`` argument (``@attributed``); a job or an import
runs as the person who started it, with a reason naming the job (``acting``). Outside both, the
signed-in user of the request is the actor (``simple_history``'s middleware).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True)
class Actor:
    user: Any = None
    reason: str | None = None


_ACTOR: ContextVar[Actor] = ContextVar("audit_actor", default=Actor())  # noqa: B039 - immutable default

Service = TypeVar("Service", bound=Callable[..., Any])


def current_actor() -> Actor:
    return _ACTOR.get()


@contextmanager
def acting(user=None, reason: str | None = None) -> Iterator[Actor]:
    """Attribute the history written inside the block to ``user`` (when given) with ``reason``
    (when given); what is not given is kept from any enclosing block."""
    outer = _ACTOR.get()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    actor = Actor(user if user is not None else outer.user, reason or outer.reason)
    token = _ACTOR.set(actor)
    try:
        yield actor
    finally:
        _ACTOR.reset(token)


def attributed(service: Service) -> Service:
    """Run a service as the person in its ``by`` keyword argument, so that what it writes is
    attributed to them whether it is called from a page, a task, a command or a test."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        with acting(kwargs.get("by")):
            return service(*args, **kwargs)

    return run  # type: ignore[return-value]
