"""cchc plan_tallies --rebuild [PLAN_ID …]: recount the dashboard tallies from the tasks.

Needed only after tasks were changed with raw SQL (an import run outside the services, a
restore of a partial backup); the services keep the tallies in step themselves.
"""

from django.core.management.base import BaseCommand, CommandError

from cchc.plans import tallies
from cchc.plans.models import Plan


class Command(BaseCommand):
    help = "Đếm lại số liệu tổng hợp nhiệm vụ của các kế hoạch (bảng điều khiển)."

    def add_arguments(self, parser):
        parser.add_argument("plan_ids", nargs="*", type=int, help="mã kế hoạch gốc (mặc định: tất cả)")
        parser.add_argument("--rebuild", action="store_true", help="đếm lại từ các nhiệm vụ")

    def handle(self, *args, plan_ids, rebuild, **options):
        if not rebuild:
            raise CommandError("Hãy dùng --rebuild để đếm lại.")
        roots = Plan.objects.filter(parent__isnull=True)
        if plan_ids:
            roots = roots.filter(pk__in=plan_ids)
            missing = set(plan_ids) - set(roots.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"Không có kế hoạch gốc mã {', '.join(map(str, sorted(missing)))}.")
        for plan in roots.order_by("pk"):
            count = tallies.rebuild(plan.pk)
            self.stdout.write(f"{plan.pk}\t{count} nhiệm vụ\t{plan.title}")
