"""The letter point-rating system as pure calculations (rules 28–30; kazakhstan-facts §a, §b). No database.

All scores are on the 100-point scale and kept to the cent, halves up (`cents`).

- A rating part (TK1, RK1, TK2, RK2) is the weighted mean of its measures' scores; a measure without a grade
  counts 0 (a control not done earns nothing). A part without measures is absent (None).
- R1 = w × TK1 + (1 − w) × RK1 and R2 = w × TK2 + (1 − w) × RK2, w the policy's current-control weight (0.5:
  the plain mean). When one part of a pair is absent the other counts alone; when both are, R is absent.
- The admission rating is the mean of the R1 and R2 present; absent when neither is.
- Admission (rule 29): every required measure graded and at least its pass points, and the admission rating
  at least the threshold (50 by default). `admission` returns every reason it fails, not only the first.
  Before the exam a student who is not admitted is "in progress" while some measure is still to be held (its
  due moment or week's end has not come) and no measure already held was missed or failed; otherwise "not
  admitted".
- final = (1 − e) × admission + e × exam, e the exam weight (0.4). The exam's score is the FX retake's when
  there is one.
- The letter is read off the scale on the final score rounded to a whole point by the policy's rounding rule
  (the scale's boundaries are whole points). An exam below the exam threshold cannot give a positive grade: the
  letter is then the final score's if that is already negative, otherwise FX (the sources do not say more;
  this is the common practice: the result is unsatisfactory, FX or F by the score).
- GPA = Σ(credits × digital equivalent) / Σ credits to the cent, F counting 0 and staying in the denominator.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from qashyq.gradebook.data import Outcome, Rounding

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
HALF = Decimal("0.5")
RATING_PARTS = ("tk1", "rk1", "tk2", "rk2")
ROUNDINGS = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.HALF_EVEN: ROUND_HALF_EVEN, Rounding.DOWN: ROUND_DOWN}


def cents(value: Decimal) -> Decimal:
    """Scores and ratings are kept to the cent, halves rounded up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def whole_points(value: Decimal, rounding: str) -> int:
    """The score the scale is read on: `value` rounded to a whole point by the policy's rule."""
    return int(value.quantize(Decimal(1), rounding=ROUNDINGS[Rounding(rounding)]))


def decimal_from(value: Any, high: Decimal = HUNDRED) -> Decimal | None:
    """`value` (a number or its text) as a Decimal from 0 to `high` with at most two decimals, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not (number.is_finite() and ZERO <= number <= high and number == number.quantize(CENT)):
        return None
    return abs(number).quantize(CENT)  # abs: "-0" is 0.00, not -0.00


# --- The scale --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    letter: str
    min_points: int
    max_points: int
    gpa: Decimal
    passing: bool


@dataclass(frozen=True)
class Scale:
    """A version of the letter scale: bands that cover 0–100 whole points without gap or overlap."""

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: -b.min_points)))

    def problems(self) -> list[str]:
        """What is wrong with the bands, in words for the person who edits the scale ([] when it is sound): every
        whole point 0–100 in exactly one band, each letter once, positive grades above the negative ones, at
        least one negative grade, and a digital equivalent that never rises as the points fall."""
        found: list[str] = []
        expected_top = 100
        for band in self.bands:
            if band.min_points > band.max_points:
                found.append(
                    _("%(letter)s: starts at %(low)s, above its end %(high)s")
                    % {"letter": band.letter, "low": band.min_points, "high": band.max_points}
                )
            if band.max_points != expected_top:
                found.append(
                    _("%(letter)s: ends at %(end)s, expected %(expected)s")
                    % {"letter": band.letter, "end": band.max_points, "expected": expected_top}
                )
            expected_top = band.min_points - 1
        if expected_top >= 0:
            found.append(_("0–%(top)s has no letter") % {"top": expected_top})
        elif expected_top < -1:
            found.append(_("a band starts below 0"))
        letters = [b.letter for b in self.bands]
        if len(set(letters)) != len(letters):
            found.append(_("a letter appears twice"))
        if all(b.passing for b in self.bands):
            found.append(_("no negative grade (FX, F)"))
        for higher, lower in zip(self.bands, self.bands[1:], strict=False):
            if lower.passing and not higher.passing:
                found.append(
                    _("%(lower)s is a positive grade below the negative %(higher)s")
                    % {"lower": lower.letter, "higher": higher.letter}
                )
            if lower.gpa > higher.gpa:
                found.append(
                    _("%(lower)s has a higher digital equivalent than %(higher)s")
                    % {"lower": lower.letter, "higher": higher.letter}
                )
        return found

    def band_for(self, points: int) -> Band:
        """The band holding a whole-point score (0–100)."""
        for band in self.bands:
            if band.min_points <= points <= band.max_points:
                return band
        raise ValueError(f"no band holds {points}")

    def highest_failing(self) -> Band:
        """The best negative grade (FX on the current scale)."""
        for band in self.bands:
            if not band.passing:
                return band
        raise ValueError("the scale has no negative grade")


@dataclass(frozen=True)
class Policy:
    """The dated formulas, weights and thresholds of the institution (`models.GradingPolicy`)."""

    scale: Scale
    current_weight: Decimal = HALF
    exam_weight: Decimal = Decimal("0.4")
    admission_threshold: Decimal = Decimal("50")
    exam_threshold: Decimal = Decimal("50")
    rounding: str = Rounding.HALF_UP


# --- Ratings ----------------------------------------------------------------------------------------


class MeasureScore(NamedTuple):
    """One measure of a student: its weight in its part, whether admission needs it, its pass points and the
    student's score (None: not graded). A named tuple: a recalculation builds one per student and measure."""

    measure_id: int
    part: str
    weight: Decimal
    score: Decimal | None
    required: bool = True
    pass_points: Decimal = ZERO
    held: bool = True  # False: its due moment is still to come


def part_score(measures: Iterable[MeasureScore]) -> Decimal | None:
    """The weighted mean of the measures' scores (ungraded count 0); None when there are no measures."""
    total_weight = ZERO
    total = ZERO
    for m in measures:
        total_weight += m.weight
        if m.score is not None:
            total += m.weight * m.score
    if total_weight == ZERO:
        return None
    return cents(total / total_weight)


def rating(current: Decimal | None, midterm: Decimal | None, current_weight: Decimal) -> Decimal | None:
    """R = w × TK + (1 − w) × RK; the present part alone when the other is absent."""
    if current is None and midterm is None:
        return None
    if current is None:
        return midterm
    if midterm is None:
        return current
    return cents(current_weight * current + (1 - current_weight) * midterm)


def admission_rating(r1: Decimal | None, r2: Decimal | None) -> Decimal | None:
    present = [r for r in (r1, r2) if r is not None]
    if not present:
        return None
    return cents(sum(present, ZERO) / len(present))


@dataclass(frozen=True)
class Reason:
    """Why a student is not admitted: `code` is "missing" (measure not graded), "failed" (below its pass
    points) or "rating" (admission rating below the threshold, or none yet); `measure_id` for the first two.
    `score` and `needed` say by how much: the measure's score and pass points ("failed"), the admission rating
    (None when there is none) and the threshold ("rating")."""

    code: str
    measure_id: int | None = None
    score: Decimal | None = None
    needed: Decimal | None = None


def admission(
    measures: Sequence[MeasureScore], rating_value: Decimal | None, threshold: Decimal
) -> tuple[bool, tuple[Reason, ...]]:
    """Rule 29: admitted when every required measure is graded and passed and the rating reaches the threshold."""
    reasons: list[Reason] = []
    for m in measures:
        if not m.required:
            continue
        if m.score is None:
            reasons.append(Reason("missing", m.measure_id))
        elif m.score < m.pass_points:
            reasons.append(Reason("failed", m.measure_id, score=m.score, needed=m.pass_points))
    if rating_value is None or rating_value < threshold:
        reasons.append(Reason("rating", score=rating_value, needed=threshold))
    return not reasons, tuple(reasons)


def final_score(admission_value: Decimal, exam: Decimal, exam_weight: Decimal) -> Decimal:
    return cents((1 - exam_weight) * admission_value + exam_weight * exam)


def letter_for(final: Decimal, exam: Decimal, policy: Policy) -> Band:
    """The band of the final score; an exam below the threshold caps it at the best negative grade."""
    band = policy.scale.band_for(whole_points(final, policy.rounding))
    if exam < policy.exam_threshold and band.passing:
        return policy.scale.highest_failing()
    return band


# --- One course, whole ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseStanding:
    tk1: Decimal | None
    rk1: Decimal | None
    tk2: Decimal | None
    rk2: Decimal | None
    r1: Decimal | None
    r2: Decimal | None
    admission: Decimal | None
    admitted: bool
    reasons: tuple[Reason, ...]
    exam: Decimal | None
    exam_attempt: int
    final: Decimal | None
    band: Band | None
    outcome: str


def standing(
    measures: Sequence[MeasureScore],
    exam: Decimal | None,
    retake: Decimal | None,
    policy: Policy,
    *,
    closed: bool = False,
) -> CourseStanding:
    """Everything the journal shows of one student in one course, from the scores of the course's measures
    (the exam measure excluded: its first sitting is `exam`, the FX retake `retake`).

    Outcome: passed / FX / F once there is an exam score; without it, admitted or not admitted — and when the
    period is closed, a student without an exam score gets F (the discipline is studied again). An FX stays FX
    until its retake is graded, which decides: a positive grade, or F."""
    grouped: dict[str, list[MeasureScore]] = {p: [] for p in RATING_PARTS}
    for m in measures:
        bucket = grouped.get(m.part)
        if bucket is not None:
            bucket.append(m)
    parts = {p: part_score(found) for p, found in grouped.items()}
    r1 = rating(parts["tk1"], parts["rk1"], policy.current_weight)
    r2 = rating(parts["tk2"], parts["rk2"], policy.current_weight)
    adm = admission_rating(r1, r2)
    admitted, reasons = admission(measures, adm, policy.admission_threshold)
    exam_value, attempt = (retake, 2) if retake is not None else (exam, 1 if exam is not None else 0)
    final = band = None
    if admitted and exam_value is not None and adm is not None:
        final = final_score(adm, exam_value, policy.exam_weight)
        band = letter_for(final, exam_value, policy)
        if band.passing:
            outcome = Outcome.PASSED
        elif attempt == 1 and band.letter == policy.scale.highest_failing().letter:
            outcome = Outcome.FX
        else:
            outcome = Outcome.F
    elif closed:
        outcome = Outcome.F
        band = policy.scale.bands[-1]
    elif admitted:
        outcome = Outcome.ADMITTED
    else:
        outcome = Outcome.IN_PROGRESS if _still_open(measures, reasons) else Outcome.NOT_ADMITTED
    return CourseStanding(
        tk1=parts["tk1"],
        rk1=parts["rk1"],
        tk2=parts["tk2"],
        rk2=parts["rk2"],
        r1=r1,
        r2=r2,
        admission=adm,
        admitted=admitted,
        reasons=reasons,
        exam=exam_value,
        exam_attempt=attempt,
        final=final,
        band=band,
        outcome=outcome,
    )


def _still_open(measures: Sequence[MeasureScore], reasons: Sequence[Reason]) -> bool:
    """Admission may still come: some measure is still to be held, and no measure already held was missed or
    failed (a rating below the threshold can still rise)."""
    held = {m.measure_id for m in measures if m.held}
    if len(held) == len(measures):
        return False
    return not any(r.measure_id in held for r in reasons)


def held_at(due_at: datetime | None, week: int | None, period_start: date, tz: tzinfo) -> datetime | None:
    """When a measure is held: its due moment, else the end of its week of the period (None: neither)."""
    if due_at is not None:
        return due_at
    if week:
        return datetime.combine(period_start + timedelta(days=7 * week), time.min, tzinfo=tz)
    return None


# --- GPA and windows --------------------------------------------------------------------------------


def gpa(entries: Iterable[tuple[int, Decimal]]) -> Decimal | None:
    """Σ(credits × digital equivalent) / Σ credits, to the cent; None without credits."""
    credits = 0
    points = ZERO
    for credit, value in entries:
        credits += credit
        points += credit * value
    if credits == 0:
        return None
    return cents(points / credits)


def entry_open(
    held_at: datetime | None, now: datetime, window_days: int, reopened_until: datetime | None = None
) -> bool:
    """A measure's column takes grades until `window_days` days after the measure is held (its due date or
    its week's end; None: no limit), and again while a reopening for the student lasts."""
    if reopened_until is not None and now <= reopened_until:
        return True
    if held_at is None:
        return True
    return now <= held_at + timedelta(days=window_days)
