"""Item analysis of a test (pure, no database): how easy each question was, how well it separates strong
students from weak ones, which options were chosen, how the scores spread, and how reliable the test is.

The input is a score matrix: a row per attempt, a column per question, each cell the share of the question's
points the attempt earned (0..1), None where the attempt did not show the question (questions drawn at
random). Every question then weighs the same; an attempt's total is the sum of its row.

Where a statistic cannot be computed (fewer than two attempts, no spread at all) it is None, shown as "—".
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UPPER_LOWER_SHARE = 0.27
HISTOGRAM_BINS = 10
Matrix = Sequence[Sequence[float | None]]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def variance(values: Sequence[float]) -> float | None:
    """The population variance (divided by n), None for fewer than two values."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return sum((v - centre) ** 2 for v in values) / len(values)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long sequences; None for n < 2 or when either does not vary."""
    if len(xs) != len(ys):
        raise ValueError("correlation needs two sequences of the same length")
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def facility(scores: Sequence[float], max_points: float = 1.0) -> float | None:
    """The facility index: the mean score as a share of the question's points (1: everyone got it right)."""
    if not scores or max_points <= 0:
        return None
    return sum(scores) / len(scores) / max_points


def group_size(n: int, share: float = UPPER_LOWER_SHARE) -> int:
    """How many attempts make the upper (and the lower) group: 27 % of n, at least one, at most half."""
    if n < 2:
        return 0
    return max(1, min(n // 2, round(n * share)))


def discrimination(
    scores: Sequence[float], totals: Sequence[float], max_points: float = 1.0, share: float = UPPER_LOWER_SHARE
) -> float | None:
    """The discrimination index: the facility in the upper 27 % of attempts by total minus that in the lower
    27 % (−1..1). Ties in the total keep the order given. None for fewer than two attempts."""
    if len(scores) != len(totals):
        raise ValueError("discrimination needs a total for every score")
    k = group_size(len(scores), share)
    if k == 0 or max_points <= 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: (totals[i], i))
    lower = [scores[i] for i in order[:k]]
    upper = [scores[i] for i in order[-k:]]
    return (sum(upper) / k - sum(lower) / k) / max_points


def point_biserial(scores: Sequence[float], totals: Sequence[float]) -> float | None:
    """The correlation of the question's score with the rest-score (the total without this question), so
    that the question does not correlate with itself. None for n < 2 or no spread."""
    if len(scores) != len(totals):
        raise ValueError("point_biserial needs a total for every score")
    rest = [t - s for s, t in zip(scores, totals, strict=True)]
    return correlation(scores, rest)


def is_dichotomous(matrix: Matrix) -> bool:
    """Every cell is 0 or 1 (right or wrong), as KR-20 needs."""
    return all(cell in (0, 1) for row in matrix for cell in row)


def _complete(matrix: Matrix) -> list[list[float]]:
    if any(cell is None for row in matrix for cell in row):
        raise ValueError("reliability needs a complete matrix: drop the questions not every attempt showed")
    return [[float(c) for c in row if c is not None] for row in matrix]


def cronbach_alpha(matrix: Matrix) -> float | None:
    """Cronbach's alpha, k/(k−1) · (1 − Σ item variances / variance of the totals), over a complete matrix.
    None for fewer than two attempts or questions, or when the totals do not vary."""
    rows = _complete(matrix)
    if len(rows) < 2 or not rows or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    if any(len(r) != k for r in rows):
        raise ValueError("every row needs the same number of questions")
    total_variance = variance([sum(r) for r in rows])
    if not total_variance or total_variance <= 1e-12:
        return None
    item_variances = sum(variance([r[j] for r in rows]) or 0.0 for j in range(k))
    return k / (k - 1) * (1 - item_variances / total_variance)


def kr20(matrix: Matrix) -> float | None:
    """Kuder–Richardson 20 for right/wrong questions, k/(k−1) · (1 − Σ p·q / variance of the totals): alpha
    for 0/1 scores. None when a cell is neither 0 nor 1, or as for alpha."""
    rows = _complete(matrix)
    if not is_dichotomous(rows):
        return None
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k, n = len(rows[0]), len(rows)
    total_variance = variance([sum(r) for r in rows])
    if not total_variance or total_variance <= 1e-12:
        return None
    pq = 0.0
    for j in range(k):
        p = sum(r[j] for r in rows) / n
        pq += p * (1 - p)
    return k / (k - 1) * (1 - pq / total_variance)


def histogram(percents: Iterable[float], bins: int = HISTOGRAM_BINS) -> list[int]:
    """How many scores fall in each tenth of 0–100 %: [0, 10), [10, 20), …, [90, 100] (100 in the last)."""
    counts = [0] * bins
    width = 100 / bins
    for percent in percents:
        value = min(max(float(percent), 0.0), 100.0)
        counts[min(int(value // width), bins - 1)] += 1
    return counts


def chosen_options(qtype: str, answer: Any) -> list[str]:
    """The option ids an answer chose (single, multiple, true/false as "true"/"false"); [] for none."""
    if not isinstance(answer, Mapping):
        return []
    if qtype == "single":
        choice = answer.get("choice")
        return [str(choice)] if choice not in (None, "") else []
    if qtype == "multiple":
        choices = answer.get("choices")
        return [str(c) for c in choices] if isinstance(choices, list) else []
    if qtype == "true_false":
        value = answer.get("value")
        return ["true" if value else "false"] if isinstance(value, bool) else []
    return []


def distractor_counts(qtype: str, answers: Iterable[Any], option_ids: Sequence[str]) -> tuple[dict[str, int], int]:
    """How many answers chose each option (in the order of `option_ids`) and how many chose none."""
    counts = dict.fromkeys(option_ids, 0)
    blank = 0
    for answer in answers:
        chosen = [c for c in chosen_options(qtype, answer) if c in counts]
        if not chosen:
            blank += 1
        for option in dict.fromkeys(chosen):
            counts[option] += 1
    return counts, blank


@dataclass(frozen=True)
class QuestionStats:
    """The statistics of one column of the matrix (`n`: how many attempts showed the question)."""

    n: int
    facility: float | None
    discrimination: float | None
    point_biserial: float | None


@dataclass(frozen=True)
class TestStats:
    """The whole test: per question, the distribution of percentages, reliability over the questions every
    attempt showed (`common`: their column indexes)."""

    questions: list[QuestionStats]
    attempts: int
    mean_percent: float | None
    histogram: list[int]
    dichotomous: bool
    kr20: float | None
    alpha: float | None
    common: list[int] = field(default_factory=list)


def analyse(matrix: Matrix, percents: Sequence[float] | None = None) -> TestStats:
    """Every statistic of the score matrix (see the module). `percents` are the attempts' percentages for the
    distribution (their rows' mean share × 100 when not given)."""
    rows = [list(r) for r in matrix]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    totals = [sum(c for c in r if c is not None) for r in rows]
    questions = []
    for j in range(width):
        shown = [i for i, r in enumerate(rows) if r[j] is not None]
        scores = [float(rows[i][j]) for i in shown]  # type: ignore[arg-type]
        column_totals = [totals[i] for i in shown]
        questions.append(
            QuestionStats(
                n=len(shown),
                facility=facility(scores),
                discrimination=discrimination(scores, column_totals),
                point_biserial=point_biserial(scores, column_totals),
            )
        )
    if percents is None:
        shares: list[float] = []
        for r in rows:
            cells = [c for c in r if c is not None]
            shares.append(100 * sum(cells) / len(cells) if cells else 0.0)
        percents = shares
    common = [j for j in range(width) if rows and all(r[j] is not None for r in rows)]
    reduced = [[r[j] for j in common] for r in rows]
    dichotomous = bool(common) and is_dichotomous(reduced)
    return TestStats(
        questions=questions,
        attempts=len(rows),
        mean_percent=mean([float(p) for p in percents]),
        histogram=histogram(percents),
        dichotomous=dichotomous,
        kr20=kr20(reduced) if dichotomous else None,
        alpha=cronbach_alpha(reduced) if common else None,
        common=common,
    )
