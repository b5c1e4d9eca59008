"""Low-level WordprocessingML touches that python-docx has no API for.

Kept apart from `official.py` so the layout there reads as the decree does, and so the
reports and letters built later can reuse the same few XML tricks.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
_TWIPS_PER_CM = 567


def twips(cm: float) -> str:
    return str(round(cm * _TWIPS_PER_CM))


def set_run_font(run, *, size: float, bold: bool = False, italic: bool = False,
                 underline: bool = False) -> None:
    """Times New Roman on every script slot: Word picks `eastAsia`/`cs` for some
    Vietnamese letters, and a missing slot silently falls back to another font."""
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.underline = underline
    set_rfonts(run._element.get_or_add_rPr())


def set_rfonts(rpr) -> None:
    rfonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


def set_language(rpr, lang: str = "vi-VN") -> None:
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    _put(rpr, el, _R_PR)


# Schema order of the children we touch (ECMA-376 part 1, §17): Word refuses a file
# whose property elements are out of order, so every insert goes through `_put`.
_TBL_PR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
           "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
           "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
_TC_PR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
          "textDirection", "tcFitText", "vAlign", "hideMark")
_P_PR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
         "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
         "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
         "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
         "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
         "rPr", "sectPr", "pPrChange")
_SECT_PR = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
            "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
            "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
_R_PR = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
         "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
         "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
         "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
         "specVanish", "oMath")


def _put(parent, new, order: tuple[str, ...]) -> None:
    """Replace `parent`'s child of `new`'s tag, keeping the schema order."""
    tag = new.tag
    old = parent.find(tag)
    if old is not None:
        parent.remove(old)
    local = tag.split("}")[1]
    successors = {qn(f"w:{name}") for name in order[order.index(local) + 1:]}
    for index, child in enumerate(parent):
        if child.tag in successors:
            parent.insert(index, new)
            return
    parent.append(new)


def _table_pr(table):
    return table._tbl.tblPr


def set_table_borders(table, *, visible: bool, size_eighths: int = 4) -> None:
    """All borders single `size_eighths`/8 pt, or none (for layout tables)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if visible:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size_eighths))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    _put(_table_pr(table), borders, _TBL_PR)


def set_cell_margins(table, *, left_cm: float, right_cm: float, top_cm: float = 0,
                     bottom_cm: float = 0) -> None:
    mar = OxmlElement("w:tblCellMar")
    for edge, cm in (("top", top_cm), ("left", left_cm), ("bottom", bottom_cm), ("right", right_cm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), twips(cm))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _put(_table_pr(table), mar, _TBL_PR)


def set_column_widths(table, widths_cm: list[float]) -> None:
    """Fixed layout with explicit grid and cell widths: Word reads the cells,
    LibreOffice the grid, so both are written."""
    table.autofit = False
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), twips(sum(widths_cm)))
    tbl_w.set(qn("w:type"), "dxa")
    _put(_table_pr(table), tbl_w, _TBL_PR)
    for column, cm in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(cm)
    for row in table.rows:
        offset = 0
        for tc in row._tr.tc_lst:  # a merged cell is as wide as the columns it spans
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[offset:offset + span]))
            offset += span


def mark_header_row(row) -> None:
    """`w:tblHeader`: Word and LibreOffice repeat this row at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_row_on_one_page(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def set_cell_vertical_center(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), "center")
    _put(tc_pr, v, _TC_PR)


def add_rule(paragraph: Paragraph, *, width_cm: float, container_cm: float) -> None:
    """Turn an empty paragraph into a centred solid line `width_cm` long.

    A bottom border on a paragraph indented from both sides: the line the decree asks
    for under the issuer's name and the summary, drawn without shapes, so it renders
    the same in Word, LibreOffice and the PDF.
    """
    side = max(0.0, (container_cm - width_cm) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(4)  # exact: the line sits just under the text above
    shrink_paragraph_mark(paragraph)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    _put(p_pr, borders, _P_PR)


def shrink_paragraph_mark(paragraph: Paragraph, size_pt: float = 1) -> None:
    """An empty paragraph is as tall as its mark's font; make it negligible."""
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        _put(p_pr, r_pr, _P_PR)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(round(size_pt * 2)))
    _put(r_pr, sz, _R_PR)


def add_page_number_field(paragraph: Paragraph, *, size: float) -> None:
    """A PAGE field, so the printed number is computed by the reader, not by us."""
    def field_char(kind: str):
        run = paragraph.add_run()
        set_run_font(run, size=size)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._element.append(el)
        return run

    field_char("begin")
    instr_run = paragraph.add_run()
    set_run_font(instr_run, size=size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run._element.append(instr)
    field_char("separate")
    shown = paragraph.add_run("1")
    set_run_font(shown, size=size)
    field_char("end")


def restart_page_numbers(section, start: int = 1) -> None:
    el = OxmlElement("w:pgNumType")
    el.set(qn("w:start"), str(start))
    _put(section._sectPr, el, _SECT_PR)
