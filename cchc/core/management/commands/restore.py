"""`cchc restore ARCHIVE`: restore a `cchc backup` archive onto an empty installation.

The archive is checked in full (SHA-256 of every file) before anything is written; the
database is loaded in one transaction. --force replaces the data of a database that is not
empty (see docs/operations-backup.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.backup import backup_restore
from cchc.core.errors import DomainError


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu của cchc vào một cài đặt trống."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz do `cchc backup` tạo.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Khôi phục cả khi cơ sở dữ liệu đã có đơn vị hoặc tài khoản: TOÀN BỘ dữ liệu hiện có bị "
            "xóa và thay bằng dữ liệu của bản sao lưu; tệp trong MEDIA_ROOT trùng tên bị ghi đè, các tệp "
            "khác giữ nguyên.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            summary = backup_restore(
                path=Path(options["archive"]), force=options["force"], using=options["database"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        created = timezone.localtime(dt.datetime.fromisoformat(summary.created_at))
        self.stdout.write(
            f"Đã khôi phục bản sao lưu tạo lúc {created:%H:%M %d/%m/%Y} (cchc {summary.cchc_version}, "
            f"{summary.source_vendor}, {summary.method}): {summary.rows} bản ghi trong {summary.models} "
            f"bảng, số bản ghi từng bảng khớp bản sao lưu; {summary.files} tệp "
            f"({summary.bytes / 1024:.0f} KB), mã SHA-256 từng tệp đã kiểm tra."
        )
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write("Mọi người cần đăng nhập lại (phiên đăng nhập không được sao lưu).")
