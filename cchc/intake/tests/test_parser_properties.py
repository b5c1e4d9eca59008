"""Plan intake under any input: whatever bytes arrive under whatever name, the reader
gives a Document or a Vietnamese refusal, never a traceback; whatever text a plan holds,
the extractors give a draft; the target reader keeps the numbers it is given."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.errors import DomainError
from cchc.intake.extract import extract
from cchc.intake.extract.indicators import fold_aligned, targets
from cchc.intake.readers import read_document
from cchc.intake.scoring import document_from_text

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True, database=None)

SIGNATURES = [b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"MZ", b"\xef\xbb\xbf",
              b"\xff\xfe", b"<html>"]
NAMES = ["kehoach.docx", "kehoach.pdf", "kehoach.txt", "kehoach", "kehoach.doc", "kehoach.exe",
         "KE HOACH.PDF"]
PLAN_WORDS = ["KẾ HOẠCH", "Số: 12/KH-SGDĐT", "I. MỤC ĐÍCH, YÊU CẦU", "STT\tNội dung\tThời gian", "Quý I/2026",
              "đạt 100%", "tối thiểu 2 lần", "Phòng GD&ĐT", "Báo cáo 6 tháng đầu năm trước ngày 15/6",
              "=HYPERLINK(\"x\")", "\x00", "\t\t", "- ", "1.", "a)"]


@pytest.fixture(autouse=True)
def small_upload_limit(settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 64 * 1024


@BOUNDED
@given(st.sampled_from(SIGNATURES), st.binary(max_size=2048), st.sampled_from(NAMES))
def test_any_bytes_under_any_name_are_read_or_refused_in_words(signature, tail, name):
    try:
        document = read_document(signature + tail, name)
    except DomainError as error:
        assert error.code in {"empty", "too_large", "mismatch", "encrypted", "corrupted", "scanned",
                              "unsupported"}
        assert error.message
    else:
        assert document.lines


lines = st.lists(st.sampled_from(PLAN_WORDS) | st.text(max_size=40), max_size=25)


@BOUNDED
@given(lines)
def test_any_text_gives_a_draft(parts):
    text = "\n".join(parts)
    draft = extract(document_from_text(text, "kehoach.txt"))
    assert draft.plan is not None
    assert isinstance(draft.tasks, list) and isinstance(draft.indicators, list)


@BOUNDED
@given(lines)
def test_text_read_as_a_txt_upload_gives_a_draft_or_a_refusal(parts):
    try:
        document = read_document("\n".join(parts).encode("utf-8"), "kehoach.txt")
    except DomainError as error:
        assert error.code in {"empty", "unsupported"}
        return
    assert extract(document) is not None


@BOUNDED
@given(st.text())
def test_folding_keeps_every_position(text):
    """Targets are cut out of the original sentence at the folded match's positions."""
    assert len(fold_aligned(text)) == len(text)


@BOUNDED
@given(st.text(max_size=120))
def test_targets_of_any_sentence_are_well_formed(sentence):
    for comparator, value, unit in targets(sentence):
        assert comparator in {">=", ">", "<=", "<", "="}
        assert isinstance(value, Decimal) and value >= 0
        assert unit == "%" or unit in sentence


@BOUNDED
@given(st.integers(0, 100), st.sampled_from(["đạt từ {n}% trở lên", "dat tu {n}% tro len", "đạt {n}%",
                                              "ĐẠT TỪ {n}% TRỞ LÊN"]))
def test_a_percentage_target_keeps_its_number(n, wording):
    sentence = "Tỷ lệ hồ sơ giải quyết đúng hạn " + wording.format(n=n) + "."
    assert targets(sentence) == [(">=", Decimal(n), "%")]


@BOUNDED
@given(st.integers(0, 100), st.integers(0, 9))
def test_a_decimal_percentage_with_a_comma_keeps_its_value(whole, tenth):
    sentence = f"Tỷ lệ hài lòng đạt tối thiểu {whole},{tenth}% trở lên."
    assert targets(sentence) == [(">=", Decimal(f"{whole}.{tenth}"), "%")]
