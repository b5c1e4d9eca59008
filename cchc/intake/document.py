"""What a reader makes of a file: numbered lines, some of them table rows.

Every reader (DOCX, PDF with a text layer, plain text) produces a `Document`; the
extractors only ever see this, so a plan reads the same whatever its format. Line
numbers are 1-based and are what the review page and the JSON's `source_line` cite.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.core.text import fold


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # as written, whitespace normalised; for a table row, the cells joined by " | "
    cells: tuple[str, ...] | None = None  # a table row's cells, as written
    table: int | None = None  # which table of the document the row belongs to (0, 1, …)

    @property
    def folded(self) -> str:
        """Lower-case, without diacritics: what matching reads (OCR text has none)."""
        return fold(self.text)

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@dataclass
class Document:
    lines: list[Line] = field(default_factory=list)
    source_name: str = ""
    kind: str = "text"  # "docx" | "pdf" | "text"

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def line(self, number: int) -> Line:
        return self.lines[number - 1]
