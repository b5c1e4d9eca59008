"""Print a metric's value: `cchc metric orgs.schools_open HY "Quý I/2025"`, or `--list`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.metrics import registry
from cchc.metrics.periods import parse_period
from cchc.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Print the value of a metric for a unit and a period, or list the metrics."

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="?", help="metric key, e.g. orgs.schools_open")
        parser.add_argument("unit_code", nargs="?", help="unit code, e.g. HY")
        parser.add_argument("period", nargs="?", help='period, e.g. "Quý I/2025" or 2025-Q1')
        parser.add_argument("--list", action="store_true", help="list the registered metrics")
        parser.add_argument(
            "--children", action="store_true", help="also print each child unit's value"
        )

    def handle(self, *args, key=None, unit_code=None, period=None, **options):
        if options["list"]:
            for metric in registry.all_metrics():
                self.stdout.write(
                    f"{metric.key}\t{metric.label} ({metric.unit}, {metric.kind})"
                )
            return
        if not (key and unit_code and period):
            raise CommandError(_("Cần mã chỉ số, mã đơn vị và kỳ báo cáo, hoặc --list."))
        try:
            metric = registry.get(key)
            parsed = parse_period(period)
        except DomainError as error:
            raise CommandError(error.message) from error
        code = unit_code.strip()
        unit = (
            OrgUnit.objects.filter(code=code).first()
            or OrgUnit.objects.filter(code__iexact=code).order_by("pk").first()
        )
        if unit is None:
            raise CommandError(_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": unit_code})

        value = registry.value_for(metric.key, unit, parsed)
        self.stdout.write(f"{metric.label} — {unit.name} ({unit.code})")
        self.stdout.write(
            _("Kỳ: %(label)s (%(start)s – %(end)s)")
            % {
                "label": parsed.label,
                "start": parsed.start.strftime("%d/%m/%Y"),
                "end": parsed.end.strftime("%d/%m/%Y"),
            }
        )
        self._write_value(metric, value)
        if options["children"]:
            for child, child_value in registry.values_for_children(metric.key, unit, parsed):
                shown = (
                    child_value.display() if child_value.available else child_value.reason
                )
                self.stdout.write(f"  {child.code}\t{child.name}\t{shown}")

    def _write_value(self, metric, value):
        if not value.available:
            self.stdout.write(_("Không có số liệu: %(reason)s") % {"reason": value.reason})
            return
        unit = "" if metric.unit == "%" else f" {metric.unit}"
        self.stdout.write(_("Giá trị: %(value)s") % {"value": value.display() + unit})
        self.stdout.write(
            _("Tử số: %(value)s") % {"value": registry.format_value(value.numerator)}
        )
        self.stdout.write(
            _("Mẫu số: %(value)s") % {"value": registry.format_value(value.denominator)}
        )
