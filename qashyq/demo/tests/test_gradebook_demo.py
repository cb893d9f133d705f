"""The demo's gradebook (issue 7): the control measures of every course, a semester of grades up to the demo's
day with the students not admitted for a reason, a reopened entry window, and a closed earlier period with an
FX retake, an F and a change request waiting for the head — every grade through the services (audited, so
`audit_verify` passes), and seeding again changes nothing."""

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.academics.models import AcademicPeriod, AcademicYear, StudyGroup
from qashyq.accounts.models import User
from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.content.models import Course, CourseStaff, Item
from qashyq.demo import content_texts as texts
from qashyq.demo import gradebook as demo_gradebook
from qashyq.demo import services as demo_services
from qashyq.documents import services as document_services
from qashyq.gradebook import permissions
from qashyq.gradebook.data import ChangeStatus, MeasureKind, MeasureMode, Outcome, RatingPart, ResultSource
from qashyq.gradebook.models import (
    ControlMeasure,
    CourseResult,
    EntryReopen,
    Grade,
    GradeChangeRequest,
    PeriodClosure,
    RepeatDiscipline,
)
from qashyq.gradebook.selectors import results as result_selectors
from qashyq.gradebook.services import grades as grade_services
from qashyq.records.models import Student

MINIMAL_PDF = b"%PDF-1.7\n%demo test\n"
ZONE = ZoneInfo("Asia/Almaty")
DEMO_DAY = datetime.combine(date(2026, 11, 26), time(12), tzinfo=ZONE)
CURRENT = {"IK 1120", "MT 1121", "KRT 1103", "AKT 1107", "ASBM 1108", "PK 1160", "ZhFG 1161"}
TESTED_RK1 = {"IK 1120", "PK 1160"}
WEEK_12_ENTERED = {"IK 1120", "MT 1121", "KRT 1103", "PK 1160", "ZhFG 1161"}  # entry lag of at most two days


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _counts() -> dict[str, int]:
    models = (ControlMeasure, Grade, CourseResult, EntryReopen, PeriodClosure, GradeChangeRequest, RepeatDiscipline)
    return {model.__name__: model.objects.count() for model in (*models, Event, Student, Course)}


def _student(username: str) -> Student:
    return Student.objects.get(user__username=username)


def _key(measure: ControlMeasure) -> str:
    if measure.part in (RatingPart.RK1, RatingPart.RK2, RatingPart.EXAM):
        return str(measure.part)
    return f"w{measure.week}" if measure.kind == MeasureKind.CURRENT else "essay"


def _measure(course: Course, key: str) -> ControlMeasure:
    measures = ControlMeasure.objects.filter(course=course)
    if key == "rk1":
        return measures.get(part=RatingPart.RK1)
    if key == "rk2":
        return measures.get(part=RatingPart.RK2)
    if key == "exam":
        return measures.get(part=RatingPart.EXAM)
    if key == "essay":
        return measures.exclude(kind=MeasureKind.CURRENT).get(part=RatingPart.TK2)
    return measures.get(kind=MeasureKind.CURRENT, week=int(key[1:]))


@pytest.mark.django_db
def test_the_demo_holds_the_gradebook_of_issue_7(monkeypatch, gradebook_demo):
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)
    monkeypatch.setattr(demo_gradebook, "demo_now", lambda: DEMO_DAY)
    demo_services.demo_seed()
    counts = _counts()
    demo_services.demo_seed()
    assert _counts() == counts  # seeding again changes nothing

    # --- The measures of every current course, from its syllabus.
    current = {c.discipline.code: c for c in Course.objects.filter(code__endswith="-2026-1").select_related("period")}
    assert set(current) == CURRENT
    for code, course in current.items():
        measures = list(ControlMeasure.objects.filter(course=course).order_by("position"))
        assert Counter(m.part for m in measures) == {"tk1": 7, "rk1": 1, "tk2": 9, "rk2": 1, "exam": 1}, code
        weekly = [m for m in measures if m.kind == MeasureKind.CURRENT]
        assert [m.week for m in weekly] == list(range(1, 16))
        assert {m.part for m in weekly if m.week <= 7} == {"tk1"}
        assert {m.part for m in weekly if m.week > 7} == {"tk2"}
        assert not any(m.required for m in weekly)
        assert {m.mode for m in weekly} == {MeasureMode.CASE if code in {"PK 1160", "ZhFG 1161"} else "online"}
        essay = _measure(course, "essay")
        assert essay.kind in {MeasureKind.ESSAY, MeasureKind.ABSTRACT}
        assert (essay.mode, essay.weight, essay.pass_points, essay.required) == ("case", 2, 50, True)
        rk1, rk2, exam = _measure(course, "rk1"), _measure(course, "rk2"), _measure(course, "exam")
        midterm_1 = Item.objects.get(course=course, kind="test", name_kk=texts.MIDTERM_1.kk)
        midterm_2 = Item.objects.get(course=course, kind="test", name_kk=texts.MIDTERM_2.kk)
        assert rk1.item_id == (midterm_1.pk if code in TESTED_RK1 else None)
        assert rk1.mode == ("test" if code in TESTED_RK1 else "online")
        assert (rk2.item_id, rk2.mode, rk2.required) == (midterm_2.pk, "test", True)
        assert exam.kind == (MeasureKind.WRITTEN_EXAM if code in {"PK 1160", "ZhFG 1161"} else MeasureKind.EXAM)
        for measure in measures:
            if measure.due_at is not None:
                assert course.period.start_date <= timezone.localdate(measure.due_at) <= course.period.end_date
        assert date(2026, 12, 21) <= timezone.localdate(exam.due_at) <= date(2027, 1, 10)
        if code not in TESTED_RK1:
            assert timezone.localdate(rk1.due_at) == date(2026, 10, 24)

    # --- The state of late November: weeks 1–11, RK1 and the essay graded; week 12 where teachers enter within
    # two days; nothing of weeks 13–15, RK2 or the exam. Each grade by the staff of the course.
    grades = Grade.objects.filter(measure__course__in=current.values()).select_related("measure__course")
    for code, course in current.items():
        graded = {_key(m) for m in ControlMeasure.objects.filter(course=course, grades__isnull=False)}
        expected = {f"w{week}" for week in range(1, 12)} | {"rk1", "essay"}
        if code in WEEK_12_ENTERED:
            expected.add("w12")
        if code == "PK 1160":
            expected -= {"rk1"}  # its RK1 is the test, open now: nobody has taken it yet
        assert graded == expected, code
        staff = set(CourseStaff.objects.filter(course=course).values_list("user_id", flat=True))
        entered_by = set(grades.filter(measure__course=course, source="manual").values_list("entered_by", flat=True))
        assert entered_by <= staff, code
    fed = {
        g.student.user.username: g.score
        for g in grades.filter(source=ResultSource.TEST).select_related("student__user", "measure")
    }
    assert fed == {"student03": Decimal("91.67"), "student04": Decimal("75.00"), "student07": Decimal("29.17")}
    assert set(grades.filter(source=ResultSource.TEST).values_list("measure", flat=True)) == {
        _measure(current["IK 1120"], "rk1").pk
    }

    # --- Not admitted for a reason already (mid-semester everyone still misses RK2).
    def reasons(username: str, code: str) -> list[dict[str, object]]:
        return CourseResult.objects.get(course=current[code], student=_student(username)).missing

    mt, zhfg, asbm = current["MT 1121"], current["ZhFG 1161"], current["ASBM 1108"]
    assert {"code": "missing", "measure": _measure(mt, "rk1").pk} in reasons("student09", "MT 1121")
    assert {"code": "failed", "measure": _measure(zhfg, "essay").pk, "score": "35.00", "needed": "50.00"} in reasons(
        "student36", "ZhFG 1161"
    )
    behind = CourseResult.objects.get(course=asbm, student=_student("student29"))
    assert behind.r1 is not None
    assert behind.r1 < 50
    assert any(r["code"] == "rating" for r in behind.missing)
    admission = result_selectors.admission_for(course_id=mt.pk, student_id=_student("student09").pk)
    assert not admission.admitted
    assert any("RK1" in line and "not graded" in line for line in admission.reasons)
    # Nobody else has failed a measure or missed an RK1 that was held, and everyone else's R1 is at least 50.
    held = [c for code, c in current.items() if code not in TESTED_RK1]
    results = CourseResult.objects.filter(course__in=held).select_related("student__user", "course__discipline")
    flagged = set()
    for result in results:
        rk1 = _measure(result.course, "rk1").pk
        if any(r["code"] == "failed" or r.get("measure") == rk1 for r in result.missing) or result.r1 < 50:
            flagged.add((result.student.user.username if result.student.user else "", result.course.discipline.code))
    assert flagged == {("student09", "MT 1121"), ("student36", "ZhFG 1161"), ("student29", "ASBM 1108")}
    # Missing or failing a measure already held means "not admitted"; only measures still to come (RK2 until
    # its day) leave a student "in progress", even with a rating still below 50.
    rk2_due = {c.pk: _measure(c, "rk2").due_at for c in current.values()}
    outcomes = {}
    for result in CourseResult.objects.filter(course__in=current.values()).select_related("student__user"):
        assert {"code": "missing", "measure": _measure(result.course, "rk2").pk} in result.missing
        username = result.student.user.username if result.student.user else ""
        outcomes[(username, result.course_id)] = result.outcome
        if rk2_due[result.course_id] <= timezone.now():
            assert result.outcome == Outcome.NOT_ADMITTED
    assert outcomes[("student09", mt.pk)] == Outcome.NOT_ADMITTED
    assert outcomes[("student36", zhfg.pk)] == Outcome.NOT_ADMITTED
    if rk2_due[asbm.pk] > timezone.now():
        assert outcomes[("student29", asbm.pk)] == Outcome.IN_PROGRESS
        assert Counter(outcomes.values())[Outcome.IN_PROGRESS] > len(outcomes) / 2

    # --- The reopened entry window: student14's week 6 of MT 1121, for a week, with the reason.
    ill = _student("student14")
    week_6 = _measure(mt, "w6")
    reopen = EntryReopen.objects.get()
    assert (reopen.measure_id, reopen.student_id, reopen.created_by.username) == (week_6.pk, ill.pk, "admin1")
    assert "№ 0457" in reopen.reason
    assert reopen.until > timezone.now()
    assert not Grade.objects.filter(measure=week_6, student=ill).exists()

    # --- The closed earlier period: a second-year group, both semesters of 2025–2026 closed by admin1.
    year = AcademicYear.objects.get(title="2025–2026")
    periods = list(AcademicPeriod.objects.filter(year=year).order_by("number"))
    assert [p.number for p in periods] == [1, 2]
    closures = PeriodClosure.objects.select_related("closed_by")
    assert {(c.period_id, c.closed_by.username) for c in closures} == {(p.pk, "admin1") for p in periods}
    group = StudyGroup.objects.get(code="ИНФ-25-1К")
    assert (group.admission_year, group.programme.code) == (2025, "6B06101")
    second_years = Student.objects.filter(group=group)
    assert second_years.count() == 16
    assert set(second_years.values_list("status", "course_year")) == {("active", 2)}
    previous = {c.discipline.code: c for c in Course.objects.filter(period=periods[1]).select_related("discipline")}
    assert set(previous) == {"BN 1222", "DM 1223"}
    outcomes = Counter(CourseResult.objects.filter(course__in=previous.values()).values_list("outcome", flat=True))
    assert outcomes == {Outcome.PASSED: 31, Outcome.F: 1}
    for course in previous.values():
        assert ControlMeasure.objects.filter(course=course).count() == 19
        assert not ControlMeasure.objects.filter(course=course, part__in=["tk1", "rk1"], grades__isnull=True).exists()

    fx = Student.objects.get(group=group, first_name="Темірлан")
    dm_exam = _measure(previous["DM 1223"], "exam")
    sittings = dict(Grade.objects.filter(measure=dm_exam, student=fx).values_list("attempt", "score"))
    assert sittings == {1: Decimal("38.00"), 2: Decimal("71.00")}
    retaken = CourseResult.objects.get(course=previous["DM 1223"], student=fx)
    assert (retaken.outcome, retaken.exam_attempt, retaken.exam, retaken.letter) == (Outcome.PASSED, 2, 71, "C")

    failed = Student.objects.get(group=group, first_name="Алдияр")
    result = CourseResult.objects.get(course=previous["BN 1222"], student=failed)
    assert (result.outcome, result.letter, result.admitted, result.exam) == (Outcome.F, "F", False, None)
    assert {"code": "missing", "measure": _measure(previous["BN 1222"], "rk2").pk} in result.missing
    repeat = RepeatDiscipline.objects.get()
    assert (repeat.student_id, repeat.discipline.code, repeat.failed_course_id) == (
        failed.pk,
        "BN 1222",
        previous["BN 1222"].pk,
    )
    assert repeat.cleared_at is None

    # --- One change request waits for the head.
    request = GradeChangeRequest.objects.get()
    target = Student.objects.get(group=group, first_name="Томирис")
    week_10 = _measure(previous["BN 1222"], "w10")
    assert (request.status, request.measure_id, request.student_id, request.score) == (
        ChangeStatus.PENDING,
        week_10.pk,
        target.pk,
        Decimal(85),
    )
    assert request.requested_by.username == "teacher3"
    assert Grade.objects.get(measure=week_10, student=target).score == 45
    head = User.objects.get(username="head")
    assert permissions.access_change_request(user=head, request_id=request.pk) == request
    assert permissions.can_decide_change(user=head)

    # --- Every grade has its audit event; the ledger and the registered checks pass.
    assert audit_api.verify().ok
    assert all(not problems for _name, problems in audit_api.checks_run())
    assert Event.objects.filter(action="gradebook.grade_entered").count() == Grade.objects.count()

    # The locked grades refuse a change: it takes the head's approval.
    with pytest.raises(ValidationError) as refused:
        grade_services.grade_enter(
            actor=User.objects.get(username="teacher3"),
            measure_id=_measure(previous["BN 1222"], "w3").pk,
            student_id=fx.pk,
            score=Decimal(100),
            reason="test",
        )
    assert refused.value.code == "locked"

    # The reopened column takes student14's mark now (its own window closed in October).
    tutor2 = User.objects.get(username="tutor2")
    grade = grade_services.grade_enter(actor=tutor2, measure_id=week_6.pk, student_id=ill.pk, score=Decimal(84))
    assert grade.score == 84
