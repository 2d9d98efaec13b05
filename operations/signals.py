"""Receivers: a worker that starts sends the jobs that waited for the background service."""

import logging

from celery.signals import worker_ready
from django.db import connections

from operations import jobs

logger = logging.getLogger(__name__)


@worker_ready.connect
def send_waiting_jobs(sender=None, **kwargs):
    """Once a worker is ready, the broker is back: send what the outbox holds. A failure here
    (the database down as well) is logged and left to the periodic sweep; the worker starts."""
    try:
        jobs.send_pending()
    except Exception:  # the worker must start whatever the outbox's state
        logger.exception("The jobs waiting for the background service could not be sent at start")
    finally:
        connections.close_all()  # the worker's own process keeps no connection it does not use
