"""`cchc generate`: load the demo province, or a national-scale tree for benchmarks.

cchc generate                               # the demo province and its plans (no-op when loaded)
cchc generate --scale national              # 63 → 34 provinces, ~50,000 schools
cchc generate --scale national --schools 2000 --skip-users
cchc generate --scale national --dossiers 5000000   # plus 5 million dossiers (one-stop desk)
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: tỉnh mẫu Hưng Yên (mặc định) hoặc cây đơn vị toàn quốc."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="demo: tỉnh mẫu; national: toàn quốc (63 → 34 tỉnh).",
        )
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--schools",
            type=int,
            default=50_000,
            help="Số trường học (chỉ với --scale national).",
        )
        parser.add_argument(
            "--skip-users", action="store_true", help="Không tạo người dùng (--scale national)."
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=0,
            help="Số hồ sơ một cửa (chỉ với --scale national; trên cây toàn quốc đã có thì chỉ thêm hồ sơ).",
        )

    def handle(self, *args, scale, seed, schools, skip_users, dossiers, **options):
        if scale == "demo":
            self._demo(seed)
        elif dossiers and OrgUnit.objects.filter(kind="ministry").exists():
            self._national_dossiers(seed=seed, total=dossiers)
        else:
            self._national(seed=seed, schools=schools, skip_users=skip_users)
            if dossiers:
                self._national_dossiers(seed=seed, total=dossiers)

    def _demo(self, seed: int) -> None:
        from cchc.dossiers.demo import load_demo as load_dossiers_demo
        from cchc.feedback.demo import load_demo as load_feedback_demo
        from cchc.orgs.demo.province import DEMO_PASSWORD, build_demo, users_table
        from cchc.plans.demo import build_plans_demo
        from cchc.reporting.demo import build_reporting_demo

        if OrgUnit.objects.exists():
            self.stdout.write("Dữ liệu mẫu đã có, bỏ qua.")
            return
        started = time.perf_counter()
        with transaction.atomic():  # the province and its year of plans, or nothing
            demo = build_demo(seed=seed)
            elapsed = time.perf_counter() - started
            plans = build_plans_demo(seed=seed)
            reporting = build_reporting_demo(seed=seed)
            dossiers = load_dossiers_demo(seed=seed)
            feedback = load_feedback_demo(seed=seed)
        units = OrgUnit.objects.count()
        schools = OrgUnit.objects.filter(kind="school").count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo tỉnh mẫu “{demo.department.name}”: {units} đơn vị, {schools} trường, "
                f"{len(demo.district_offices)} phòng GD&ĐT (giải thể 30/06/2025), "
                f"{len(demo.commune_offices)} xã, phường (từ 01/07/2025) — {elapsed:.1f} giây."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Người dùng mẫu (mật khẩu: {DEMO_PASSWORD}):")
        self.stdout.write("")
        self.stdout.write("| Tên đăng nhập | Họ và tên | Vai trò | Đơn vị |")
        self.stdout.write("|---|---|---|---|")
        for username, full_name, role, unit in users_table(demo.usernames):
            self.stdout.write(f"| `{username}` | {full_name} | {role} | {unit} |")
        if any(part is not None for part in (plans, reporting, dossiers, feedback)):
            self.stdout.write("")
        if dossiers is not None:
            self.stdout.write(dossiers.line())
        if feedback is not None:
            self.stdout.write(feedback.line())
        # The plans line stays last: cchc/plans/tests/test_demo.py reads the output's last line.
        if reporting is not None:
            self.stdout.write(reporting.line())
        if plans is not None:
            self.stdout.write(plans.line())

    def _national(self, *, seed: int, schools: int, skip_users: bool) -> None:
        from cchc.orgs.demo.national import build_national

        if OrgUnit.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có đơn vị; chỉ tạo dữ liệu toàn quốc trên cơ sở dữ liệu trống."
            )
        if schools < 100:
            raise CommandError("Cần ít nhất 100 trường (--schools).")
        build_national(seed=seed, schools=schools, with_users=not skip_users, log=self.stdout.write)

    def _national_dossiers(self, *, seed: int, total: int) -> None:
        from cchc.dossiers.generate import generate_national

        generate_national(total=total, seed=seed, log=self.stdout.write)
