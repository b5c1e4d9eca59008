"""Resolving the units a plan names in "Cơ quan chủ trì" and "Cơ quan phối hợp".

`resolve_unit_reference("Các phòng, Thanh tra Sở", context=department)` returns the
units meant, relative to `context` (the unit whose plan it is), in the current tree
(open units only). The rules:

1. **Parts.** The text is split on commas, semicolons, line breaks and on " và " when a
   unit follows it ("Văn phòng Sở và các phòng"; not "Giáo dục và Đào tạo"). A line
   that starts in lower case continues the previous one (a cell broken by a page:
   "Thanh\\ntra Sở"). Separators inside parentheses do not split. Parts are then joined
   back when together they are the exact name of a unit ("Phòng Khảo thí, QLCLGD&CNTT"),
   when a part is only school levels ("Các trường mầm non, tiểu học"), only places
   ("Các Phòng GD&ĐT huyện, thành phố") or a bare "đơn vị" after "Các cơ quan".
2. **Abbreviations** are expanded before matching, on both the text and unit names:
   TCCB, KHTC, GD&ĐT/GDĐT/GD-ĐT (and OCR's GD&DPT), SGD&ĐT, PGD&ĐT, THCS, THPT, TH, MN,
   TH&THCS (a multi-level school), QLCLGD, CNTT, UBND, HĐND, CBCCVC, CCHC, CSGD, TT, VP.
3. **The context itself**: its name, short name, or the generic name of its kind ("Sở",
   "Sở GD&ĐT" for a department; "Phòng Giáo dục và Đào tạo", "Phòng" for a district
   office; "Nhà trường" for a school). Titles are dropped first ("Lãnh đạo Sở",
   "Hiệu trưởng các trường", "Trưởng các phòng").
4. **Group words**, with "các"/"những":
   "các phòng (chuyên môn, ban, thuộc Sở)", "các bộ phận" → the context's divisions;
   "các nhà trường", "các trường (học)", "trường học" → open schools anywhere in the
   context's subtree, filtered by level words ("Các trường THCS", "Các trường mầm non,
   tiểu học"; "liên cấp", "TH&THCS", "nhiều cấp học" → multi-level), only the direct
   children with "trực thuộc"; "các cơ sở giáo dục" → schools and centres;
   "các đơn vị trực thuộc" → open direct children that are not divisions or offices
   (plans list "các phòng" and "Phòng GD&ĐT" apart from "đơn vị trực thuộc");
   "các cơ quan, đơn vị", "các đơn vị" → all open direct children;
   "các trung tâm" → the direct centres; "các Sở GD&ĐT" → the direct departments;
   "(các) Phòng GD&ĐT (huyện, thành phố)" → the open district offices of the subtree
   and, since 1 July 2025, the communes' Phòng Văn hóa – Xã hội that took over.
   Schools and offices can be thousands in a national context: they are returned as a
   lazy QuerySet (no query until read); the other groups come from the loaded units.
5. **Qualifiers** "có liên quan", "liên quan", "được kiểm tra", "được giao", "khác",
   "nếu có" mean "the relevant ones": the group is returned and the result is flagged
   `needs_review` (the part is listed in `review_parts`).
6. **Names** of specific units, compared on the expanded folded form among the
   context's direct children, the divisions one level further down and the context:
   exact (also with place words such as "huyện" ignored), then containment on whole
   words (the best by `difflib` ratio; ties are all returned for review), then
   `difflib.get_close_matches` with cutoff 0.82 among names of the same school levels
   (flagged for review). School and centre names not found exactly there are first
   looked up in the whole subtree in one query, by their folded name with and without
   abbreviations ("Trường THCS Văn Giang" under a district office).
7. Everything else (an outside body such as "Trung tâm phục vụ hành chính công",
   "Sở Nội vụ", or "Tổ CCHC" that is not a unit of the tree) goes to `unmatched`, as
   written, for the user to map. So does a group of loaded units that has no member
   ("Các phòng" of a district office without divisions); the lazy groups (schools,
   offices) are not counted, to keep the query count bounded.

Queries, whatever the number of parts: the candidates, once per resolver; one batched
school-name lookup per text that needs it; reading `units` adds one when a lazy group
matched. Reuse one `UnitReferenceResolver` for all the cells of a plan.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet

from cchc.core.text import fold
from cchc.orgs.models import OrgUnit, SchoolLevel, UnitKind

# --- normalising names ----------------------------------------------------------------

_ABBREVIATIONS = [
    (re.compile(r"\bth\s*&\s*thcs\b|\bthcs\s*&\s*thpt\b"), "lien cap"),
    (re.compile(r"\bsgd\s*(?:&|-|va\s)?\s*(?:dt|dpt|pt)\b|\bsgd\b"), "so giao duc va dao tao"),
    (re.compile(r"\bpgd\s*(?:&|-|va\s)?\s*(?:dt|dpt|pt)\b|\bpgd\b"), "phong giao duc va dao tao"),
    (re.compile(r"\bgd\s*(?:&|-|va\s)?\s*(?:dt|dpt|pt)\b"), "giao duc va dao tao"),
    (re.compile(r"\bgdnn\s*-?\s*gdtx\b"), "giao duc nghe nghiep giao duc thuong xuyen"),
    (re.compile(r"\bqlclgd\b"), "quan ly chat luong giao duc"),
    (re.compile(r"\bqlcl\b"), "quan ly chat luong"),
    (re.compile(r"\bgdmn\b"), "giao duc mam non"),
    (re.compile(r"\bgdth\b"), "giao duc tieu hoc"),
    (re.compile(r"\bgdtrh\b"), "giao duc trung hoc"),
    (re.compile(r"\btccb\b"), "to chuc can bo"),
    (re.compile(r"\bkhtc\b"), "ke hoach tai chinh"),
    (re.compile(r"\btckh\b"), "tai chinh ke hoach"),
    (re.compile(r"\bcntt\b"), "cong nghe thong tin"),
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\bcbccvc\b"), "can bo cong chuc vien chuc"),
    (re.compile(r"\bcbcc\b"), "can bo cong chuc"),
    (re.compile(r"\bcchc\b"), "cai cach hanh chinh"),
    (re.compile(r"\bcsgd\b"), "co so giao duc"),
    (re.compile(r"\bthcs\b"), "trung hoc co so"),
    (re.compile(r"\bthpt\b"), "trung hoc pho thong"),
    (re.compile(r"\bth\b"), "tieu hoc"),
    (re.compile(r"\bmn\b"), "mam non"),
    (re.compile(r"\btt\b"), "trung tam"),
    (re.compile(r"\bvp\b"), "van phong"),
    (re.compile(r"\bttr\b"), "thanh tra"),
    (re.compile(r"\btp\b"), "thanh pho"),
]
# The reverse, for looking school names up by their stored folded form.
_SHORT_FORMS = [
    ("trung hoc co so", "thcs"),
    ("trung hoc pho thong", "thpt"),
    ("lien cap", "th&thcs"),
    ("giao duc nghe nghiep giao duc thuong xuyen", "gdnn-gdtx"),
]
_PARENS = re.compile(r"\([^)]*\)?")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_PLACES = re.compile(r"\b(?:quan|huyen|thi xa|thanh pho|thi tran|tinh|xa|phuong)\b")


def unit_key(text: str | None) -> str:
    """The comparable form of a unit name: folded, abbreviations expanded, no punctuation."""
    s = fold(_DASHES.sub("-", _PARENS.sub(" ", text or "")))
    for pattern, replacement in _ABBREVIATIONS:
        s = pattern.sub(replacement, s)
    s = s.replace("&", " va ")
    return " ".join(_NON_WORD.sub(" ", s).split())


def _loose(key: str) -> str:
    return " ".join(_PLACES.sub(" ", key).split())


# --- reading parts ---------------------------------------------------------------------

_DET = r"(?:(?:cac|nhung|tat ca(?: cac)?|toan bo(?: cac)?|toan the(?: cac)?)\s+)"
_TITLES = re.compile(
    r"^(?:hieu truong|pho hieu truong|ban giam hieu|thu truong|lanh dao|giam doc|pho giam doc|"
    r"nguoi dung dau|can bo|chuyen vien|cong chuc|vien chuc|"
    r"(?:pho )?truong(?= (?:cac|nhung|phong|ban|bo phan|to)\b))\s+"
)
_QUALIFIERS = re.compile(
    r"\b(?:co lien quan|lien quan|duoc kiem tra|duoc giao|duoc phan cong|phu trach|khac|neu co)\b"
)
_LEVELS = [
    ("pho thong co nhieu cap hoc", SchoolLevel.MULTI_LEVEL),
    ("nhieu cap hoc", SchoolLevel.MULTI_LEVEL),
    ("lien cap", SchoolLevel.MULTI_LEVEL),
    ("trung hoc pho thong", SchoolLevel.UPPER_SECONDARY),
    ("trung hoc co so", SchoolLevel.LOWER_SECONDARY),
    ("tieu hoc", SchoolLevel.PRIMARY),
    ("mam non", SchoolLevel.PRESCHOOL),
]
_LEVEL_WORDS = re.compile(r"\b(?:" + "|".join(word for word, _ in _LEVELS) + r")\b")
_FILLER_WORDS = re.compile(
    r"\b(?:va|tren dia ban|dia ban|thuoc|truc thuoc|cong lap|ngoai cong lap|tren|trong|"
    r"so|phong|quan ly|toan nganh|nganh)\b"
)
_ONLY_LEVELS = re.compile(
    r"^(?:(?:" + "|".join(w for w, _ in _LEVELS) + r"|cac cap hoc|cap hoc)\s*(?:va\s*)?)+$"
)
_ONLY_PLACES = re.compile(r"^(?:(?:quan|huyen|thi xa|thanh pho|thi tran|tinh|xa|phuong)\s*(?:va\s*)?)+$")

_OFFICES = re.compile(r"^" + _DET + r"?phong giao duc va dao tao\b(?P<rest>.*)$")
_COMMUNE_OFFICES = re.compile(r"^" + _DET + r"phong van hoa xa hoi\b(?P<rest>.*)$")
_DIVISIONS = re.compile(
    r"^" + _DET + r"(?:phong|phong ban|ban|phong chuyen mon|bo phan|bo phan chuyen mon|to chuyen mon|"
    r"phong ban chuyen mon)(?: (?:thuoc|truc thuoc) (?:so|phong|bo|co quan|so giao duc va dao tao))?$"
)
_SCHOOLS = re.compile(
    r"^(?P<det>" + _DET + r")?(?:don vi |co so )?(?P<noun>nha truong|truong hoc|truong|"
    r"co so giao duc|don vi truong hoc|co so giao duc pho thong)\b(?P<rest>.*)$"
)
_DEPARTMENTS = re.compile(r"^" + _DET + r"so(?: giao duc va dao tao)?(?P<rest>.*)$")
_CENTRES = re.compile(
    r"^" + _DET + r"trung tam(?: giao duc nghe nghiep giao duc thuong xuyen)?"
    r"(?: (?:truc thuoc|thuoc)(?: so| phong)?)?$"
)
_CHILDREN = re.compile(
    r"^" + _DET + r"(?P<noun>co quan don vi|don vi|co quan|co so|don vi su nghiep)"
    r"(?P<rest>(?: (?:truc thuoc|thuoc|su nghiep|cong lap|so|phong|bo))*)$"
)
_GENERIC_SELF = {
    UnitKind.MINISTRY: {"bo", "bo giao duc va dao tao", "co quan bo"},
    UnitKind.DEPARTMENT: {"so", "so giao duc va dao tao", "co quan so"},
    UnitKind.DISTRICT_OFFICE: {"phong", "phong giao duc va dao tao", "co quan phong", "phong giao duc"},
    UnitKind.COMMUNE_OFFICE: {"phong", "phong van hoa xa hoi", "co quan phong"},
    UnitKind.SCHOOL: {"truong", "nha truong"},
    UnitKind.CENTRE: {"trung tam"},
}
_UNIT_HEADS = (
    r"cac|nhung|phong|van phong|thanh tra|truong|nha truong|trung tam|tt|so|bo|ubnd|uy ban|"
    r"bo phan|to|ban|hieu truong|lanh dao|giam doc|thu truong|hoi dong|cong doan|doan|chi bo|"
    r"dang uy|co so|buu dien|kho bac|cong an|vien|cuc|vu|chi cuc|pgd|sgd"
)
_SPLIT = re.compile(r"\s*[,;\n]\s*|\s+va\s+(?=(?:" + _UNIT_HEADS + r")\b)")
_NAME_CUTOFF = 0.82
_NOT_CHILDREN = (
    UnitKind.DIVISION,
    UnitKind.DISTRICT_OFFICE,
    UnitKind.COMMUNE_OFFICE,
    UnitKind.COMMUNE,
    UnitKind.PEOPLE_COMMITTEE,
)


@dataclass
class UnitRefResult:
    """The units a reference names. `matched` pairs each part as written with its units
    (a list, or a lazy QuerySet for schools and offices); `unmatched` lists the parts to
    map by hand. `units` is every unit once (named ones first, in order, then the lazy
    groups' units by tree path), read in at most one query."""

    text: str
    matched: list[tuple[str, Sequence[OrgUnit]]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    review_parts: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_parts)

    @cached_property
    def units(self) -> list[OrgUnit]:
        seen: set[int] = set()
        out: list[OrgUnit] = []
        lazy: QuerySet | None = None
        for _part, members in self.matched:
            if isinstance(members, QuerySet):
                lazy = members if lazy is None else lazy | members
                continue
            for unit in members:
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    out.append(unit)
        if lazy is not None:
            for unit in lazy.order_by("path"):
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    out.append(unit)
        return out


@dataclass
class _Part:
    start: int
    end: int


class UnitReferenceResolver:
    """Resolves many references against one context with its candidates loaded once."""

    def __init__(self, context: OrgUnit):
        self.context = context

    @cached_property
    def _candidates(self) -> list[OrgUnit]:
        ctx = self.context
        rows = OrgUnit.objects.filter(path__startswith=ctx.path, closed_on__isnull=True).filter(
            Q(depth=ctx.depth + 1) | Q(depth=ctx.depth + 2, kind=UnitKind.DIVISION)
        )
        return [ctx, *rows.order_by("path")]

    @cached_property
    def _children(self) -> list[OrgUnit]:
        return [u for u in self._candidates if u.parent_id == self.context.pk]

    @cached_property
    def _by_key(self) -> dict[str, list[OrgUnit]]:
        index: dict[str, list[OrgUnit]] = {}
        for unit in self._candidates:
            for key in {unit_key(unit.name), unit_key(unit.short_name)} - {""}:
                index.setdefault(key, []).append(unit)
        return index

    @cached_property
    def _by_loose_key(self) -> dict[str, list[OrgUnit]]:
        index: dict[str, list[OrgUnit]] = {}
        for key, units in self._by_key.items():
            index.setdefault(_loose(key), []).extend(units)
        return index

    # --- public ---------------------------------------------------------------------

    def resolve(self, text: str) -> UnitRefResult:
        source = _join_broken_lines(text or "")
        result = UnitRefResult(text=" ".join(source.split()))
        parts = self._parts(source)
        deferred: list[tuple[int, str, str]] = []
        resolved: list[tuple[str, Sequence[OrgUnit] | None, bool]] = []
        for written in parts:
            members, review, defer = self._resolve_part(written)
            if defer:
                deferred.append((len(resolved), written, defer))
            resolved.append((written, members, review))
        if deferred:
            found = self._schools_by_name([key for _i, _w, key in deferred])
            for index, written, key in deferred:
                units = found.get(key) or found.get(_loose(key))
                if units:
                    resolved[index] = (written, units, resolved[index][2])
                elif close := self._close_to(key):
                    resolved[index] = (written, close, True)
        for written, members, review in resolved:
            if members is None or (isinstance(members, list) and not members):
                result.unmatched.append(written)
                continue
            result.matched.append((written, members))
            if review:
                result.review_parts.append(written)
        return result

    # --- splitting ------------------------------------------------------------------

    def _parts(self, source: str) -> list[str]:
        shadow = _shadow(source)
        spans: list[_Part] = []
        position = 0
        for match in _SPLIT.finditer(shadow):
            spans.append(_Part(position, match.start()))
            position = match.end()
        spans.append(_Part(position, len(source)))
        spans = [p for p in spans if _clean(source[p.start:p.end])]
        spans = self._join_names(source, spans)
        spans = _join_continuations(source, spans)
        return [_clean(source[p.start:p.end]) for p in spans]

    def _join_names(self, source: str, spans: list[_Part]) -> list[_Part]:
        """Join neighbouring parts that together are exactly a unit's name."""
        out: list[_Part] = []
        i = 0
        while i < len(spans):
            joined = None
            for j in range(min(len(spans), i + 4) - 1, i, -1):
                if unit_key(source[spans[i].start:spans[j].end]) in self._by_key:
                    joined = j
                    break
            if joined is None:
                out.append(spans[i])
                i += 1
            else:
                out.append(_Part(spans[i].start, spans[joined].end))
                i = joined + 1
        return out

    # --- one part -------------------------------------------------------------------

    def _resolve_part(self, written: str) -> tuple[Sequence[OrgUnit] | None, bool, str]:
        """(units or None, needs review, key to look up among schools later or "")."""
        key = unit_key(written)
        review = bool(_QUALIFIERS.search(key))
        key = " ".join(_QUALIFIERS.sub(" ", key).split())
        key = _TITLES.sub("", key)
        if not key:
            return None, False, ""
        if self._is_self(key):
            return [self.context], review, ""
        group = self._group(key)
        if group is not None:
            return group, review, ""
        school_like = bool(re.match(r"(?:nha )?truong|trung tam|co so giao duc", key))
        units, fuzzy = self._by_name(key, fuzzy=not school_like)
        if units:
            return units, review or fuzzy, ""
        paren = re.search(r"\(([^)]+)\)", written)
        if paren:
            inner, inner_review, inner_defer = self._resolve_part(paren.group(1))
            if inner or inner_defer:
                return inner, review or inner_review, inner_defer
        return None, review, key if school_like else ""

    def _is_self(self, key: str) -> bool:
        ctx = self.context
        own = {unit_key(ctx.name), unit_key(ctx.short_name)} - {""}
        return key in own or _loose(key) in {_loose(k) for k in own} or key in _GENERIC_SELF.get(ctx.kind, ())

    def _group(self, key: str) -> Sequence[OrgUnit] | None:
        ctx = self.context
        match = _OFFICES.match(key)
        if match and not _leftover(match["rest"]) and ctx.kind != UnitKind.DISTRICT_OFFICE:
            return self._subtree(kinds=(UnitKind.DISTRICT_OFFICE, UnitKind.COMMUNE_OFFICE))
        match = _COMMUNE_OFFICES.match(key)
        if match and not _leftover(match["rest"]):
            return self._subtree(kinds=(UnitKind.COMMUNE_OFFICE,))
        if _DIVISIONS.match(key):
            return [u for u in self._children if u.kind == UnitKind.DIVISION]
        match = _DEPARTMENTS.match(key)
        if match and not _leftover(match["rest"]):
            return [u for u in self._children if u.kind == UnitKind.DEPARTMENT]
        if _CENTRES.match(key):
            return [u for u in self._children if u.kind == UnitKind.CENTRE]
        match = _CHILDREN.match(key)
        if match:
            if re.search(r"\b(?:truc thuoc|thuoc|su nghiep)\b", match["rest"]):
                return [u for u in self._children if u.kind not in _NOT_CHILDREN]
            return list(self._children)
        match = _SCHOOLS.match(key)
        if match:
            rest = match["rest"]
            levels = [level for word, level in _LEVELS if re.search(rf"\b{word}\b", rest)]
            if _leftover(_LEVEL_WORDS.sub(" ", rest)) or not (match["det"] or levels or not rest.strip()):
                return None
            if match["noun"] == "truong" and not match["det"] and not levels:
                return None  # a bare "Trường" is the context school, or nothing
            kinds = (UnitKind.SCHOOL,)
            if match["noun"].startswith("co so giao duc") and not levels:
                kinds = (UnitKind.SCHOOL, UnitKind.CENTRE)
            direct = bool(re.search(r"\btruc thuoc\b", rest))
            return self._subtree(kinds=kinds, levels=levels, direct=direct)
        return None

    def _subtree(self, *, kinds, levels=(), direct=False) -> QuerySet[OrgUnit]:
        ctx = self.context
        units = OrgUnit.objects.filter(path__startswith=ctx.path, closed_on__isnull=True, kind__in=kinds)
        units = units.exclude(pk=ctx.pk)
        if levels:
            units = units.filter(school_level__in=levels)
        if direct:
            units = units.filter(parent=ctx)
        return units.order_by("path")

    def _by_name(self, key: str, *, fuzzy: bool = True) -> tuple[list[OrgUnit], bool]:
        exact = self._by_key.get(key) or self._by_loose_key.get(_loose(key))
        if exact:
            return list(exact), len(exact) > 1
        if len(key.split()) >= 2 and key not in _GENERIC_NAMES:
            padded = f" {key} "
            contained = [
                k for k in self._by_key if padded in f" {k} " or (len(k.split()) >= 2 and f" {k} " in padded)
            ]
            if contained:
                scores = {k: difflib.SequenceMatcher(None, key, k).ratio() for k in contained}
                best = max(scores.values())
                tied = [k for k in contained if scores[k] == best]
                units = [u for k in tied for u in self._by_key[k]]
                return units, len(units) > 1
        if fuzzy:
            return self._close_to(key), True
        return [], False

    def _close_to(self, key: str) -> list[OrgUnit]:
        """The candidate whose name is closest to `key` (same school levels), or none."""
        levels = set(_LEVEL_WORDS.findall(key))
        keys = [k for k in self._by_key if set(_LEVEL_WORDS.findall(k)) == levels]
        close = difflib.get_close_matches(key, keys, n=1, cutoff=_NAME_CUTOFF)
        return list(self._by_key[close[0]]) if close else []

    def _schools_by_name(self, keys: list[str]) -> dict[str, list[OrgUnit]]:
        """One query: schools and centres of the subtree whose name is one of `keys`."""
        variants: set[str] = set()
        for key in keys:
            for form in (key, _loose(key)):
                short = form
                for long_form, abbreviation in _SHORT_FORMS:
                    short = re.sub(rf"\b{long_form}\b", abbreviation, short)
                variants |= {form, short}
        ctx = self.context
        rows = OrgUnit.objects.filter(
            path__startswith=ctx.path,
            closed_on__isnull=True,
            kind__in=(UnitKind.SCHOOL, UnitKind.CENTRE),
            name_folded__in=sorted(variants),
        ).order_by("path")
        found: dict[str, list[OrgUnit]] = {}
        for unit in rows:
            key = unit_key(unit.name)
            for k in {key, _loose(key)}:
                found.setdefault(k, []).append(unit)
        return found


_GENERIC_NAMES = {"phong", "truong", "truong hoc", "nha truong", "don vi", "co quan", "so", "bo phan"}


def resolve_unit_reference(text: str, *, context: OrgUnit) -> UnitRefResult:
    """The units `text` names, relative to `context` (see the module docstring).

    For the many cells of one plan, use one `UnitReferenceResolver(context)` instead:
    it loads the context's units once.
    """
    return UnitReferenceResolver(context).resolve(text)


# --- helpers ----------------------------------------------------------------------------


def _join_broken_lines(text: str) -> str:
    """A line starting in lower case continues the previous one (a page break)."""
    lines: list[str] = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if lines and line[0].isalpha() and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _shadow(source: str) -> str:
    """`source` folded character by character (same length), with parentheses masked
    so that the separators inside them do not split."""
    out = []
    depth = 0
    for ch in source:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth and ch not in "()":
            out.append("_")
            continue
        folded = fold(ch) if not ch.isspace() else ch
        out.append(folded if len(folded) == 1 else ch.lower())
    return "".join(out)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" -+•*.:;,")


def _leftover(rest: str) -> str:
    """What remains of a group's tail once places, determiners and fillers are removed."""
    rest = _PLACES.sub(" ", rest or "")
    rest = re.sub(r"\bcac\b|\bnhung\b", " ", rest)
    return " ".join(_FILLER_WORDS.sub(" ", rest).split())


def _join_continuations(source: str, spans: list[_Part]) -> list[_Part]:
    """Join a part to the previous one when it only continues it: school levels after a
    school group, places after an office group, a bare "đơn vị" after "Các cơ quan"."""
    out: list[_Part] = []
    for span in spans:
        if out:
            key = unit_key(source[span.start:span.end])
            previous = unit_key(source[out[-1].start:out[-1].end])
            bare = _QUALIFIERS.sub(" ", key).strip()
            if (
                (_ONLY_LEVELS.match(bare) and re.search(r"\btruong|\bco so giao duc|\bcap hoc", previous))
                or _ONLY_PLACES.match(bare)
                or (
                    re.match(r"(?:don vi|co quan)\b", key)
                    and re.fullmatch(_DET + r"(?:co quan|don vi)", previous)
                )
            ):
                out[-1] = _Part(out[-1].start, span.end)
                continue
        out.append(span)
    return out
