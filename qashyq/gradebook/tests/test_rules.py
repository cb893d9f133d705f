"""rules.py: the letter point-rating system without a database (kazakhstan-facts §a, §b)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qashyq.gradebook import rules
from qashyq.gradebook.data import Outcome, Rounding
from qashyq.gradebook.rules import Band, MeasureScore, Policy, Reason, Scale

D = Decimal

# The current scale as the sources print it (letter, from, to, digital equivalent, positive).
TABLE = [
    ("A", 95, 100, "4.0", True),
    ("A-", 90, 94, "3.67", True),
    ("B+", 85, 89, "3.33", True),
    ("B", 80, 84, "3.0", True),
    ("B-", 75, 79, "2.67", True),
    ("C+", 70, 74, "2.33", True),
    ("C", 65, 69, "2.0", True),
    ("C-", 60, 64, "1.67", True),
    ("D+", 55, 59, "1.33", True),
    ("D", 50, 54, "1.0", True),
    ("FX", 25, 49, "0.5", False),
    ("F", 0, 24, "0", False),
]
SCALE = Scale(tuple(Band(letter, low, high, D(gpa), passing) for letter, low, high, gpa, passing in TABLE))
POLICY = Policy(scale=SCALE)
ROUNDINGS = [Rounding.HALF_UP, Rounding.HALF_EVEN, Rounding.DOWN]
BOUNDARIES = [low for _, low, _, _, _ in TABLE if low > 0]  # 95, 90, …, 50, 25

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=D("0.01"), max_value=10, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)


def letter_of_points(points: int) -> str:
    """The letter of a whole point, read from TABLE (not from the code under test)."""
    return next(letter for letter, low, high, _, _ in TABLE if low <= points <= high)


def policy(**changes) -> Policy:
    return Policy(scale=SCALE, **changes)


def measure(measure_id: int, part: str, score, *, weight="1", required=True, needed="0") -> MeasureScore:
    return MeasureScore(
        measure_id=measure_id,
        part=part,
        weight=D(weight),
        score=None if score is None else D(score),
        required=required,
        pass_points=D(needed),
    )


def four_parts(tk1, rk1, tk2, rk2) -> list[MeasureScore]:
    return [measure(1, "tk1", tk1), measure(2, "rk1", rk1), measure(3, "tk2", tk2), measure(4, "rk2", rk2)]


# --- Formulas ------------------------------------------------------------------------------------------------


def test_r1_is_the_mean_of_tk1_and_rk1_to_the_cent_halves_up():
    assert rules.rating(D("75.25"), D("80.50"), D("0.5")) == D("77.88")  # 77.875
    assert rules.rating(D("70"), D("90"), D("0.5")) == D("80.00")
    assert rules.rating(D("60.01"), D("60.00"), D("0.5")) == D("60.01")  # 60.005


def test_the_current_control_weight_of_the_policy_shifts_r():
    assert rules.rating(D("100"), D("50"), D("0.4")) == D("70.00")


def test_a_rating_with_one_part_absent_is_the_other_part_and_none_without_either():
    assert rules.rating(None, D("64.50"), D("0.5")) == D("64.50")
    assert rules.rating(D("71.20"), None, D("0.5")) == D("71.20")
    assert rules.rating(None, None, D("0.5")) is None


def test_the_admission_rating_is_the_mean_of_r1_and_r2():
    assert rules.admission_rating(D("77.88"), D("61.25")) == D("69.57")  # 69.565
    assert rules.admission_rating(D("80"), None) == D("80.00")
    assert rules.admission_rating(None, None) is None


def test_the_final_score_is_60_percent_admission_and_40_percent_exam():
    assert rules.final_score(D("69.57"), D("84"), D("0.4")) == D("75.34")  # 41.742 + 33.6
    assert rules.final_score(D("50"), D("50"), D("0.4")) == D("50.00")
    assert rules.final_score(D("77.77"), D("0"), D("0.4")) == D("46.66")  # 46.662


def test_a_part_is_the_weighted_mean_of_its_measures_and_an_ungraded_one_counts_zero():
    assert rules.part_score([measure(1, "tk1", "80", weight="1"), measure(2, "tk1", "40", weight="3")]) == D("50.00")
    assert rules.part_score([measure(1, "tk1", "90"), measure(2, "tk1", None)]) == D("45.00")
    assert rules.part_score([measure(1, "tk1", "33.33"), measure(2, "tk1", "0.01"), measure(3, "tk1", "0")]) == D(
        "11.11"
    )
    assert rules.part_score([]) is None


def test_the_standing_puts_the_formulas_together():
    # TK1 = (70 + 80)/2 = 75, RK1 = 81.50 → R1 = 78.25; TK2 = 60, RK2 = 72.25 → R2 = 66.13 (66.125);
    # admission = 72.19 (72.19); final = 0.6 × 72.19 + 0.4 × 88 = 43.314 + 35.2 = 78.51 → B-.
    measures = [
        measure(1, "tk1", "70"),
        measure(2, "tk1", "80"),
        measure(3, "rk1", "81.50"),
        measure(4, "tk2", "60"),
        measure(5, "rk2", "72.25"),
    ]
    result = rules.standing(measures, D("88"), None, POLICY)
    assert (result.tk1, result.rk1, result.tk2, result.rk2) == (D("75.00"), D("81.50"), D("60.00"), D("72.25"))
    assert (result.r1, result.r2, result.admission) == (D("78.25"), D("66.13"), D("72.19"))
    assert (result.exam, result.exam_attempt, result.final) == (D("88"), 1, D("78.51"))
    assert result.band is not None
    assert (result.band.letter, result.band.gpa) == ("B-", D("2.67"))
    assert (result.admitted, result.reasons, result.outcome) == (True, (), Outcome.PASSED)


def test_the_kaznu_gpa_example():
    # 3 credits A (4.0) + 2 credits B (3.0) + 6 credits F (0) → 18 / 11 = 1.636…
    assert rules.gpa([(3, D("4.0")), (2, D("3.0")), (6, D("0"))]) == D("1.64")


def test_gpa_of_nothing_is_none_and_f_stays_in_the_denominator():
    assert rules.gpa([]) is None
    assert rules.gpa([(5, D("0"))]) == D("0.00")
    assert rules.gpa([(5, D("4.0")), (5, D("0"))]) == D("2.00")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0", True),
        ("100", True),
        ("87.50", True),
        ("0.01", True),
        ("100.01", False),
        ("-0.01", False),
        ("87.505", False),
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_a_score_is_a_finite_number_from_0_to_100_with_two_decimals_at_most(value, valid):
    assert (rules.decimal_from(D(value)) is not None) is valid


@pytest.mark.parametrize(
    ("value", "high", "expected"),
    [
        (" 87.5 ", D(100), D("87.50")),
        (87, D(100), D("87.00")),
        (D("0.4"), D(1), D("0.40")),
        ("1", D(1), D("1.00")),
        ("1.01", D(1), None),
        ("0.405", D(1), None),
        ("", D(100), None),
        ("abc", D(100), None),
        (None, D(100), None),
        (True, D(100), None),
        ("1e400", D(100), None),
        ("-0", D(100), D("0.00")),
    ],
)
def test_decimal_from_reads_a_number_or_its_text_within_the_bound(value, high, expected):
    number = rules.decimal_from(value, high)
    assert number == expected
    assert expected is None or str(number) == str(expected)


# --- The scale and rounding ----------------------------------------------------------------------------------


def test_the_current_scale_is_sound():
    assert SCALE.problems() == []
    assert [b.letter for b in SCALE.bands] == [row[0] for row in TABLE]
    assert SCALE.highest_failing().letter == "FX"


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize(("letter", "low", "high", "gpa", "passing"), TABLE)
def test_both_ends_of_every_band_under_every_rounding(rounding, letter, low, high, gpa, passing):
    for points in (low, high, D(low), D(high), D(f"{low}.00")):
        band = SCALE.band_for(rules.whole_points(D(points), rounding))
        assert (band.letter, band.gpa, band.passing) == (letter, D(gpa), passing)
    # Up to half a point above the band's top, every rule still gives the band (half up/even round .49 down).
    if high < 100:
        assert SCALE.band_for(rules.whole_points(D(high) + D("0.49"), rounding)).letter == letter


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_a_fraction_below_a_boundary_under_each_rounding(boundary):
    above, below = letter_of_points(boundary), letter_of_points(boundary - 1)
    half = D(boundary) - D("0.5")  # e.g. 94.50
    nearly = D(boundary) - D("0.01")  # e.g. 94.99
    under_half = D(boundary) - D("0.51")  # e.g. 94.49

    def letter(value: Decimal, rounding: str) -> str:
        return SCALE.band_for(rules.whole_points(value, rounding)).letter

    assert letter(half, Rounding.HALF_UP) == above
    assert letter(half, Rounding.HALF_EVEN) == (above if boundary % 2 == 0 else below)
    assert letter(half, Rounding.DOWN) == below
    assert letter(nearly, Rounding.HALF_UP) == above
    assert letter(nearly, Rounding.HALF_EVEN) == above
    assert letter(nearly, Rounding.DOWN) == below
    for rounding in ROUNDINGS:
        assert letter(under_half, rounding) == below


@pytest.mark.parametrize(
    ("value", "rounding", "letter"),
    [
        ("94.50", Rounding.HALF_UP, "A"),
        ("94.50", Rounding.HALF_EVEN, "A-"),
        ("94.50", Rounding.DOWN, "A-"),
        ("94.99", Rounding.DOWN, "A-"),
        ("89.50", Rounding.HALF_EVEN, "A-"),
        ("49.50", Rounding.HALF_UP, "D"),
        ("49.50", Rounding.HALF_EVEN, "D"),
        ("49.99", Rounding.DOWN, "FX"),
        ("24.50", Rounding.HALF_UP, "FX"),
        ("24.50", Rounding.HALF_EVEN, "F"),
        ("0.49", Rounding.HALF_UP, "F"),
        ("99.99", Rounding.HALF_UP, "A"),
    ],
)
def test_rounding_examples(value, rounding, letter):
    assert SCALE.band_for(rules.whole_points(D(value), rounding)).letter == letter


def test_points_outside_the_scale_have_no_band():
    with pytest.raises(ValueError, match="101"):
        SCALE.band_for(101)
    with pytest.raises(ValueError, match="-1"):
        SCALE.band_for(-1)


def _scale(*rows) -> Scale:
    return Scale(tuple(Band(letter, low, high, D(gpa), passing) for letter, low, high, gpa, passing in rows))


def test_problems_of_a_broken_scale_are_named():
    gap = _scale(("A", 60, 100, "4", True), ("F", 0, 49, "0", False))
    assert gap.problems() == ["F: ends at 49, expected 59"]
    overlap = _scale(("A", 50, 100, "4", True), ("F", 0, 55, "0", False))
    assert overlap.problems() == ["F: ends at 55, expected 49"]
    short = _scale(("A", 50, 100, "4", True), ("F", 10, 49, "0", False))
    assert short.problems() == ["0–9 has no letter"]
    low_top = _scale(("A", 50, 99, "4", True), ("F", 0, 49, "0", False))
    assert low_top.problems() == ["A: ends at 99, expected 100"]
    below_zero = _scale(("A", 50, 100, "4", True), ("F", -5, 49, "0", False))
    assert below_zero.problems() == ["a band starts below 0"]
    reversed_band = _scale(("A", 50, 100, "4", True), ("F", 49, 0, "0", False))
    assert reversed_band.problems() == [
        "F: starts at 49, above its end 0",
        "F: ends at 0, expected 49",
        "0–48 has no letter",
    ]
    twice = _scale(("A", 50, 100, "4", True), ("A", 0, 49, "0", False))
    assert twice.problems() == ["a letter appears twice"]
    no_fail = _scale(("A", 50, 100, "4", True), ("D", 0, 49, "1", True))
    assert no_fail.problems() == ["no negative grade (FX, F)"]
    upside_down = _scale(("F", 50, 100, "0", False), ("A", 0, 49, "0", True))
    assert upside_down.problems() == ["A is a positive grade below the negative F"]
    rising = _scale(("A", 50, 100, "1", True), ("F", 0, 49, "2", False))
    assert rising.problems() == ["F has a higher digital equivalent than A"]
    with pytest.raises(ValueError, match="negative"):
        no_fail.highest_failing()


def test_an_exam_below_the_threshold_caps_a_positive_final_at_fx():
    assert rules.letter_for(D("62.00"), D("40"), POLICY).letter == "FX"
    assert rules.letter_for(D("62.00"), D("49.99"), POLICY).letter == "FX"
    assert rules.letter_for(D("62.00"), D("50"), POLICY).letter == "C-"
    assert rules.letter_for(D("20.00"), D("10"), POLICY).letter == "F"  # already negative: stays F
    assert rules.letter_for(D("40.00"), D("10"), POLICY).letter == "FX"


def test_the_policy_rounding_decides_the_letter():
    assert rules.letter_for(D("94.50"), D("95"), policy(rounding=Rounding.HALF_UP)).letter == "A"
    assert rules.letter_for(D("94.50"), D("95"), policy(rounding=Rounding.HALF_EVEN)).letter == "A-"
    assert rules.letter_for(D("94.99"), D("95"), policy(rounding=Rounding.DOWN)).letter == "A-"


# --- Admission -----------------------------------------------------------------------------------------------


def test_admission_gives_every_reason_in_order():
    measures = [
        measure(1, "tk1", None),
        measure(2, "tk1", "32", needed="50"),
        measure(3, "rk1", "50", needed="50"),
        measure(4, "rk1", None, required=False),
        measure(5, "tk2", "10", required=False, needed="50"),
    ]
    admitted, reasons = rules.admission(measures, D("41.50"), D("50"))
    assert admitted is False
    assert reasons == (
        Reason("missing", 1),
        Reason("failed", 2, score=D("32"), needed=D("50")),
        Reason("rating", score=D("41.50"), needed=D("50")),
    )


def test_admission_at_exactly_the_threshold_and_just_below():
    measures = [measure(1, "tk1", "50")]
    assert rules.admission(measures, D("50.00"), D("50")) == (True, ())
    assert rules.admission(measures, D("49.99"), D("50")) == (
        False,
        (Reason("rating", score=D("49.99"), needed=D("50")),),
    )


def test_no_rating_at_all_is_a_rating_reason():
    assert rules.admission([], None, D("50")) == (False, (Reason("rating", score=None, needed=D("50")),))


def test_a_policy_with_a_lower_threshold_admits_earlier():
    result = rules.standing(four_parts("30", "30", "30", "30"), None, None, policy(admission_threshold=D("30")))
    assert (result.admission, result.admitted, result.outcome) == (D("30.00"), True, Outcome.ADMITTED)


# --- Outcomes ------------------------------------------------------------------------------------------------


def test_passed():
    result = rules.standing(four_parts("80", "80", "80", "80"), D("90"), None, POLICY)
    # 0.6 × 80 + 0.4 × 90 = 84 → B
    assert (result.final, result.band.letter, result.outcome, result.exam_attempt) == (
        D("84.00"),
        "B",
        Outcome.PASSED,
        1,
    )


def test_an_exam_below_50_gives_fx_even_when_the_final_would_pass():
    result = rules.standing(four_parts("80", "80", "80", "80"), D("40"), None, POLICY)
    # final 64 would be C-, but the exam is below 50
    assert (result.final, result.band.letter, result.band.gpa, result.outcome) == (
        D("64.00"),
        "FX",
        D("0.5"),
        Outcome.FX,
    )


def test_fx_by_the_final_score():
    result = rules.standing(four_parts("50", "50", "50", "50"), D("20"), None, POLICY)
    # 30 + 8 = 38 → FX
    assert (result.final, result.band.letter, result.outcome) == (D("38.00"), "FX", Outcome.FX)


def test_f_at_the_first_sitting():
    result = rules.standing(four_parts("30", "30", "30", "30"), D("0"), None, policy(admission_threshold=D("30")))
    # 18 → F
    assert (result.final, result.band.letter, result.band.gpa, result.outcome) == (
        D("18.00"),
        "F",
        D("0"),
        Outcome.F,
    )


def test_an_fx_retake_that_passes():
    result = rules.standing(four_parts("80", "80", "80", "80"), D("40"), D("70"), POLICY)
    # 48 + 28 = 76 → B-
    assert (result.exam, result.exam_attempt, result.final) == (D("70"), 2, D("76.00"))
    assert (result.band.letter, result.outcome) == ("B-", Outcome.PASSED)


def test_an_fx_retake_that_fails_again_is_f_not_another_fx():
    result = rules.standing(four_parts("80", "80", "80", "80"), D("40"), D("30"), POLICY)
    # 48 + 12 = 60, but the retake is below 50: the FX letter, the F outcome
    assert (result.exam_attempt, result.final, result.band.letter, result.outcome) == (
        2,
        D("60.00"),
        "FX",
        Outcome.F,
    )


def test_admitted_and_not_admitted_while_the_period_is_open():
    admitted = rules.standing(four_parts("60", "60", "60", "60"), None, None, POLICY)
    assert (admitted.outcome, admitted.final, admitted.band, admitted.exam_attempt) == (
        Outcome.ADMITTED,
        None,
        None,
        0,
    )
    refused = rules.standing(four_parts("40", "40", None, "40"), D("90"), None, POLICY)
    # an exam score does not help a student who is not admitted
    assert (refused.outcome, refused.final, refused.band) == (Outcome.NOT_ADMITTED, None, None)
    assert refused.reasons == (Reason("missing", 3), Reason("rating", score=D("30.00"), needed=D("50")))


def test_a_student_is_in_progress_while_only_measures_still_to_come_hold_admission_back():
    def rk2_to_come(tk1, rk1, tk2):
        return [*four_parts(tk1, rk1, tk2, None)[:3], measure(4, "rk2", None)._replace(held=False)]

    # RK2 not held yet: neither its missing grade nor a rating below 50 (it can still rise) is final.
    on_track = rules.standing(rk2_to_come("80", "70", "75"), None, None, POLICY)
    assert on_track.outcome == Outcome.IN_PROGRESS
    assert (on_track.reasons, on_track.admission) == ((Reason("missing", 4),), D("56.25"))
    behind = rules.standing(rk2_to_come("30", "30", "30"), None, None, POLICY)
    assert (behind.outcome, behind.reasons[-1].code) == (Outcome.IN_PROGRESS, "rating")
    # A measure already held and missed, or failed, decides it now.
    missed = rules.standing(rk2_to_come("80", None, "75"), None, None, POLICY)
    assert missed.outcome == Outcome.NOT_ADMITTED
    failed = [
        *rk2_to_come("80", "70", "75")[:3],
        measure(5, "tk2", "20", needed="50"),
        measure(4, "rk2", None)._replace(held=False),
    ]
    assert rules.standing(failed, None, None, POLICY).outcome == Outcome.NOT_ADMITTED
    # Once everything is held, the same grades are "not admitted"; a closed period makes it F.
    assert rules.standing(four_parts("80", "70", "75", None), None, None, POLICY).outcome == Outcome.NOT_ADMITTED
    assert rules.standing(rk2_to_come("80", "70", "75"), None, None, POLICY, closed=True).outcome == Outcome.F


def test_a_measure_is_held_at_its_due_moment_or_the_end_of_its_week():
    tz = timezone.get_fixed_timezone(300)
    due = datetime(2026, 10, 24, 12, tzinfo=tz)
    assert rules.held_at(due, 8, date(2026, 9, 1), tz) == due
    assert rules.held_at(None, 4, date(2026, 9, 1), tz) == datetime(2026, 9, 29, tzinfo=tz)
    assert rules.held_at(None, None, date(2026, 9, 1), tz) is None


def test_a_closed_period_gives_f_to_whoever_has_no_final_grade():
    refused = rules.standing(four_parts("40", "40", "40", "40"), None, None, POLICY, closed=True)
    assert (refused.outcome, refused.band.letter, refused.band.gpa, refused.final) == (Outcome.F, "F", D("0"), None)
    absent = rules.standing(four_parts("60", "60", "60", "60"), None, None, POLICY, closed=True)
    assert (absent.outcome, absent.band.letter, absent.admitted) == (Outcome.F, "F", True)


def test_a_closed_period_keeps_passed_and_fx():
    passed = rules.standing(four_parts("80", "80", "80", "80"), D("90"), None, POLICY, closed=True)
    assert (passed.outcome, passed.band.letter) == (Outcome.PASSED, "B")
    fx = rules.standing(four_parts("80", "80", "80", "80"), D("40"), None, POLICY, closed=True)
    assert (fx.outcome, fx.band.letter) == (Outcome.FX, "FX")


def test_only_one_rating_half_present():
    result = rules.standing([measure(1, "tk1", "70"), measure(2, "rk1", "90")], D("50"), None, POLICY)
    # R1 = 80, no R2: admission 80; final 48 + 20 = 68 → C
    assert (result.r1, result.r2, result.admission, result.final, result.band.letter) == (
        D("80.00"),
        None,
        D("80.00"),
        D("68.00"),
        "C",
    )


# --- Entry windows -------------------------------------------------------------------------------------------

HELD = datetime(2026, 10, 16, 18, 0, tzinfo=UTC)


def test_a_column_is_open_for_the_window_and_closes_after_it():
    assert rules.entry_open(HELD, HELD, 10) is True
    assert rules.entry_open(HELD, HELD + timedelta(days=10), 10) is True
    assert rules.entry_open(HELD, HELD + timedelta(days=10, seconds=1), 10) is False
    assert rules.entry_open(HELD, HELD + timedelta(days=3), 2) is False


def test_a_reopening_extends_the_window_until_it_lapses():
    late = HELD + timedelta(days=20)
    assert rules.entry_open(HELD, late, 10, reopened_until=late + timedelta(hours=1)) is True
    assert rules.entry_open(HELD, late, 10, reopened_until=late) is True
    assert rules.entry_open(HELD, late, 10, reopened_until=late - timedelta(seconds=1)) is False


def test_a_measure_without_a_date_has_no_window():
    assert rules.entry_open(None, HELD + timedelta(days=999), 10) is True


# --- Properties ----------------------------------------------------------------------------------------------


def test_every_whole_point_lies_in_exactly_one_band():
    for points in range(101):
        holders = [b for b in SCALE.bands if b.min_points <= points <= b.max_points]
        assert len(holders) == 1
        assert SCALE.band_for(points) is holders[0]
        assert holders[0].letter == letter_of_points(points)


@given(st.integers(0, 100), st.integers(0, 100))
def test_the_band_is_monotone_in_the_points(a, b):
    low, high = sorted((a, b))
    lower, higher = SCALE.band_for(low), SCALE.band_for(high)
    assert lower.gpa <= higher.gpa
    assert lower.min_points <= higher.min_points
    assert not (lower.passing and not higher.passing)


@given(scores, st.sampled_from(ROUNDINGS))
def test_rounding_never_moves_a_score_by_a_point_or_more(value, rounding):
    points = rules.whole_points(value, rounding)
    assert abs(D(points) - value) < 1
    assert 0 <= points <= 100
    if rounding != Rounding.DOWN:
        assert abs(D(points) - value) <= D("0.5")
    else:
        assert points <= value


@given(scores, scores, shares)
def test_the_final_score_lies_between_its_inputs(admission_value, exam, exam_weight):
    final = rules.final_score(admission_value, exam, exam_weight)
    assert min(admission_value, exam) <= final <= max(admission_value, exam)
    assert final == final.quantize(D("0.01"))


@given(st.one_of(st.none(), scores), st.one_of(st.none(), scores), shares)
def test_a_rating_lies_between_its_parts(current, midterm, current_weight):
    value = rules.rating(current, midterm, current_weight)
    present = [v for v in (current, midterm) if v is not None]
    if not present:
        assert value is None
    else:
        assert value is not None
        assert min(present) <= value <= max(present)


@given(st.lists(st.tuples(weights, st.one_of(st.none(), scores)), min_size=1, max_size=12))
def test_a_weighted_part_lies_between_its_lowest_and_highest_score(rows):
    measures = [measure(i, "tk1", score, weight=str(weight)) for i, (weight, score) in enumerate(rows)]
    value = rules.part_score(measures)
    counted = [score if score is not None else D(0) for _, score in rows]
    assert value is not None
    assert min(counted) <= value <= max(counted)


@given(st.lists(st.tuples(st.integers(1, 15), st.sampled_from([b.gpa for b in SCALE.bands])), max_size=40))
def test_gpa_lies_between_0_and_4(entries):
    value = rules.gpa(entries)
    if not entries:
        assert value is None
    else:
        assert value is not None
        assert D(0) <= value <= D(4)
        assert min(g for _, g in entries) - D("0.005") <= value <= max(g for _, g in entries) + D("0.005")


@given(st.lists(scores, min_size=4, max_size=4), st.one_of(st.none(), scores), st.one_of(st.none(), scores))
def test_a_standing_is_always_consistent(parts, exam, retake):
    result = rules.standing(four_parts(*parts), exam, retake, POLICY)
    assert result.admitted == (result.admission is not None and result.admission >= 50)
    if result.band is not None:
        assert result.band.letter in {b.letter for b in SCALE.bands}
    if result.outcome == Outcome.PASSED:
        assert result.exam is not None
        assert result.exam >= 50
        assert result.band.passing
    if result.outcome == Outcome.FX:
        assert result.exam_attempt == 1
        assert result.band.letter == "FX"
    if result.final is not None:
        assert D(0) <= result.final <= D(100)
