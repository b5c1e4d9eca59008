"""`cchc escalate_feedback`: the parent units take over the overdue feedback (daily).

Run it once a day (cron, systemd timer or the process manager) after midnight; running it
again the same day changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cchc.feedback.services import feedback_escalate_overdue


class Command(BaseCommand):
    help = "Chuyển cấp trên xử lý các phản ánh, kiến nghị đã quá hạn trả lời."

    def handle(self, *args, **options):
        count = feedback_escalate_overdue()
        self.stdout.write(f"Đã chuyển cấp trên {count} phản ánh, kiến nghị quá hạn.")
