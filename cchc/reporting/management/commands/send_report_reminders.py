"""`cchc send_report_reminders [--date YYYY-MM-DD]`: claim and enqueue today's reminders.

Run it once a day (cron or a systemd timer); running it again the same day sends
nothing twice. The e-mails themselves go out from the task worker (`cchc db_worker`).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.reporting.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Nhắc các đơn vị chưa gửi báo cáo định kỳ (trước và sau hạn gửi), mỗi lần nhắc một lần."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {date!r} (cần YYYY-MM-DD).") from exc
        count = send_due_reminders(today)
        self.stdout.write(f"Đã đưa {count} thư nhắc vào hàng đợi.")
