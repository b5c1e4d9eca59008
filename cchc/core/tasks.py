"""Background work through the Django tasks API (django-tasks backport, database backend).

Services never send mail inline: they call `notify_after_commit`, which enqueues the
task only once the transaction has committed (a rolled-back action notifies nobody).
`make run` starts the worker (`cchc db_worker`); tests run tasks immediately.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification_email(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; returns the number of messages sent."""
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_after_commit(*, recipients: list[str], subject: str, body: str) -> None:
    transaction.on_commit(
        lambda: send_notification_email.enqueue(
            recipients=list(recipients), subject=subject, body=body
        )
    )
