"""Issue an API token for a user and print it once: `cchc api_token USERNAME --name …`."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.errors import DomainError
from cchc.orgs.services_tokens import api_token_issue


class Command(BaseCommand):
    help = "Cấp mã truy cập API cho một người dùng. Mã chỉ được in ra một lần; hệ thống chỉ lưu mã băm."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập của người dùng mà mã đại diện.")
        parser.add_argument("--name", required=True, help="Tên gọi của mã, ví dụ “tích hợp một cửa”.")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Số ngày có hiệu lực (mặc định: không hết hạn).",
        )

    def handle(self, *args, username, name, expires_days, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng “{username}”.") from None
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days phải là số nguyên dương.")
        expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days is not None else None
        try:
            # Run by the operator on the server: no acting user (actor=None in the audit).
            token, plaintext = api_token_issue(actor=None, user=user, name=name, expires_at=expires_at)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Đã cấp mã “{token.name}” ({token.prefix}…) cho {username}. "
            "Hãy lưu lại ngay: mã không hiển thị lại."
        )
        self.stdout.write(plaintext)
