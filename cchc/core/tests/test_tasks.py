"""Notifications run in the background, and only for committed work."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cchc.core.tasks import notify_after_commit, send_notification_email


@pytest.mark.django_db(transaction=True)
def test_notification_is_sent_after_commit_and_not_after_rollback():
    with transaction.atomic():
        notify_after_commit(recipients=["hieutruong@xuanquan.edu.vn"], subject="Nhắc hạn",
                            body="Báo cáo quý I/2026 đến hạn ngày 05/03/2026.")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Nhắc hạn"]

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_after_commit(recipients=["x@y.vn"], subject="Không gửi", body="…")
        raise RuntimeError("rollback")
    assert [m.subject for m in mail.outbox] == ["Nhắc hạn"]


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_queued_tasks():
    """The real backend `make run` uses: enqueue into the database, the worker sends it."""
    db_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=db_tasks):  # django-tasks resets its backends on this
        result = send_notification_email.enqueue(
            recipients=["so@hungyen.edu.vn"], subject="Tổng hợp", body="Đã tổng hợp."
        )
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert [m.subject for m in mail.outbox] == ["Tổng hợp"]
