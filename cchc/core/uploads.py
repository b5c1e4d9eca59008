"""What an uploaded file really is, decided from its bytes.

Evidence, reports and imports arrive from thousands of schools. The name and the
browser's content type are whatever the sender's machine says, so neither is trusted:
the size is checked first, then the content's signature (and, for Office files, the
parts inside the zip), and the name's extension must agree with what was found.
Executables, scripts, HTML, SVG and XML are refused whatever they are called, because
a browser opening them from our domain would run them.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.core.text import fold

DEFAULT_ALLOWED = ("pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "png", "jpg")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "zip": "application/zip",
}
# How the refusal names the kinds a field accepts, in this order.
_LABELS = (
    (("pdf",), "PDF"),
    (("doc", "docx"), "Word"),
    (("xls", "xlsx"), "Excel"),
    (("odt", "ods"), "OpenDocument"),
    (("zip",), "ZIP"),
)
_EXTENSION_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_DANGEROUS_PREFIXES = (
    b"MZ",  # Windows executables and DLLs
    b"\x7fELF",
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",
)
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b", re.I)
_HEAD_BYTES = 4096
_CHUNK = 1024 * 1024


class UploadRefused(DomainError):
    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class UploadInfo:
    kind: str  # the extension the content proved: "pdf", "docx", …
    content_type: str  # from `kind`, never from the browser
    size: int
    sha256: str
    safe_name: str  # ASCII slug of the original name with the proven extension


def allowed_label(allowed) -> str:
    """"PDF, Word, Excel, ảnh PNG/JPG" for the kinds in `allowed`."""
    parts = [label for kinds, label in _LABELS if any(k in allowed for k in kinds)]
    images = [k.upper() for k in ("png", "jpg") if k in allowed]
    if images:
        parts.append(_("ảnh %(kinds)s") % {"kinds": "/".join(images)})
    return ", ".join(parts)


def _megabytes(size: int) -> str:
    value = size / 2**20
    return f"{value:.0f}" if value >= 1 and value == int(value) else f"{value:.1f}".replace(".", ",")


def _extension(name: str) -> str:
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    return _EXTENSION_ALIASES.get(suffix, suffix)


def safe_name_for(name: str, kind: str) -> str:
    """"Báo cáo quý I/2026 (bản ký).PDF" → "bao-cao-quy-i-2026-ban-ky.pdf"."""
    stem = PurePath((name or "").replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    slug = slugify(fold(stem))[:100].strip("-_") or "tep"
    return f"{slug}.{kind}"


def _ole2_kind(data: bytes) -> str | None:
    """Word 97–2003 and Excel 97–2003 are both OLE2 containers; the stream names in the
    directory tell them apart (UTF-16LE). An encrypted .docx/.xlsx is OLE2 too."""
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


def _zip_kind(uploaded) -> str | None:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "macro"  # .docm/.xlsm renamed: macros run on the reader's machine
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    return "zip"


def sniff(uploaded, head: bytes, data_for_ole2) -> str | None:
    """The kind of content: an allowed kind, "dangerous", "macro" or None (unknown)."""
    # Known binary signatures first: an Office zip may hold "<?xml" in plain view.
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_JPEG):
        return "jpg"
    if head.startswith(_OLE2):
        return _ole2_kind(data_for_ole2())
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(uploaded)
    if head.startswith(_DANGEROUS_PREFIXES) or _MARKUP.search(head):
        return "dangerous"
    if head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:1] == b"<":
        return "dangerous"  # anything else that looks like markup
    return None


def check_upload(uploaded_file, *, allowed=DEFAULT_ALLOWED, max_bytes: int | None = None) -> UploadInfo:
    """Accept the file or raise UploadRefused (a DomainError) with a Vietnamese message."""
    max_bytes = settings.CCHC_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    allowed = tuple(_EXTENSION_ALIASES.get(k, k) for k in allowed)
    too_large = _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).") % {"mb": _megabytes(max_bytes)}
    not_allowed = _("Loại tệp không được phép. Chỉ nhận: %(kinds)s.") % {"kinds": allowed_label(allowed)}

    size = uploaded_file.size
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
    if size > max_bytes:
        raise UploadRefused(too_large, code="too_large")
    if size == 0:
        raise UploadRefused(_("Tệp rỗng, không có nội dung."), code="empty")

    name = getattr(uploaded_file, "name", "") or ""
    extension = _extension(name)
    if extension not in allowed:
        raise UploadRefused(not_allowed, code="type_not_allowed")

    digest = hashlib.sha256()
    uploaded_file.seek(0)
    head = b""
    read = 0
    for chunk in iter(lambda: uploaded_file.read(_CHUNK), b""):
        if not head:
            head = chunk[:_HEAD_BYTES]
        digest.update(chunk)
        read += len(chunk)
        if read > max_bytes:  # `size` came from the client's multipart headers
            raise UploadRefused(too_large, code="too_large")

    def whole_file() -> bytes:
        uploaded_file.seek(0)
        return uploaded_file.read(max_bytes + 1)

    kind = sniff(uploaded_file, head, whole_file)
    uploaded_file.seek(0)
    if kind in ("dangerous", "macro"):
        raise UploadRefused(not_allowed, code="type_not_allowed")
    if kind != extension:
        raise UploadRefused(_("Nội dung tệp không khớp với phần mở rộng “.%(ext)s”.") % {"ext": extension},
                            code="content_mismatch")
    return UploadInfo(kind=kind, content_type=CONTENT_TYPES[kind], size=read,
                      sha256=digest.hexdigest(), safe_name=safe_name_for(name, kind))


class EvidenceFileField(forms.FileField):
    """A FileField that runs `check_upload`; the result is on `file.upload_info`."""

    def __init__(self, *, allowed=DEFAULT_ALLOWED, max_bytes: int | None = None, **kwargs):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        extensions = [f".{k}" for k in self.allowed] + ([".jpeg"] if "jpg" in self.allowed else [])
        attrs.setdefault("accept", ",".join(extensions))
        return attrs

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and hasattr(cleaned, "read") and cleaned is not initial:
            try:
                cleaned.upload_info = check_upload(cleaned, allowed=self.allowed, max_bytes=self.max_bytes)
            except DomainError as error:
                raise ValidationError(error.message, code=error.code) from error
        return cleaned
