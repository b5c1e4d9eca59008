"""Where an item of a plan stands: its section, its blocks, and its reform area.

`blocks(document)` cuts the prose of a plan (not its tables) into blocks — a bullet, a
paragraph, or a numbered paragraph — each with the headings it stands under
(`section_path`, outermost first) and the number of its first line. OCR text wraps a
bullet over several lines; a line continues the block before it when it starts in lower
case or with a digit, or when the block has not ended with . ; : ! ?.

`area_for(text, section_path)` names the reform area (`ReformArea.key`) of an item: the
innermost heading that names an area wins ("3.2. Cải cách thể chế", "Về cải cách thủ
tục hành chính", the PAPI dimensions of seed 003); else the area whose keywords the text
matches best (the longest matched keywords); else None. PAPI dimensions are only chosen
by keywords when a heading or the text speaks of PAPI (their keywords — "tham gia",
"điện tử" — are too common otherwise). The keywords are read from the ReformArea table
when the database is available (admins edit them), else from `BUILTIN_AREAS`, a copy of
migration plans/0002 (a test keeps the two equal).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from cchc.core.text import fold

from ..document import Document

# (key, name, taxonomy, keywords) — mirror of cchc/plans/migrations/0002_reform_areas.py.
BUILTIN_AREAS: list[tuple[str, str, str, str]] = [
    ("direction", "Công tác chỉ đạo, điều hành CCHC", "programme",
     "chỉ đạo, điều hành; kế hoạch cchc; tuyên truyền cchc; chỉ số cchc; kiểm tra cchc; khảo sát"),
    ("institutions", "Cải cách thể chế", "programme",
     "thể chế; văn bản quy phạm pháp luật; qppl; thi hành pháp luật; rà soát văn bản"),
    ("procedures", "Cải cách thủ tục hành chính", "programme",
     "thủ tục hành chính; tthc; một cửa; hồ sơ; phản ánh, kiến nghị; giải quyết đúng hạn; xin lỗi"),
    ("apparatus", "Cải cách tổ chức bộ máy", "programme",
     "tổ chức bộ máy; sắp xếp; biên chế; vị trí việc làm; đơn vị sự nghiệp"),
    ("civil_service", "Cải cách chế độ công vụ", "programme",
     "công vụ; công chức; viên chức; tuyển dụng; đào tạo, bồi dưỡng; kỷ luật, kỷ cương; chuyển đổi vị trí"),
    ("public_finance", "Cải cách tài chính công", "programme",
     "tài chính công; tự chủ; ngân sách; chi tiêu nội bộ; tài sản công; kinh phí"),
    ("digital_government", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "programme",
     "chính phủ điện tử; chính quyền số; chuyển đổi số; dịch vụ công trực tuyến; chữ ký số; "
     "văn bản điện tử; iso; công nghệ thông tin; thư điện tử"),
    ("papi_participation", "Tham gia của người dân ở cấp cơ sở", "papi", "tham gia; dân chủ cơ sở"),
    ("papi_transparency", "Công khai, minh bạch", "papi", "công khai; minh bạch"),
    ("papi_accountability", "Trách nhiệm giải trình với người dân", "papi",
     "giải trình; tiếp công dân; ban thanh tra nhân dân"),
    ("papi_corruption", "Kiểm soát tham nhũng trong khu vực công", "papi", "tham nhũng; tiêu cực"),
    ("papi_procedures", "Thủ tục hành chính công", "papi", "thủ tục hành chính"),
    ("papi_public_services", "Cung ứng dịch vụ công", "papi", "dịch vụ công; giáo dục tiểu học; y tế"),
    ("papi_environment", "Quản trị môi trường", "papi", "môi trường"),
    ("papi_e_governance", "Quản trị điện tử", "papi", "điện tử; cổng thông tin; internet"),
]

# Headings name an area in words the keywords do not all carry ("Chính quyền điện tử",
# "Hiện đại hóa nền hành chính", OCR "chinh quyen dien tir"). Folded.
_HEADING_WORDS = {
    "direction": ["chi dao, dieu hanh", "chi dao dieu hanh"],
    "institutions": ["the che"],
    "procedures": ["thu tuc hanh chinh", "tthc", "thi tuc hanh chinh", "mot cua"],
    "apparatus": ["to chuc bo may", "bo may"],
    "civil_service": ["che do cong vu", "cong vu", "can bo, cong chuc"],
    "public_finance": ["tai chinh cong"],
    "digital_government": [
        "chinh quyen dien tu", "chinh phu dien tu", "chinh quyen so", "chinh phu so", "hien dai hoa",
    ],
}
# Words that place an item beyond the table's keywords (folded, abbreviated forms).
_EXTRA_KEYWORDS = {
    "direction": ["hai long", "sang kien", "mo hinh", "thi dua"],
    "digital_government": ["dien tu", "truc tuyen", "may tinh", "moi truong mang", "moi truong so", "cntt"],
}
# Who is counted rather than what is done ("100% công chức … dùng chữ ký số" is about
# digital government): these weigh less than the other keywords.
_WEAK_KEYWORDS = {"cong chuc", "vien chuc", "don vi su nghiep", "ho so", "cong vu"}
# Abbreviations and their long forms: both are searched for either.
_ABBREVIATIONS = {
    "cchc": "cai cach hanh chinh",
    "tthc": "thu tuc hanh chinh",
    "cntt": "cong nghe thong tin",
    "qppl": "quy pham phap luat",
    "dvctt": "dich vu cong truc tuyen",
    "cbccvc": "can bo, cong chuc, vien chuc",
}


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    taxonomy: str
    keywords: tuple[str, ...]  # folded


def _split_keywords(text: str) -> tuple[str, ...]:
    return tuple(k for k in (fold(part) for part in (text or "").split(";")) if k)


def builtin_areas() -> list[Area]:
    return [Area(k, n, t, _split_keywords(kw)) for k, n, t, kw in BUILTIN_AREAS]


def load_areas() -> list[Area]:
    """The active reform areas from the database, or the built-in copy without one."""
    try:
        from cchc.plans.models import ReformArea

        rows = list(
            ReformArea.objects.filter(is_active=True).values_list("key", "name", "taxonomy", "keywords")
        )
    except Exception:  # no database (pure tests, scripts): the migration's copy
        return builtin_areas()
    return [Area(k, n, t, _split_keywords(kw)) for k, n, t, kw in rows] or builtin_areas()


def _expand(folded: str) -> str:
    """The text with each abbreviation followed by its long form and vice versa."""
    extra = []
    for short, long in _ABBREVIATIONS.items():
        if re.search(rf"\b{re.escape(short)}\b", folded):
            extra.append(long)
        if long in folded:
            extra.append(short)
    return folded + (" | " + " | ".join(extra) if extra else "")


def _strip_numbering(heading: str) -> str:
    return re.sub(r"^\s*(?:[ivxlc]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*", "", heading).strip(" .:")


def _short(folded: str) -> str:
    """Long forms replaced by their abbreviations, so that "TTHC" and "thủ tục hành chính"
    count once."""
    for short, long in _ABBREVIATIONS.items():
        folded = folded.replace(long, short)
    return folded


def _keyword_score(folded: str, area: Area) -> tuple[float, int]:
    """(weight, length) of the distinct keywords of `area` found in `folded` (shortened)."""
    words = {_short(k) for k in area.keywords} | set(_EXTRA_KEYWORDS.get(area.key, ()))
    weight, length = 0.0, 0
    for keyword in words:
        if re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", folded):
            weight += 0.3 if keyword in _WEAK_KEYWORDS else 1.0
            length += len(keyword)
    return weight, length


def _by_heading(heading: str, areas: list[Area], papi: bool) -> str | None:
    folded = _strip_numbering(fold(heading.replace("*", "")))
    folded = re.sub(r"^ve\s+", "", folded)
    if not folded:
        return None
    for area in areas:  # a heading that is an area's name
        name = fold(area.name)
        if folded == name or (area.taxonomy == "papi" and papi and name in folded):
            return area.key
    if papi:
        for area in areas:
            if area.taxonomy == "papi" and fold(area.name) == folded:
                return area.key
    expanded = _expand(folded)
    best, best_score = None, 0
    for area in areas:
        if area.taxonomy != "programme":
            continue
        score = sum(len(w) for w in _HEADING_WORDS.get(area.key, ()) if w in expanded)
        if score > best_score:
            best, best_score = area.key, score
    return best


def area_for(text: str, section_path=(), areas: list[Area] | None = None) -> str | None:
    """The reform area of an item: from its headings (innermost first), else its words."""
    areas = areas if areas is not None else load_areas()
    path = [h for h in (section_path or ()) if h]
    papi = any("papi" in fold(h) for h in path) or "papi" in fold(text)
    for heading in reversed(path):
        key = _by_heading(heading, areas, papi)
        if key:
            return key
    folded = _short(fold(text))
    best, best_score = None, (0.0, 0)
    for area in areas:
        if area.taxonomy == "papi" and not papi:
            continue
        score = _keyword_score(folded, area)
        if score > best_score:
            best, best_score = area.key, score
    return best


# --- blocks of prose -------------------------------------------------------------------


@dataclass
class Block:
    text: str  # as written, whitespace normalised, markdown emphasis and bullet mark removed
    line: int  # the number of its first line
    section_path: tuple[str, ...] = ()
    lines: list[int] = field(default_factory=list)


_MARKDOWN = re.compile(r"^#+\s*|\*\*|__")
_BULLET = re.compile(r"^\s*[-–·•+*]\s*")
_NUMBERED = re.compile(r"^(?P<num>[IVX]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)](?:\s+|$)(?=\S|$)")
_END = re.compile(r"[.;:!?…]\s*$")
_STOP = re.compile(r"^(?:noi nh[a-z]n|noi nhan)\b")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def clean(text: str) -> str:
    """Whitespace normalised, markdown emphasis stripped."""
    text = _MARKDOWN.sub("", nfc(text).strip())
    return " ".join(text.split())


def _level(num: str) -> int:
    if re.fullmatch(r"[IVX]+", num):
        return 1
    if re.fullmatch(r"[a-zđ]", num):
        return 9
    return 1 + num.count(".") + 1


def blocks(document: Document, *, stop_at_signature: bool = True) -> list[Block]:
    """The prose blocks of a document, in order, with their section paths."""
    out: list[Block] = []
    stack: list[tuple[int, str]] = []
    current: Block | None = None
    last_heading = False
    for line in document.lines:
        if line.is_row:
            current, last_heading = None, False
            continue
        raw = nfc(line.text)
        markdown_heading = raw.lstrip().startswith("#")
        text = clean(raw)
        if not text:
            continue
        folded = fold(text)
        if stop_at_signature and _STOP.match(folded):
            break
        bullet = _BULLET.match(text)
        numbered = _NUMBERED.match(text)
        if not bullet and numbered and (markdown_heading or len(text) <= 120):
            level = _level(numbered["num"])
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text.rstrip(":")))
            current, last_heading = None, not _END.search(text)
            continue
        starts_low = text[0].islower() or text[0].isdigit()
        if last_heading and stack and starts_low and not bullet and not numbered:
            level, heading = stack[-1]
            stack[-1] = (level, f"{heading} {text}".rstrip(":"))
            continue
        last_heading = False
        if (
            current is not None
            and not bullet
            and not numbered
            and (starts_low or not _END.search(current.text))
        ):
            current.text = f"{current.text} {text}"
            current.lines.append(line.number)
            continue
        body = _BULLET.sub("", text) if bullet else text
        current = Block(text=body, line=line.number, section_path=tuple(h for _, h in stack),
                        lines=[line.number])
        out.append(current)
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a block: cut after . ! ? when the next word starts in upper case."""
    parts = _SENTENCE_END.split(text)
    out: list[str] = []
    for part in parts:
        if out and not (part[:1].isupper() or part[:1] in "“\"("):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [p.strip() for p in out if p.strip()]
