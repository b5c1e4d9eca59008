"""Seeds 001 and 003 as Word files (built here with python-docx): the body as paragraphs,
the appendix as a real table — a header row, group rows whose title is merged across the
row, task rows. Read by `cchc.intake.readers.read_document`, they must give the same
tasks as the gold of the text seeds (precision and recall ≥ 0.95, and the fields).

Seed 001 is built twice: as pasted from a printed plan (one table per page, the header
repeated, a task's cells broken over the page break into a second row), and as a Word
author would keep it (one table, each task in one row).
"""

from __future__ import annotations

import io

import pytest

from .test_tasks_quality import FIELDS, SEEDS, gold_tasks, measure, seed_path

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")

docx = pytest.importorskip("docx")


def _read_document():
    try:
        from cchc.intake.readers import read_document
    except ImportError:
        pytest.skip("cchc.intake.readers has not landed yet")
    return read_document


def _is_header(cells: list[str]) -> bool:
    return cells[0].strip().upper() in ("STT", "TT")


def _is_group(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells[2:]) and bool(cells[0].strip())


def _pages(key: str) -> list[list[str] | list[list[str]]]:
    """The seed as a list of paragraphs (str) and tables (lists of rows of cells), a
    table per run of TAB lines (blank lines and a few debris lines inside it are the page
    breaks: the rows after them start a new table, as when pasted from a printed plan)."""
    parts: list = []
    table: list[list[str]] | None = None
    for raw in seed_path(key).read_text(encoding="utf-8").split("\n"):
        if "\t" in raw:
            cells = [" ".join(c.split()) for c in raw.split("\t")]
            if table is None or (_is_header(cells) and table):
                table = []
                parts.append(table)
            table.append(cells)
            continue
        text = " ".join(raw.replace("**", "").lstrip("#").split())
        if text:
            parts.append(text)
            if table is not None:
                # Prose ends the table; page debris (seed 003's stamp) splits it: the
                # rows after it are a second table, without the header.
                table = None
    return parts


def _one_table(parts: list) -> list:
    """The pages' tables joined into one, the header once, each broken task's rows
    joined cell by cell (the Word original before printing)."""
    out: list = []
    table: list[list[str]] | None = None
    for part in parts:
        if isinstance(part, str):
            if table is None or len(part) > 20:
                out.append(part)
            continue  # page debris between the pages of the table
        if table is None:
            table = [part[0]]
            out.append(table)
        for cells in part:
            if _is_header(cells):
                continue
            if not cells[0].strip() and any(c.strip() for c in cells) and table[-1] and len(table) > 1 \
                    and not _is_group(table[-1]) and not (cells[1] and cells[1][:1].isupper()):
                table[-1] = [f"{a} {b}".strip() for a, b in zip(table[-1], cells, strict=False)]
                continue
            table.append(cells)
    return out


def _build(parts: list) -> bytes:
    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        columns = len(part[0])
        table = document.add_table(rows=0, cols=columns)
        for cells in part:
            cells = (cells + [""] * columns)[:columns]
            row = table.add_row()
            if _is_group(cells) and not _is_header(cells):
                if cells[1].strip():  # "I | Công tác chỉ đạo…": the title merged over the rest
                    row.cells[0].text = cells[0]
                    merged = row.cells[1].merge(row.cells[-1])
                    merged.text = cells[1]
                else:  # "VI. Cải cách tài chính công" across the whole row
                    merged = row.cells[0].merge(row.cells[-1])
                    merged.text = cells[0]
                continue
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _check(key: str, data: bytes) -> None:
    document = _read_document()(data, f"seed_{key}.docx")
    result = measure(key, document)
    gold = gold_tasks(key)
    assert result["precision"] >= 0.95, result["extra"]
    assert result["recall"] >= 0.95, result["missed"]
    for name in FIELDS:
        if any(task.get(name) for task in gold):
            assert result["fields"][name] >= 0.9, (name, result["wrong"][name][:5])


def test_seed_001_pasted_from_print_one_table_per_page():
    parts = _pages("001")
    assert sum(isinstance(p, list) for p in parts) == 5  # the five pages of the appendix
    _check("001", _build(parts))


def test_seed_001_as_one_table():
    parts = _one_table(_pages("001"))
    assert sum(isinstance(p, list) for p in parts) == 1
    _check("001", _build(parts))


def test_seed_003_with_its_group_rows_merged_and_split_by_page_debris():
    parts = _pages("003")
    assert sum(isinstance(p, list) for p in parts) == 2  # the stamp's debris splits it
    _check("003", _build(parts))
