"""Quality gate of the task extractor on the five seeds, against the gold annotations
(`fixtures/gold/NNN.json`, key "tasks", written by reading the seeds).

Per seed: precision and recall ≥ 0.95 (a predicted task matches a gold task when their
contents are alike, folded: `cchc.intake.scoring.score`, or a local matcher of the same
kind while that module is absent); field accuracy over the matched pairs is reported for
content, deliverable, timeframe, lead, coordinating, group and area, and required ≥ 0.9
for timeframe, lead and group where the seed's gold has them.

Run with `-s` to see the table.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from cchc.core.text import fold
from cchc.intake.document import Document, Line
from cchc.intake.extract.tasks import extract_tasks

SEEDS = Path("/work/shared/seeds")
GOLD = Path(__file__).parent / "fixtures" / "gold"
KEYS = ("000", "001", "002", "003", "004")
FIELDS = ("content", "deliverable", "timeframe", "lead", "coordinating", "group", "area")
REQUIRED = ("timeframe", "lead", "group")
CONTENT_MATCH = 0.8  # similarity of folded contents for two tasks to be one
FIELD_MATCH = 0.9  # similarity of folded field texts for a field to be right

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")


def seed_path(key: str) -> Path:
    return next(SEEDS.glob(f"{key}_*.txt"))


def seed_document(key: str) -> Document:
    """The seed as a reader would give it (until `cchc.intake.readers` is used here): one
    Line per non-blank line with its original number; a line with a TAB is a table row,
    its cells split on TABs; consecutive rows (only blank lines between) share a table."""
    lines: list[Line] = []
    table, previous_was_row = -1, False
    for number, raw in enumerate(seed_path(key).read_text(encoding="utf-8").split("\n"), start=1):
        text = " ".join(raw.split())
        if not text:
            continue
        if "\t" in raw:
            if not previous_was_row:
                table += 1
            cells = tuple(" ".join(c.split()) for c in raw.split("\t"))
            lines.append(Line(number=number, text=" | ".join(cells), cells=cells, table=table))
            previous_was_row = True
        else:
            lines.append(Line(number=number, text=text))
            previous_was_row = False
    return Document(lines=lines, source_name=seed_path(key).name, kind="text")


def gold_tasks(key: str) -> list[dict]:
    return json.loads((GOLD / f"{key}.json").read_text(encoding="utf-8"))["tasks"]


def _similar(a: str | None, b: str | None) -> float:
    a, b = fold(a), fold(b)
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def local_score(predicted: list[dict], gold: list[dict]) -> dict:
    """Greedy one-to-one matching on content, then per-field accuracy on the pairs."""
    pairs = []
    candidates = sorted(
        (
            (_similar(p["content"], g["content"]), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p, used_g = set(), set()
    for similarity, i, j in candidates:
        if similarity < CONTENT_MATCH:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((predicted[i], gold[j]))
    fields = {}
    for name in FIELDS:
        right = sum(1 for p, g in pairs if _similar(p.get(name), g.get(name)) >= FIELD_MATCH)
        fields[name] = right / len(pairs) if pairs else 0.0
    return {
        "precision": len(pairs) / len(predicted) if predicted else 0.0,
        "recall": len(pairs) / len(gold) if gold else 1.0,
        "fields": fields,
        "missed": [g for j, g in enumerate(gold) if j not in used_g],
        "extra": [p for i, p in enumerate(predicted) if i not in used_p],
        "wrong": {name: [(p.get(name), g.get(name)) for p, g in pairs
                         if _similar(p.get(name), g.get(name)) < FIELD_MATCH] for name in FIELDS},
    }


def shared_score(predicted: list[dict], gold: list[dict]) -> dict | None:
    """`cchc.intake.scoring.score` (exact fields, whitespace normalised) when it is there."""
    try:
        from cchc.intake.scoring import same, score
    except ImportError:
        return None
    result = score(predicted, gold, key="content", fields=FIELDS)
    return {
        "precision": result.precision,
        "recall": result.recall,
        "fields": dict(result.field_accuracy),
        "missed": result.misses,
        "extra": result.extras,
        "wrong": {name: [(p.get(name), g.get(name)) for p, g in result.pairs
                         if not same(p.get(name), g.get(name))] for name in FIELDS},
    }


def measure(key: str, document: Document | None = None) -> dict:
    from dataclasses import asdict

    predicted = [asdict(task) for task in extract_tasks(document or seed_document(key))]
    gold = gold_tasks(key)
    return shared_score(predicted, gold) or local_score(predicted, gold)


def _report(key: str, result: dict) -> str:
    fields = " ".join(f"{name}={value:.2f}" for name, value in result["fields"].items())
    return f"seed {key}: P={result['precision']:.2f} R={result['recall']:.2f} {fields}"


@pytest.mark.parametrize("key", KEYS)
def test_tasks_quality(key):
    result = measure(key)
    print(_report(key, result))
    gold = gold_tasks(key)
    assert result["precision"] >= 0.95, (result["extra"], _report(key, result))
    assert result["recall"] >= 0.95, (result["missed"], _report(key, result))
    for name in REQUIRED:
        if any(task.get(name) for task in gold):
            assert result["fields"][name] >= 0.9, (name, result["wrong"][name][:5], _report(key, result))


@pytest.mark.parametrize("key", KEYS)
def test_tasks_quality_through_the_text_reader(key):
    """The same gate on the Document `cchc.intake.readers` makes of the seed file."""
    try:
        from cchc.intake.readers import read_document
    except ImportError:
        pytest.skip("cchc.intake.readers has not landed yet")
    path = seed_path(key)
    result = measure(key, read_document(path.read_bytes(), path.name))
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, _report(key, result)
    for name in REQUIRED:
        if any(task.get(name) for task in gold_tasks(key)):
            assert result["fields"][name] >= 0.9, (name, _report(key, result))
