"""Background tasks of reporting (django-tasks; the database worker runs them)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_reminder(*, reminder_id: int) -> str:
    """Send one claimed reminder e-mail; a no-op unless the row is still pending."""
    return reminders.reminder_send(reminder_id=reminder_id)
