"""What the portal keeps about running itself: jobs waiting for the background service."""

from django.db import models


class PendingJob(models.Model):
    """A background job that could not be handed to the broker when it was asked for (Redis
    down). It is kept here, so that nothing asked for is lost, and sent once the broker is back
    (``operations.jobs.send_pending``); ``sent_at`` records when, so that it is sent only once."""

    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Times it has been offered to the broker.")
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "job waiting for the background service"
        verbose_name_plural = "jobs waiting for the background service"
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="pendingjob_unsent_idx")
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%d %b %Y %H:%M}" if self.sent_at else "waiting"
        return f"{self.task} ({state})"
