"""The QR codes of survey links: the public address of a unit's link (optionally with a
dossier's code, as the receipt prints it), as a PNG (the same renderer as the receipt's
status QR, `dossiers.letters._qr_png`) or as an inline SVG for the printed poster, which
scales to any size without blur."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.urls import reverse

from cchc.dossiers.letters import _qr_png

from .survey_models import SurveyLink


def survey_path(link: SurveyLink | str, *, dossier_code: str = "") -> str:
    token = link if isinstance(link, str) else link.token
    path = reverse("portal:survey_form", args=[token])
    if dossier_code:
        path = f"{path}?{urlencode({'dossier': dossier_code})}"
    return path


def survey_url(request, link: SurveyLink | str, *, dossier_code: str = "") -> str:
    """The absolute address the QR code encodes."""
    return request.build_absolute_uri(survey_path(link, dossier_code=dossier_code))


def qr_png(url: str) -> bytes:
    """PNG of `url` (error correction M, 8 px modules): the receipt's renderer."""
    return _qr_png(url)


def qr_svg(url: str) -> str:
    """An inline `<svg>` of `url` sized by CSS (no XML declaration, no fixed size)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", xmldecl=False, svgns=True, scale=1, border=2, omitsize=True, dark="#000"
    )
    return out.getvalue().decode()


def receipt_survey_url(request, dossier) -> str | None:
    """The address the dossier's receipt prints when a per-dossier campaign open today
    covers its unit (`surveys.receipt_survey_link`), else None."""
    from .surveys import receipt_survey_link

    link = receipt_survey_link(dossier)
    if link is None:
        return None
    return survey_url(request, link, dossier_code=dossier.code)
