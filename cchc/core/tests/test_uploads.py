"""A school sends evidence: the server believes the bytes, not the name or the browser."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from docx import Document
from openpyxl import Workbook

from cchc.core.uploads import EvidenceFileField, UploadRefused, check_upload

NOT_ALLOWED = "Loại tệp không được phép. Chỉ nhận: PDF, Word, Excel, OpenDocument, ảnh PNG/JPG."
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Báo cáo kết quả CCHC quý I/2026")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["STT", "Nội dung"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


def ole2_bytes(stream: str) -> bytes:
    """Enough of a compound file for the sniffer: header and a directory entry name."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 512


def zip_with(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name, content, kind, content_type", [
    ("bao-cao.pdf", PDF, "pdf", "application/pdf"),
    ("Báo cáo.docx", docx_bytes(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Kế hoạch.xlsx", xlsx_bytes(), "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("anh-chup.png", png_bytes(), "png", "image/png"),
    ("anh-chup.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, "jpg", "image/jpeg"),
    ("cong-van-cu.doc", ole2_bytes("WordDocument"), "doc", "application/msword"),
    ("bang-cu.xls", ole2_bytes("Workbook"), "xls", "application/vnd.ms-excel"),
])
def test_real_files_are_accepted_with_the_type_their_content_proves(name, content, kind, content_type):
    # The browser's claim is ignored either way.
    info = check_upload(upload(name, content, content_type="text/html"))
    assert info.kind == kind
    assert info.content_type == content_type
    assert info.size == len(content)
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    assert info.safe_name.endswith(f".{kind}")


def test_the_stored_name_is_a_safe_slug_with_the_proven_extension():
    info = check_upload(upload("Báo cáo Đợt 1 (bản ký) .PDF", PDF))
    assert info.safe_name == "bao-cao-dot-1-ban-ky.pdf"
    assert check_upload(upload("....pdf", PDF)).safe_name == "tep.pdf"


@override_settings(CCHC_MAX_UPLOAD_BYTES=20 * 1024 * 1024)
def test_size_is_checked_first():
    big = upload("lon.exe", b"MZ" + b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(UploadRefused) as refused:
        check_upload(big)
    assert refused.value.message == "Tệp vượt quá dung lượng cho phép (20 MB)."


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="Tệp rỗng"):
        check_upload(upload("rong.pdf", b""))


@pytest.mark.parametrize("name, content", [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows program renamed
    ("bao-cao.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
    ("ke-hoach.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ("trang.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ("anh.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("bang.xlsx", b"\xef\xbb\xbf  <html><body>x</body></html>"),
    ("du-lieu.xml", b"<?xml version='1.0'?><a/>"),
    ("macro.docx", zip_with("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")),
    ("nen.zip", zip_with("a.txt")),  # archives only where a field asks for them
])
def test_executables_markup_macros_and_other_types_are_refused(name, content):
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, content))
    assert refused.value.message == NOT_ALLOWED


@pytest.mark.parametrize("name, content, extension", [
    ("bang.xlsx", b"STT,Noi dung\n1,Viec A\n", ".xlsx"),  # a CSV renamed
    ("bao-cao.docx", PDF, ".docx"),
    ("ke-hoach.xlsx", docx_bytes(), ".xlsx"),
    ("to-trinh.pdf", b"just text", ".pdf"),
    ("cu.doc", ole2_bytes("Workbook"), ".doc"),
    ("nen.docx", zip_with("a.txt"), ".docx"),
    ("hong.docx", b"PK\x03\x04" + b"\x00" * 100, ".docx"),
    ("anh.jpg", png_bytes(), ".jpg"),
])
def test_content_that_disagrees_with_the_extension_is_refused(name, content, extension):
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, content))
    assert refused.value.message == f"Nội dung tệp không khớp với phần mở rộng “{extension}”."


def test_a_field_can_narrow_the_kinds_and_the_message_follows():
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("anh.png", png_bytes()), allowed=("pdf",))
    assert refused.value.message == "Loại tệp không được phép. Chỉ nhận: PDF."
    assert check_upload(upload("ho-so.zip", zip_with("a.pdf")), allowed=("zip",)).kind == "zip"


class EvidenceForm(forms.Form):
    evidence = EvidenceFileField(label="Tài liệu kiểm chứng")


def test_the_form_field_shows_the_message_and_keeps_the_check_result():
    bad = EvidenceForm(data={}, files={"evidence": upload("bao-cao.pdf", b"<html></html>")})
    assert not bad.is_valid()
    assert bad.errors["evidence"] == [NOT_ALLOWED]

    good = EvidenceForm(data={}, files={"evidence": upload("Báo cáo.pdf", PDF)})
    assert good.is_valid(), good.errors
    info = good.cleaned_data["evidence"].upload_info
    assert (info.kind, info.safe_name) == ("pdf", "bao-cao.pdf")
    assert 'accept=".pdf,.docx' in str(good["evidence"])
