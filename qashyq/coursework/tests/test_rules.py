"""The pure rules of assignments, without a database."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from qashyq.coursework import rules
from qashyq.coursework.data import FileType, LatePolicy

ALMATY = ZoneInfo("Asia/Almaty")
DUE = datetime(2026, 10, 15, 23, 59, tzinfo=ALMATY)


def test_late_is_strictly_after_the_due_moment():
    assert rules.is_late(due_at=DUE, moment=DUE) is False
    assert rules.is_late(due_at=DUE, moment=DUE + timedelta(seconds=1)) is True
    assert rules.is_late(due_at=None, moment=DUE + timedelta(days=400)) is False


def test_paper_work_is_late_from_the_day_after_the_due_day_in_institution_time(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    assert rules.is_late_on(due_at=DUE, received_on=date(2026, 10, 15)) is False
    assert rules.is_late_on(due_at=DUE, received_on=date(2026, 10, 16)) is True
    # 23:30 UTC on the 15th is already the 16th in Almaty.
    late_evening_utc = datetime(2026, 10, 15, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert rules.is_late_on(due_at=late_evening_utc, received_on=date(2026, 10, 16)) is False
    assert rules.is_late_on(due_at=None, received_on=date(2030, 1, 1)) is False


def test_late_policy():
    assert rules.late_refused(policy=LatePolicy.REFUSED, late=True) is True
    assert rules.late_refused(policy=LatePolicy.REFUSED, late=False) is False
    assert rules.late_refused(policy=LatePolicy.PENALTY, late=True) is False
    assert rules.penalty_for(policy=LatePolicy.PENALTY, penalty_percent=15, late=True) == 15
    assert rules.penalty_for(policy=LatePolicy.PENALTY, penalty_percent=15, late=False) == 0
    assert rules.penalty_for(policy=LatePolicy.ACCEPTED, penalty_percent=15, late=True) == 0


@pytest.mark.parametrize(
    ("points", "penalty", "score"),
    [
        (Decimal("90"), 10, Decimal("81.00")),
        (Decimal("87.5"), 0, Decimal("87.50")),
        (Decimal("77.77"), 15, Decimal("66.10")),  # 66.1045 → 66.10
        (Decimal("33.33"), 50, Decimal("16.67")),  # 16.665 → 16.67, halves up
        (Decimal("100"), 100, Decimal("0.00")),
    ],
)
def test_penalty_is_taken_off_to_the_cent(points, penalty, score):
    assert rules.apply_penalty(points, penalty) == score


def test_points_are_parsed_and_checked():
    assert rules.parse_points("87,5") == Decimal("87.5")
    assert rules.parse_points(" 90 ") == Decimal("90")
    assert rules.parse_points("abc") is None
    assert rules.parse_points("NaN") is None
    assert rules.parse_points(True) is None
    assert rules.parse_points(None) is None
    assert rules.valid_points(Decimal("100")) is True
    assert rules.valid_points(Decimal("100.01")) is False
    assert rules.valid_points(Decimal("-0.01")) is False
    assert rules.valid_points(Decimal("1.234")) is False
    assert rules.valid_points(Decimal("30"), 25) is False


def test_a_rubric_is_read_one_criterion_a_line():
    criteria, problems = rules.parse_rubric("60 Content\n\n 30 | Structure\n10: Language")
    assert problems == []
    assert criteria == [
        {"title": "Content", "points": 60},
        {"title": "Structure", "points": 30},
        {"title": "Language", "points": 10},
    ]
    assert rules.rubric_text(criteria) == "60 Content\n30 Structure\n10 Language"
    assert rules.parse_rubric("") == ([], [])


def test_a_rubric_names_the_line_of_each_problem():
    _criteria, problems = rules.parse_rubric("60 Content\nStructure\n0 Language\n500 Style")
    assert [p.line for p in problems] == [2, 3, 4]
    assert "Line 2" in problems[0].message


def test_a_rubric_must_add_up_to_100():
    _criteria, problems = rules.parse_rubric("60 Content\n30 Structure")
    assert [p.message for p in problems] == ["The criteria add up to 90 points; they must add up to 100."]
    too_many = [{"title": str(i), "points": 1} for i in range(rules.MAX_CRITERIA + 1)]
    assert "at most 20 criteria" in rules.rubric_problems(too_many)[0].message


def test_rubric_score_sums_the_points_given():
    rubric = [{"title": "Content", "points": 60}, {"title": "Language", "points": 40}]
    total, rows, problems = rules.rubric_score(rubric, {"0": "50", "1": "32.5"})
    assert (total, problems) == (Decimal("82.50"), [])
    assert rows == [
        {"title": "Content", "points": 60, "given": "50"},
        {"title": "Language", "points": 40, "given": "32.5"},
    ]
    total, _rows, problems = rules.rubric_score(rubric, {"0": "61", "2": "1"})
    assert total is None
    assert problems == [
        "The points for “Content” must be from 0 to 60, with two decimals at most.",
        "Give the points for “Language”.",
        "The rubric has no criterion 2.",
    ]


def test_file_kinds():
    assert rules.extension("Эссе.final.PDF") == "pdf"
    assert rules.extension(".pdf") == ""
    assert rules.extension("noext") == ""
    assert rules.extensions_of([FileType.PDF, FileType.IMAGE]) == {"pdf", "png", "jpg", "jpeg", "jpe", "gif", "webp"}
    assert "application/pdf" in rules.content_types_of([FileType.PDF])
    assert "image/png" not in rules.content_types_of([FileType.PDF, FileType.WORD])
    assert rules.accept_attribute([FileType.PDF]) == ".pdf"


def test_receipt_digest_is_stable_and_changes_with_the_content():
    payload = {"number": "2026-000001", "files": [["a.pdf", 10, "ab" * 32]], "late": False}
    assert rules.receipt_digest(payload) == rules.receipt_digest(dict(reversed(list(payload.items()))))
    assert rules.receipt_digest(payload) != rules.receipt_digest(payload | {"late": True})
    assert len(rules.receipt_digest(payload)) == 64
    assert rules.text_digest("") == ""
    assert rules.text_digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert rules.receipt_number(year=2026, serial=42) == "2026-000042"


def test_grading_is_overdue_after_the_days_given():
    handed = datetime(2026, 10, 1, 10, 0, tzinfo=ALMATY)
    assert rules.grading_due(handed_at=handed, days=7) == datetime(2026, 10, 8, 10, 0, tzinfo=ALMATY)
    assert rules.grading_overdue(handed_at=handed, now=handed + timedelta(days=7), days=7) is False
    assert rules.grading_overdue(handed_at=handed, now=handed + timedelta(days=7, seconds=1), days=7) is True
