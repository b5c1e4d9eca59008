"""Benchmark: read and extract a ~30-page plan (DOCX, PDF with a text layer, plain text).

    .venv/bin/python bench/intake_speed.py [--runs 7]

The document is built from the five seed plans (../shared/seeds) one after the other:
their body as paragraphs and their appendix rows as real Word tables; the PDF is that
DOCX converted by LibreOffice, and its page count is printed. Times are the median of
`read_document` + `extract` over the runs.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from docx import Document as WordDocument  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from cchc.documents.pdf import docx_to_pdf, libreoffice_available  # noqa: E402
from cchc.intake.extract import extract  # noqa: E402
from cchc.intake.readers import read_document  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def build_docx(copies: int) -> bytes:
    word = WordDocument()
    for _ in range(copies):
        for path in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")):
            table = None
            for raw in path.read_text(encoding="utf-8").splitlines():
                if raw.count("\t") >= 2:
                    cells = raw.split("\t")
                    if table is None or len(table.columns) != len(cells):
                        table = word.add_table(rows=0, cols=len(cells))
                    row = table.add_row()
                    for cell, text in zip(row.cells, cells, strict=True):
                        cell.text = text.strip()
                    continue
                table = None
                if raw.strip():
                    word.add_paragraph(raw.strip().lstrip("#").replace("**", "").strip())
            word.add_page_break()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def timed(data: bytes, name: str, runs: int) -> tuple[float, int, int]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        draft = extract(read_document(data, name))
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), len(draft.indicators), len(draft.tasks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    docx = build_docx(copies=1)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")))
    rows = [("docx", docx, "plan.docx"), ("text", text.encode(), "plan.txt")]
    if libreoffice_available():
        pdf = docx_to_pdf(docx)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows.append(("pdf", pdf, "plan.pdf"))
        print(f"document: the five seeds in one file, {pages} pages as PDF")
    for kind, data, name in rows:
        seconds, indicators, tasks = timed(data, name, args.runs)
        print(f"{kind:5} {len(data) / 1024:7.0f} KB  read + extract: median {seconds * 1000:6.0f} ms "
              f"({indicators} indicators, {tasks} tasks)")


if __name__ == "__main__":
    main()
