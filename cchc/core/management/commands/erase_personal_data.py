"""`cchc erase_personal_data`: erase a citizen's personal data from a closed case.

    cchc erase_personal_data --user admin --dossier HY-VG-251008-0001 --reason "Đơn đề nghị ngày …"
    cchc erase_personal_data --user admin --feedback PA-7K3M9Q --reason "…"

`--user` names the system administrator who takes the decision (recorded in the audit
trail). The rules are those of `cchc.core.privacy` and the apps' erase services: an open
case is refused and nothing changes; the statistics are kept.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.core.errors import DomainError


class Command(BaseCommand):
    help = "Xóa dữ liệu cá nhân của công dân trong một hồ sơ hoặc phản ánh đã kết thúc (giữ thống kê)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--dossier", metavar="CODE", help="Mã hồ sơ.")
        target.add_argument("--feedback", metavar="CODE", help="Mã phản ánh, kiến nghị.")
        parser.add_argument(
            "--reason", required=True, help="Lý do (đề nghị của công dân, số và ngày văn bản)."
        )
        parser.add_argument(
            "--user", required=True, metavar="USERNAME", help="Tên đăng nhập của quản trị hệ thống thực hiện."
        )

    def handle(self, *args, **options):
        from cchc.dossiers.models import Dossier
        from cchc.dossiers.services_privacy import dossier_personal_data_erase
        from cchc.feedback.models import Feedback
        from cchc.feedback.services_privacy import feedback_personal_data_erase

        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng “{options['user']}”.")
        try:
            if options["dossier"]:
                dossier = Dossier.objects.filter(code=options["dossier"].strip()).first()
                if dossier is None:
                    raise CommandError(f"Không có hồ sơ mã “{options['dossier']}”.")
                dossier_personal_data_erase(actor=actor, dossier=dossier, reason=options["reason"])
                code = dossier.code
            else:
                feedback = Feedback.objects.filter(code=options["feedback"].strip()).first()
                if feedback is None:
                    raise CommandError(f"Không có phản ánh mã “{options['feedback']}”.")
                feedback_personal_data_erase(actor=actor, feedback=feedback, reason=options["reason"])
                code = feedback.code
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Đã xóa dữ liệu cá nhân của {code}; số liệu thống kê giữ nguyên.")
