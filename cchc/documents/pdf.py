"""DOCX → PDF through LibreOffice, run headless in a throw-away profile.

Each call gets its own user profile: two conversions sharing one profile block each
other (LibreOffice allows one process per profile), and a profile left half-written by
a killed process must not break the next conversion.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from cchc.core.errors import DomainError

DEFAULT_TIMEOUT = 120


class PdfConversionError(DomainError):
    """The server could not make the PDF; the Word file is still there for the user."""

    def __init__(self, message: str, *, code: str = "pdf_conversion"):
        super().__init__(message, code=code)


def soffice_path() -> str | None:
    """`CCHC_SOFFICE` names the binary when it is not on PATH."""
    configured = os.environ.get("CCHC_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF LibreOffice prints from `docx_bytes`; PdfConversionError on any failure."""
    binary = soffice_path()
    if binary is None:
        raise PdfConversionError(
            _("Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF; hãy tải bản Word (.docx)."),
            code="libreoffice_missing",
        )
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx_bytes)
        profile = (work / "profile").as_uri()
        command = [
            binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={profile}",
            "--convert-to", "pdf", "--outdir", str(work), str(source),
        ]
        # Its own session, so a timeout kills soffice.bin too, not only the launcher.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True, env=_environment(work))
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(
                _("Tạo tệp PDF quá thời gian cho phép; hãy thử lại hoặc tải bản Word (.docx)."),
                code="pdf_timeout",
            ) from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionError(
                _("Không tạo được tệp PDF (LibreOffice: %(detail)s).") % {"detail": detail or "?"}
            )
        return target.read_bytes()


def _environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "TZ"}}
    env["HOME"] = str(work)  # LibreOffice writes caches under HOME; keep them in the tmp dir
    env.setdefault("LANG", "C.UTF-8")
    return env
