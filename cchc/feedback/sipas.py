"""The satisfaction index (SIPAS) computed from raw answer counts — pure Python, no database.

The formula (sources and what was and was not verified: docs/law/sipas.md)
-------------------------------------------------------------------------
Everything is computed from counts of answers, never from percentages.

1. **Question (criterion) index** — the share of satisfied answers among the answers given
   to that question::

       index(q) = (answers "Hài lòng" + answers "Rất hài lòng") / answers to q

   "Bình thường" is not satisfied. A respondent who left the question blank is not in the
   denominator. This is the "tỷ lệ % người dân hài lòng" that every MoHA publication
   reports (SIPAS 2023: 82,66 %); the sentence of Decision 2640/QĐ-BNV or 1001/QĐ-BNV that
   defines it was *not* read word for word.

2. **Area index** — by default (``Aggregation.MEAN``) the mean of the indexes one level
   down: of its criteria, or of its sub-areas when it has some (cchc takes SIPAS 2023's
   "Việc cung ứng dịch vụ hành chính công" as the mean of its five areas). Each criterion
   weighs the same whatever the number of its answers. ``Aggregation.POOLED`` divides instead all the
   satisfied answers of the area by all its answers. When every respondent answers every
   question the two are equal; they differ only when questions were skipped.

3. **Survey index** — the mean of the top-level satisfaction areas (``MEAN``), or all
   satisfied answers over all answers of those areas (``POOLED``). ``MEAN`` gives every
   area the same weight (MoHA publishes one index per area beside the total); that the
   national SIPAS is computed this way is *unverified*, and the 2024 figures show it is not
   the plain mean of the two published part indexes (see docs/law/sipas.md).

Within a unit the choice is the ``aggregation`` argument, ``MEAN`` by default. It is a
convention until the method's annex is read; it is applied everywhere in one place so it
can be switched.

Roll-up across units (a district office and its schools, a department and its subtree)
---------------------------------------------------------------------------------------
``rollup`` **sums the raw counts** of the units (respondents and, per question, per
option) and the formula above is then applied to the sums, exactly as if the answers had
been collected by one unit. Averaging the units' percentages is wrong: a school with 10
answers would weigh as much as one with 500, and the result would no longer be the share
of satisfied people of the subtree (90 % of 100 answers and 10 % of 10 answers average to
50 %, but 91 of the 110 people, 82,73 %, were satisfied). MoHA publishes a "national
average" of the 63 provinces; whether it averages the provinces' indexes or pools
answers was not verified, so cchc does not reproduce it: a roll-up is a pooled index.

Minimum number of answers
-------------------------
A unit with fewer respondents than ``min_answers`` (``DEFAULT_MIN_ANSWERS``, configurable
per campaign) is shown as "not enough answers" (``UnitResult.enough_answers``) and is left
out of rankings; its counts still go into its parent's roll-up. The plans read set sample
sizes per unit, not a ranking threshold: the threshold is a cchc setting.

Charts
------
``option_counts`` gives each option its own count and share, including options nobody
chose; for a multiple-choice question the shares are of respondents who answered it and
may add up to more than 100 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from cchc.feedback.questionnaires import SATISFIED, Question, Questionnaire

DEFAULT_MIN_ANSWERS = 30


class Aggregation(StrEnum):
    MEAN = "mean"  # mean of the indexes one level down (criteria, sub-areas, areas)
    POOLED = "pooled"  # all satisfied answers below over all answers below


Answer = str | list[str] | tuple[str, ...] | None


@dataclass(frozen=True)
class Tally:
    """Raw counts for one unit or a roll-up: respondents, and per question per option."""

    respondents: int
    counts: Mapping[str, Mapping[str, int]]

    def answered(self, question_code: str) -> int:
        """How many respondents answered the question (for a multiple-choice question: ticked anything)."""
        return self.counts.get(question_code, {}).get(ANSWERED, 0)

    def count(self, question_code: str, option_code: str) -> int:
        return self.counts.get(question_code, {}).get(option_code, 0)


# The per-question key holding the number of respondents who answered it. A scale or single
# question has exactly one option per answer, so this equals the sum of its options; a
# multiple-choice question needs it because one answer ticks several options.
ANSWERED = "_answered"


def tally_responses(questionnaire: Questionnaire, responses: Iterable[Mapping[str, Answer]]) -> Tally:
    """Count a unit's responses: each response maps question codes to an option code (a list
    of option codes for a multiple-choice question, free text for a text question).

    A blank answer (``None``, ``""``, ``[]``) is not counted; an unknown question or option
    is an error, so that a changed form cannot silently lose answers."""
    counts: dict[str, Counter[str]] = {}
    respondents = 0
    for response in responses:
        respondents += 1
        for code, answer in response.items():
            question = questionnaire.question(code)
            if question.kind == "text" or answer in (None, "", [], ()):
                continue
            chosen = [answer] if isinstance(answer, str) else list(answer)
            if question.kind != "multiple" and len(chosen) != 1:
                raise ValueError(f"{code}: one option expected, got {chosen!r}")
            valid = {o.code for o in question.options}
            for option in chosen:
                if option not in valid:
                    raise ValueError(f"{code}: unknown option {option!r}")
            tally = counts.setdefault(code, Counter())
            tally[ANSWERED] += 1
            for option in set(chosen):
                tally[option] += 1
    return Tally(respondents, {code: dict(c) for code, c in counts.items()})


def rollup(tallies: Iterable[Tally]) -> Tally:
    """Sum the raw counts of several units (never their percentages: see the module docstring)."""
    respondents = 0
    counts: dict[str, Counter[str]] = {}
    for tally in tallies:
        respondents += tally.respondents
        for code, options in tally.counts.items():
            counts.setdefault(code, Counter()).update(options)
    return Tally(respondents, {code: dict(c) for code, c in counts.items()})


@dataclass(frozen=True)
class Index:
    """A satisfaction index: ``value`` is exact (a fraction of 1), ``None`` with no answers.

    ``satisfied`` and ``answered`` are the raw counts of the scored questions below, shown
    next to the index so that a reader can check it."""

    value: Fraction | None
    satisfied: int
    answered: int

    @property
    def percent(self) -> Decimal | None:
        """The index in per cent, rounded half up to 2 decimals, as the MoHA reports print it."""
        if self.value is None:
            return None
        exact = Decimal(self.value.numerator) / Decimal(self.value.denominator) * 100
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def question_index(tally: Tally, question: Question) -> Index:
    """Satisfied answers ("Hài lòng" + "Rất hài lòng") over the answers to this question."""
    if question.kind != "scale5":
        raise ValueError(f"{question.code} is not on the 5-level scale")
    answered = tally.answered(question.code)
    satisfied = sum(tally.count(question.code, option) for option in SATISFIED)
    return Index(Fraction(satisfied, answered) if answered else None, satisfied, answered)


def _mean(indexes: Iterable[Index]) -> Fraction | None:
    values = [i.value for i in indexes if i.value is not None]
    return sum(values, Fraction(0)) / len(values) if values else None


def area_index(
    tally: Tally, questionnaire: Questionnaire, area_code: str, aggregation: Aggregation = Aggregation.MEAN
) -> Index:
    """An area's index: the mean of its criteria (or of its sub-areas), or pooled answers."""
    questions = questionnaire.scored_questions(area_code)
    below = [question_index(tally, q) for q in questions]
    satisfied = sum(i.satisfied for i in below)
    answered = sum(i.answered for i in below)
    if aggregation is Aggregation.POOLED:
        return Index(Fraction(satisfied, answered) if answered else None, satisfied, answered)
    children = questionnaire.children(area_code)
    if children:
        value = _mean(area_index(tally, questionnaire, c.code, aggregation) for c in children)
    else:
        value = _mean(below)
    return Index(value, satisfied, answered)


def survey_index(
    tally: Tally, questionnaire: Questionnaire, aggregation: Aggregation = Aggregation.MEAN
) -> Index:
    """The whole survey: the mean of its top-level satisfaction areas, or pooled answers."""
    areas = [area_index(tally, questionnaire, a.code, aggregation) for a in questionnaire.index_areas()]
    satisfied = sum(i.satisfied for i in areas)
    answered = sum(i.answered for i in areas)
    if aggregation is Aggregation.POOLED:
        return Index(Fraction(satisfied, answered) if answered else None, satisfied, answered)
    return Index(_mean(areas), satisfied, answered)


@dataclass(frozen=True)
class OptionCount:
    code: str
    label: str
    count: int
    share: Fraction | None  # of the respondents who answered the question


def option_counts(tally: Tally, question: Question) -> list[OptionCount]:
    """Each option counted on its own, in form order, options nobody chose included."""
    answered = tally.answered(question.code)
    return [
        OptionCount(
            option.code,
            option.label,
            tally.count(question.code, option.code),
            Fraction(tally.count(question.code, option.code), answered) if answered else None,
        )
        for option in question.options
    ]


@dataclass(frozen=True)
class UnitResult:
    respondents: int
    enough_answers: bool
    overall: Index
    areas: dict[str, Index]
    questions: dict[str, Index]


def unit_result(
    tally: Tally,
    questionnaire: Questionnaire,
    *,
    min_answers: int = DEFAULT_MIN_ANSWERS,
    aggregation: Aggregation = Aggregation.MEAN,
) -> UnitResult:
    """Every index of one unit (or of a roll-up), and whether it has enough answers to be ranked."""
    if min_answers < 1:
        raise ValueError("min_answers must be at least 1")
    scored = [q for q in questionnaire.questions if questionnaire.is_scored(q)]
    scored_areas = [a for a in questionnaire.areas if a.part in ("satisfaction", "overall")]
    return UnitResult(
        respondents=tally.respondents,
        enough_answers=tally.respondents >= min_answers,
        overall=survey_index(tally, questionnaire, aggregation),
        areas={a.code: area_index(tally, questionnaire, a.code, aggregation) for a in scored_areas},
        questions={q.code: question_index(tally, q) for q in scored},
    )


def rank_units(results: Mapping[str, UnitResult]) -> tuple[list[str], list[str]]:
    """Units with enough answers, best overall index first (ties by key), and the others
    ("not enough answers"), in key order."""
    ranked = [k for k, r in results.items() if r.enough_answers and r.overall.value is not None]
    ranked.sort(key=lambda k: (-results[k].overall.value, k))
    not_ranked = sorted(set(results) - set(ranked))
    return ranked, not_ranked
