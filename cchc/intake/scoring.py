"""How well an extraction matches the gold annotations of the seeds.

`score(predicted, gold, key="text", fields=(...))` matches predicted items to gold items
one to one, greedily, best pairs first: two items match when their folded `key` texts
(`cchc.core.text.fold`) have a difflib ratio ≥ 0.8 or one contains the other (a sentence
inside its bullet). Among equally similar pairs, the one agreeing on more fields is
taken first — a sentence with two targets gives two items with the same text. Then each
field of each matched pair is compared (numbers as numbers, texts whitespace-normalised).

    precision = matched / predicted     recall = matched / gold     (1.0 when empty)

`python -m cchc.intake.scoring [seed_dir]` prints, for each seed, the scores of the
indicators and of the tasks against tests/fixtures/gold/NNN.json.
"""

from __future__ import annotations

import difflib
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cchc.core.text import fold

from .document import Document, Line

GOLD_DIR = Path(__file__).parent / "tests" / "fixtures" / "gold"
SEED_DIR = Path("/work/shared/seeds")
INDICATOR_FIELDS = ("comparator", "value", "unit", "area")
TASK_FIELDS = ("deliverable", "timeframe", "lead", "coordinating", "group", "area")
THRESHOLD = 0.8


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    field_accuracy: dict[str, float] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)  # gold items nothing matched
    extras: list[dict] = field(default_factory=list)  # predicted items matching no gold item
    pairs: list[tuple[dict, dict]] = field(default_factory=list)  # (predicted, gold)


def similarity(a: str | None, b: str | None) -> float:
    """1.0 for equal folded texts, 0.99 when one contains the other, else difflib's ratio."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 1.0 if fa == fb else 0.0
    if fa == fb:
        return 1.0
    shorter, longer = sorted((fa, fb), key=len)
    if len(shorter) >= 10 and shorter in longer:
        return 0.99
    return difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def same(a, b) -> bool:
    """Field equality: numbers as numbers, texts with whitespace normalised, None = ""."""
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, int | float | Decimal) or isinstance(b, int | float | Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except ArithmeticError:
            return False
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return " ".join(str(a).split()) == " ".join(str(b).split())


def _as_dict(item) -> dict:
    if isinstance(item, dict):
        return item
    from dataclasses import asdict, is_dataclass

    if is_dataclass(item):
        return asdict(item)
    raise TypeError(f"cannot score {type(item).__name__}")


def score(
    predicted, gold, *, key: str = "text", fields=INDICATOR_FIELDS, threshold: float = THRESHOLD
) -> Score:
    predicted = [_as_dict(p) for p in predicted]
    gold = [_as_dict(g) for g in gold]
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            sim = similarity(p.get(key), g.get(key))
            if sim >= threshold:
                agree = sum(same(p.get(f), g.get(f)) for f in fields)
                candidates.append((sim, agree, -abs(i - j), i, j))
    candidates.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _sim, _agree, _dist, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    pairs.sort(key=lambda ij: ij[1])
    matched = len(pairs)
    precision = matched / len(predicted) if predicted else 1.0
    recall = matched / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = {
        f: (sum(same(predicted[i].get(f), gold[j].get(f)) for i, j in pairs) / matched if matched else 1.0)
        for f in fields
    }
    return Score(
        precision=precision,
        recall=recall,
        f1=f1,
        field_accuracy=accuracy,
        misses=[g for j, g in enumerate(gold) if j not in used_g],
        extras=[p for i, p in enumerate(predicted) if i not in used_p],
        pairs=[(predicted[i], gold[j]) for i, j in pairs],
    )


# --- the seeds ---------------------------------------------------------------------------


def document_from_text(text: str, source_name: str = "") -> Document:
    """A Document from plain text: one line per non-blank line (its number as in the
    file), TAB-separated lines as table rows. The readers module does this for real files;
    this is the plain-text fallback the scorer and tests use."""
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if "\t" in raw:
            cells = tuple(" ".join(c.split()) for c in raw.split("\t"))
            lines.append(Line(number=number, text=" | ".join(cells), cells=cells))
        else:
            lines.append(Line(number=number, text=" ".join(raw.split())))
    return Document(lines=lines, source_name=source_name, kind="text")


def seed_files(seed_dir: Path | str = SEED_DIR) -> list[Path]:
    return sorted(Path(seed_dir).glob("[0-9][0-9][0-9]_*.txt"))


def seed_document(path: Path | str) -> Document:
    """A seed as the product reads it: through the real readers (what an upload gets)."""
    from .readers import read_document

    path = Path(path)
    return read_document(path.read_bytes(), path.name)


def load_gold(seed: str) -> dict:
    return json.loads((GOLD_DIR / f"{seed}.json").read_text(encoding="utf-8"))


def report(seed_dir: Path | str = SEED_DIR, out=None) -> dict[str, dict[str, Score]]:
    """Score indicators and tasks of every seed against its gold; print a table."""
    from .draft import Draft
    from .extract.indicators import extract_indicators
    from .extract.tasks import extract_tasks

    out = out or sys.stdout
    results: dict[str, dict[str, Score]] = {}
    header = f"{'seed':<5} {'part':<11} {'pred':>5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}  fields"
    print(header, file=out)
    print("-" * len(header), file=out)
    for path in seed_files(seed_dir):
        seed = path.name[:3]
        if not (GOLD_DIR / f"{seed}.json").exists():
            continue
        gold = load_gold(seed)
        document = seed_document(path)
        draft = Draft(indicators=extract_indicators(document), tasks=extract_tasks(document))
        predicted = draft.to_json()
        results[seed] = {}
        for part, key, fields in (
            ("indicators", "text", INDICATOR_FIELDS),
            ("tasks", "content", TASK_FIELDS),
        ):
            s = score(predicted[part], gold.get(part, []), key=key, fields=fields)
            results[seed][part] = s
            acc = " ".join(f"{f}={v:.2f}" for f, v in s.field_accuracy.items())
            print(
                f"{seed:<5} {part:<11} {len(predicted[part]):>5} {len(gold.get(part, [])):>5} "
                f"{s.precision:>6.2f} {s.recall:>6.2f} {s.f1:>6.2f}  {acc}",
                file=out,
            )
    return results


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    report(sys.argv[1] if len(sys.argv) > 1 else SEED_DIR)
