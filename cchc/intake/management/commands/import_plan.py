"""Read a plan file and show what the importer proposes: `cchc import-plan FILE [--json]`.

Nothing is saved: this is the importer's dry run, and `--json` prints the contract the
review page and the API use (see `cchc.intake.draft`).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.intake.extract import extract
from cchc.intake.readers import check_size, ensure_plan, read_document

MISSING = "—"


class Command(BaseCommand):
    help = "Read a plan (.docx, .pdf with a text layer, .txt) and print the proposed plan."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan file: .docx, .pdf or .txt")
        parser.add_argument("--json", action="store_true", help="print the JSON contract")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp “%(path)s”.") % {"path": file})
        try:
            check_size(path.stat().st_size)  # before reading a byte of a huge file
            document = read_document(path.read_bytes(), path.name)
            ensure_plan(document)
            draft = extract(document)
        except DomainError as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(_("Không đọc được tệp “%(path)s”.") % {"path": file}) from error

        if options["json"]:
            self.stdout.write(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
            return
        self._write_summary(document, draft)

    def _write_summary(self, document, draft):
        plan = draft.plan
        write = self.stdout.write
        write(_("Tệp: %(name)s (%(kind)s, %(count)d dòng)")
              % {"name": document.source_name, "kind": document.kind, "count": len(document.lines)})
        write(_("Tiêu đề: %(value)s") % {"value": plan.title or MISSING})
        write(_("Cơ quan ban hành: %(value)s") % {"value": plan.issuer or MISSING})
        symbol = " ".join(part for part in (plan.number, plan.symbol) if part)
        write(_("Số, ký hiệu: %(value)s") % {"value": symbol or MISSING})
        write(_("Địa danh, ngày: %(place)s, %(date)s")
              % {"place": plan.place or MISSING, "date": _date(plan.date)})
        write(_("Loại kế hoạch: %(value)s") % {"value": plan.kind or MISSING})
        write(_("Thời gian thực hiện: %(start)s – %(end)s")
              % {"start": _date(plan.period_start), "end": _date(plan.period_end)})
        for text in plan.implements:
            write(_("Thực hiện: %(value)s") % {"value": text})
        write(_("Chỉ tiêu: %(count)d") % {"count": len(draft.indicators)})
        write(_("Nhiệm vụ: %(count)d") % {"count": len(draft.tasks)})
        write(_("Chế độ báo cáo: %(count)d") % {"count": len(draft.reporting)})
        for rule in draft.reporting:
            write(_("  - %(period)s, hạn %(due)s: %(text)s")
                  % {"period": rule.period, "due": rule.due or MISSING, "text": rule.text})


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else MISSING
