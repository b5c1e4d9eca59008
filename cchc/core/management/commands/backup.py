"""`cchc backup ARCHIVE`: the database and the uploaded files in one .tar.gz.

Run it daily on small installations (see docs/operations-backup.md); large PostgreSQL
installations add --pg-dump, or back up with pg_dump -Fc and rsync of MEDIA_ROOT.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.backup import backup_create
from cchc.core.errors import DomainError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="Tệp sao lưu cần ghi (mặc định: cchc-backup-<ngày giờ>.tar.gz trong thư mục hiện tại).",
        )
        parser.add_argument(
            "--pg-dump",
            action="store_true",
            help="PostgreSQL: dùng pg_dump (định dạng custom) thay cho bản xuất của Django; nhanh hơn "
            "nhiều với cơ sở dữ liệu lớn.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(options["archive"] or f"cchc-backup-{stamp}.tar.gz")
        try:
            manifest = backup_create(path=path, use_pg_dump=options["pg_dump"], using=options["database"])
        except DomainError as error:
            raise CommandError(error.message) from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["media"])
        size = path.stat().st_size
        self.stdout.write(
            f"Đã sao lưu {rows} bản ghi ({len(manifest['counts'])} bảng, "
            f"{manifest['database']['method']}) và {files} tệp vào {path} ({size / 1024 / 1024:.1f} MB)."
        )
