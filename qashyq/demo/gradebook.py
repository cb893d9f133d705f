"""The gradebook of the demo institution (issue 7), built through the gradebook services as the people would
enter it: every grade through `services.grades.grade_enter_many` (a column at a time) by the teacher or tutor of
the student's group (or fed by a test through the assessment integration), so every grade has its audit event and
`manage.py audit_verify` passes.

**The current semester** (2026–2027, first semester; the demo's day is 26 November 2026, week 13 of 15). Each
of the 7 demo courses gets the control measures of its syllabus (rule 27 modes):

- weekly current control, weeks 1–7 in TK1 and 8–15 in TK2 (weight 1 each, not required one by one): on-line
  contact with the teacher, or a written case in the courses of the correspondence groups (PK 1160, ZhFG 1161);
- RK1 (week 8, 24 October) and RK2 (week 15, 19 December, the course's "Midterm control 2" test item), required;
- an essay or an abstract (referat) due on 15 November (week 11), a written individual assignment (case) in TK2
  with weight 2, required with 50 points to pass;
- the exam in the session (21 December – 10 January): a test in IK 1120, a written exam sheet in the
  correspondence courses, on-line (oral) in the others.

In IK 1120 and PK 1160 RK1 is the test the assessment demo made (open from a week before the day of seeding for
three weeks), linked to the measure and due when the test closes: the results of IK 1120's graded attempts
(student03, student04, student07) are fed into RK1 through the assessment integration; the others' RK1 waits
for their attempts.

Only the columns already held are graded, each a few days after it was held (the course's entry lag): weeks
1–11, RK1 and the essay everywhere, week 12 in the courses that enter within two days (not AKT 1107 and
ASBM 1108), nothing of weeks 13–15, RK2 or the exam. Scores are fixed per student and measure (a hash of the
IIN), most students between 70 and 100; about one weekly mark in forty is missing. Mid-semester the admission
rating counts the columns still ahead as 0, so "not admitted yet" is everyone's state; these students have a
real reason already:

- student09 did not sit RK1 of MT 1121 (its window closed on 3 November): "RK1: not graded yet";
- student36 failed the essay of ZhFG 1161: 35 of the 50 points needed;
- student29 is far behind in ASBM 1108: R1 below 50, an admission rating that cannot reach 50.

student14 was ill in week 6: admin1 reopened the week-6 column of MT 1121 for them for a week, with the medical
certificate as the reason (the tutor can enter it now).

**A closed earlier period.** The demo's four groups were admitted in September 2026, so none has an earlier
period. The most realistic way to show one is a second-year group: ИНФ-25-1К (6B06101, Kazakh, full-time,
admitted in 2025), 16 students recorded as studying in their second year (their admission order of 2025 predates
the demo's records: the administration records them directly, as it does for a contingent it takes over), the
academic year 2025–2026 with its two semesters and its approved calendar, and two courses of their second
semester (26 January – 30 June 2026) with the same kinds of measures: BN 1222 "Programming Fundamentals (Python)"
(teacher3, a control work as the case) and DM 1223 "Discrete Mathematics" (teacher2, an abstract). Every column
is graded, the exams too, and admin1 closed both semesters of 2025–2026 (the closure is dated the day of
seeding):

- Қайыргелдин Темірлан got FX in DM 1223 (exam 38) and passed the free retake nine days later (attempt 2: 71);
- Есенов Алдияр missed RK2 of BN 1222 and the last weeks: not admitted to the exam, F at the closure, and the
  discipline goes into a later period's plan (RepeatDiscipline);
- teacher3 asks the head to correct Бекмұхамбетова Томирис's week-10 mark in BN 1222 (45 typed for 85): the
  change request waits for the head's decision.

Idempotent: the group, students, year and courses by their natural keys, a course's measures when it has none,
its grades when it has no grade entered by hand, the test results when RK1 has no grade, the closure, the
reopening and the change request when missing. Seeded on another day, more or fewer columns are graded.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from qashyq.academics import services as academics_services
from qashyq.academics.data import EventKind
from qashyq.academics.models import (
    AcademicPeriod,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.assessment.data import AttemptStatus
from qashyq.assessment.models import Attempt, Test
from qashyq.assessment.services import attempts as attempt_services
from qashyq.content.models import Course, CourseStaff, Enrolment, Item
from qashyq.content.services import courses as course_services
from qashyq.core import names
from qashyq.core.iin import iin_make
from qashyq.demo import content_texts as texts
from qashyq.demo import institution
from qashyq.demo.content import COURSE_CODE_SUFFIX
from qashyq.demo.content_texts import Title
from qashyq.gradebook.data import MeasureKind, MeasureMode, RatingPart, ResultSource
from qashyq.gradebook.models import ControlMeasure, EntryReopen, Grade, GradeChangeRequest, PeriodClosure
from qashyq.gradebook.selectors import results as result_selectors
from qashyq.gradebook.services import grades as grade_services
from qashyq.gradebook.services import locks as lock_services
from qashyq.records import api as records_api
from qashyq.records.data import Funding, StudentStatus
from qashyq.records.models import Student

ZONE = ZoneInfo(settings.TIME_ZONE)
USERNAMES = ("admin1", "head", "teacher2", "teacher3")
WEEKS = 15
TK1_WEEKS = range(1, 8)
TK2_WEEKS = range(8, 16)
ESSAY_WEEK = 11
ESSAY_WEIGHT = Decimal(2)
PASS_POINTS = Decimal(50)
# A column counts as graded once its entry has finished: the first mark at 09:00, then one every half minute.
ENTRY_HOUR = 9
ENTRY_SPAN = timedelta(hours=2)


def demo_now() -> datetime:
    """The moment the demo is built for (tests pin it)."""
    return timezone.now()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()[:8], "big")


# --- The plans ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoursePlan:
    """A course's measures as its syllabus sets them, and how soon its teachers enter the marks (days)."""

    discipline: str
    written: Title
    written_kind: str
    exam_day: date
    exam_kind: str = MeasureKind.EXAM
    exam_mode: str = MeasureMode.ONLINE
    weekly_mode: str = MeasureMode.ONLINE
    rk1_test: bool = False  # RK1 is the course's "Midterm control 1" test (the assessment demo made it)
    lag: int = 1


CURRENT_PLANS: tuple[CoursePlan, ...] = (
    CoursePlan("IK 1120", Title("Эссе: Ақпараттық қоғамдағы информатиканың рөлі",
                                "Эссе: Роль информатики в информационном обществе",
                                "Essay: The role of computer science in the information society"),
               MeasureKind.ESSAY, date(2026, 12, 22), exam_mode=MeasureMode.TEST, rk1_test=True, lag=1),
    CoursePlan("MT 1121", Title("Реферат: Туынды ұғымының тарихы", "Реферат: История понятия производной",
                                "Abstract: The history of the derivative"),
               MeasureKind.ABSTRACT, date(2026, 12, 26), lag=2),
    CoursePlan("KRT 1103", Title("Эссе: Тіл – ұлттың жаны", "Эссе: Язык – душа народа",
                                 "Essay: Language is the soul of a nation"),
               MeasureKind.ESSAY, date(2026, 12, 24), lag=1),
    CoursePlan("AKT 1107", Title("Реферат: Бұлттық технологиялар және олардың қауіпсіздігі",
                                 "Реферат: Облачные технологии и их безопасность",
                                 "Abstract: Cloud technologies and their security"),
               MeasureKind.ABSTRACT, date(2026, 12, 29), exam_mode=MeasureMode.TEST, lag=3),
    CoursePlan("ASBM 1108", Title("Эссе: Азаматтық қоғам және жастар", "Эссе: Гражданское общество и молодёжь",
                                  "Essay: Civil society and young people"),
               MeasureKind.ESSAY, date(2027, 1, 5), lag=4),
    CoursePlan("PK 1160", Title("Эссе: Мен неге педагог болғым келеді", "Эссе: Почему я хочу стать педагогом",
                                "Essay: Why I want to become a teacher"),
               MeasureKind.ESSAY, date(2026, 12, 23), exam_kind=MeasureKind.WRITTEN_EXAM,
               exam_mode=MeasureMode.CASE, weekly_mode=MeasureMode.CASE, rk1_test=True, lag=2),
    CoursePlan("ZhFG 1161", Title("Эссе: Оқушының күн тәртібі және денсаулығы",
                                  "Эссе: Режим дня школьника и здоровье",
                                  "Essay: A pupil's daily routine and health"),
               MeasureKind.ESSAY, date(2026, 12, 28), exam_kind=MeasureKind.WRITTEN_EXAM,
               exam_mode=MeasureMode.CASE, weekly_mode=MeasureMode.CASE, lag=1),
)  # fmt: skip

# The calendar of 2026–2027 (qashyq/demo/institution.py): RK1 19–24 October, RK2 14–19 December.
CURRENT_RK1_DUE = _at(date(2026, 10, 24), 18)
CURRENT_RK2_DUE = _at(date(2026, 12, 19), 18)
CURRENT_ESSAY_DUE = _at(date(2026, 11, 15), 23, 59)


@dataclass(frozen=True)
class Standing:
    """How one student does in one course: the ability the marks are drawn around, and what departs from it."""

    ability: int | None = None  # None: drawn from the IIN
    skip: frozenset[str] = frozenset()  # measure keys left without a mark ("rk1", "rk2", "w6", …)
    fixed: dict[str, Decimal] = field(default_factory=dict)  # measure key → the mark given


# (username, discipline code) of the current semester's students with a reason already.
MISSED_RK1 = ("student09", "MT 1121")
FAILED_ESSAY = ("student36", "ZhFG 1161")
FAR_BEHIND = ("student29", "ASBM 1108")
ILL_WEEK = ("student14", "MT 1121", 6)
ILL_REASON = (
    "Медициналық анықтама № 0457 (05.10–11.10.2026): 6-аптаның практикалық тапсырмасын кейін тапсырады. "
    "Медицинская справка № 0457 (05.10–11.10.2026)."
)
CURRENT_STANDINGS: dict[tuple[str, str], Standing] = {
    MISSED_RK1: Standing(skip=frozenset({"rk1"})),
    FAILED_ESSAY: Standing(fixed={"essay": Decimal(35)}),
    FAR_BEHIND: Standing(ability=40, fixed={"rk1": Decimal(38), "essay": Decimal(52)}),
    (ILL_WEEK[0], ILL_WEEK[1]): Standing(skip=frozenset({f"w{ILL_WEEK[2]}"})),
}

# --- The earlier period ---------------------------------------------------------------------------------

PREVIOUS_YEAR = "2025–2026"
PREVIOUS_YEAR_SPAN = (date(2025, 9, 1), date(2026, 8, 31))
PREVIOUS_SEMESTERS = ((1, date(2025, 9, 1), date(2026, 1, 25)), (2, date(2026, 1, 26), date(2026, 6, 30)))
PREVIOUS_CALENDAR: tuple[tuple[str, date, date, int], ...] = (
    (EventKind.CLASSES, date(2025, 9, 1), date(2025, 12, 20), 1),
    (EventKind.MIDTERM_1, date(2025, 10, 20), date(2025, 10, 25), 1),
    (EventKind.MIDTERM_2, date(2025, 12, 15), date(2025, 12, 20), 1),
    (EventKind.ATTESTATION, date(2025, 12, 22), date(2026, 1, 11), 1),
    (EventKind.HOLIDAYS, date(2026, 1, 12), date(2026, 1, 25), 1),
    (EventKind.CLASSES, date(2026, 1, 26), date(2026, 5, 9), 2),
    (EventKind.MIDTERM_1, date(2026, 3, 16), date(2026, 3, 21), 2),
    (EventKind.MIDTERM_2, date(2026, 5, 4), date(2026, 5, 9), 2),
    (EventKind.ATTESTATION, date(2026, 5, 11), date(2026, 5, 30), 2),
    (EventKind.PRACTICE, date(2026, 6, 1), date(2026, 6, 30), 2),
    (EventKind.HOLIDAYS, date(2026, 7, 1), date(2026, 8, 31), 0),
)
PREVIOUS_CALENDAR_APPROVED = (date(2025, 8, 28), "1")
PREVIOUS_RK1_DUE = _at(date(2026, 3, 21), 18)
PREVIOUS_RK2_DUE = _at(date(2026, 5, 9), 18)
PREVIOUS_ESSAY_DUE = _at(date(2026, 4, 12), 23, 59)
PREVIOUS_GROUP = "ИНФ-25-1К"
PREVIOUS_PROGRAMME = "6B06101"
PREVIOUS_SUFFIX = "-2025-2"


@dataclass(frozen=True)
class PreviousCourse:
    plan: CoursePlan
    teacher: str


PREVIOUS_COURSES: tuple[PreviousCourse, ...] = (
    PreviousCourse(CoursePlan("BN 1222", Title("Бақылау жұмысы: Python тіліндегі мәтінді өңдеу бағдарламасы",
                                               "Контрольная работа: программа обработки текста на Python",
                                               "Control work: a text-processing program in Python"),
                              MeasureKind.CONTROL_WORK, date(2026, 5, 14), exam_mode=MeasureMode.TEST, lag=2),
                   "teacher3"),
    PreviousCourse(CoursePlan("DM 1223", Title("Реферат: Графтар теориясының практикалық қолданылуы",
                                               "Реферат: Практическое применение теории графов",
                                               "Abstract: Practical applications of graph theory"),
                              MeasureKind.ABSTRACT, date(2026, 5, 19), lag=2),
                   "teacher2"),
)  # fmt: skip


@dataclass(frozen=True)
class Newcomer:
    surname: str
    first_name: str
    father: str
    female: bool
    birth_date: date


PREVIOUS_STUDENTS: tuple[Newcomer, ...] = (
    Newcomer("Жұмабаев", "Нұрсұлтан", "Ерболат", False, date(2007, 3, 12)),
    Newcomer("Сейітқалиев", "Аружан", "Бауыржан", True, date(2007, 5, 21)),
    Newcomer("Омаров", "Ерасыл", "Қанат", False, date(2006, 11, 2)),
    Newcomer("Төлегенов", "Дильназ", "Асқар", True, date(2007, 1, 17)),
    Newcomer("Құрманғалиев", "Әлихан", "Марат", False, date(2007, 8, 9)),
    Newcomer("Нұрланов", "Айым", "Нұрлан", True, date(2006, 12, 25)),
    Newcomer("Әбдірахманов", "Бекзат", "Серік", False, date(2007, 4, 4)),
    Newcomer("Исмаилов", "Мадина", "Рүстем", True, date(2007, 6, 30)),
    Newcomer("Қайыргелдин", "Темірлан", "Дәурен", False, date(2006, 10, 14)),
    Newcomer("Бекмұхамбетов", "Томирис", "Ержан", True, date(2007, 2, 8)),
    Newcomer("Садықов", "Арсен", "Талғат", False, date(2007, 7, 19)),
    Newcomer("Жақыпов", "Інжу", "Мұхтар", True, date(2007, 9, 3)),
    Newcomer("Рахымжанов", "Данияр", "Абай", False, date(2006, 9, 27)),
    Newcomer("Әлімжанов", "Камила", "Әлімжан", True, date(2007, 3, 29)),
    Newcomer("Есенов", "Алдияр", "Ғабит", False, date(2007, 11, 11)),
    Newcomer("Тұрсынбаев", "Жансая", "Мейрам", True, date(2006, 8, 16)),
)

# (first name, discipline code) of the earlier period's stories.
FX_RETAKE = ("Темірлан", "DM 1223", Decimal(38), Decimal(71), 9)  # exam, retake, days between
FAILED = ("Алдияр", "BN 1222")
CHANGE = (
    "Томирис",
    "BN 1222",
    "w10",
    Decimal(45),
    Decimal(85),
    "Техникалық қате: 10-аптаның бағасы журналға 85 орнына 45 болып енгізілген (практикалық жұмыстың "
    "тексерілген нұсқасы қоса беріледі). Техническая ошибка: вместо 85 внесено 45.",
)
PREVIOUS_STANDINGS: dict[tuple[str, str], Standing] = {
    (FX_RETAKE[0], FX_RETAKE[1]): Standing(ability=62),
    FAILED: Standing(
        ability=45,
        skip=frozenset({"rk2", "w12", "w13", "w14", "w15"}),
        fixed={"rk1": Decimal(40), "essay": Decimal(52)},
    ),
    (CHANGE[0], CHANGE[1]): Standing(fixed={CHANGE[2]: CHANGE[3]}),
}


# --- Measures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A measure of a course as the seeding grades it: its key ("w3", "rk1", "essay", …) and when its marks are
    entered."""

    key: str
    measure_id: int
    enter_at: datetime


def _week_title(week: int) -> Title:
    return Title(f"{week}-апта: ағымдағы бақылау", f"Неделя {week}: текущий контроль", f"Week {week}: current control")


RK1_TITLE = Title(texts.MIDTERM_1.kk, texts.MIDTERM_1.ru, "Midterm control 1 (RK1)")
RK2_TITLE = Title(texts.MIDTERM_2.kk, texts.MIDTERM_2.ru, "Midterm control 2 (RK2)")
EXAM_TITLE = Title("Емтихан", "Экзамен", "Examination")


def _measure(actor: Any, course: Course, position: int, title: Title, **fields: Any) -> ControlMeasure:
    return grade_services.measure_create(
        actor=actor,
        course_id=course.pk,
        name_kk=title.kk,
        name_ru=title.ru,
        name_en=title.en,
        position=position,
        **fields,
    )


def _measures(
    *,
    actor: Any,
    course: Course,
    plan: CoursePlan,
    rk1_due: datetime,
    rk2_due: datetime,
    essay_due: datetime,
) -> None:
    """The course's measures in journal order (made when it has none)."""
    if ControlMeasure.objects.filter(course=course).exists():
        return
    tests = {i.name_kk: i for i in Item.objects.filter(course=course, kind="test")}
    rk1_item = tests.get(texts.MIDTERM_1.kk) if plan.rk1_test else None
    rk2_item = tests.get(texts.MIDTERM_2.kk)
    if rk1_item is not None:
        # Held as the test: due when the test closes (inside the period).
        closes = Test.objects.filter(item=rk1_item).values_list("closes_at", flat=True).first()
        if closes is not None:
            rk1_due = min(closes, _at(course.period.end_date, 18))
    position = 0

    def step() -> int:
        nonlocal position
        position += 10
        return position

    for week in TK1_WEEKS:
        _measure(actor, course, step(), _week_title(week), kind=MeasureKind.CURRENT, part=RatingPart.TK1,
                 mode=plan.weekly_mode, week=week, required=False)  # fmt: skip
    _measure(actor, course, step(), RK1_TITLE, kind=MeasureKind.MIDTERM, part=RatingPart.RK1,
             mode=MeasureMode.TEST if rk1_item is not None else MeasureMode.ONLINE, week=8, due_at=rk1_due,
             item_id=rk1_item.pk if rk1_item is not None else None)  # fmt: skip
    for week in TK2_WEEKS:
        _measure(actor, course, step(), _week_title(week), kind=MeasureKind.CURRENT, part=RatingPart.TK2,
                 mode=plan.weekly_mode, week=week, required=False)  # fmt: skip
        if week == ESSAY_WEEK:
            _measure(actor, course, step(), plan.written, kind=plan.written_kind, part=RatingPart.TK2,
                     mode=MeasureMode.CASE, week=week, weight=ESSAY_WEIGHT, due_at=essay_due,
                     pass_points=PASS_POINTS)  # fmt: skip
    _measure(actor, course, step(), RK2_TITLE, kind=MeasureKind.MIDTERM, part=RatingPart.RK2,
             mode=MeasureMode.TEST if rk2_item is not None else MeasureMode.ONLINE, week=WEEKS, due_at=rk2_due,
             item_id=rk2_item.pk if rk2_item is not None else None)  # fmt: skip
    _measure(actor, course, step(), EXAM_TITLE, kind=plan.exam_kind, part=RatingPart.EXAM, mode=plan.exam_mode,
             due_at=_at(plan.exam_day, 10))  # fmt: skip


def _columns(course: Course, plan: CoursePlan, period: AcademicPeriod) -> list[Column]:
    """The course's measures with the moment their marks are entered, in the order they were held."""
    columns = []
    for measure in ControlMeasure.objects.filter(course=course).order_by("position"):
        if measure.part == RatingPart.EXAM:
            key = "exam"
        elif measure.part in (RatingPart.RK1, RatingPart.RK2):
            key = measure.part.lower()
        elif measure.kind == MeasureKind.CURRENT:
            key = f"w{measure.week}"
        else:
            key = "essay"
        if measure.due_at is not None:
            held = timezone.localtime(measure.due_at, ZONE)
            lag = plan.lag + (3 if key == "essay" else 0)  # an essay takes its teacher longer to read
        else:
            held = _at(period.start_date + timedelta(days=7 * (measure.week or 0)), 0)
            lag = plan.lag
        enter_day = held.date() + timedelta(days=lag if key != "exam" else 0)
        enter_at = _at(enter_day, ENTRY_HOUR if key != "exam" else 15)
        columns.append(Column(key=key, measure_id=measure.pk, enter_at=enter_at))
    return columns


# --- Marks ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pupil:
    student_id: int
    iin: str
    group_id: int
    label: str  # the username, or the first name of a student without an account


def _ability(pupil: Pupil, code: str, standing: Standing) -> int:
    if standing.ability is not None:
        return standing.ability
    return 76 + _hash(pupil.iin) % 18 + _hash(pupil.iin, code) % 9 - 4  # 72–97


def _mark(pupil: Pupil, code: str, key: str, standing: Standing) -> Decimal | None:
    """The student's mark on a column (None: none given): drawn around their ability, fixed per student."""
    if key in standing.skip:
        return None
    if key in standing.fixed:
        return standing.fixed[key]
    if key.startswith("w") and _hash(pupil.iin, code, key, "absent") % 40 == 0:
        return None
    ability = _ability(pupil, code, standing)
    score = ability + _hash(pupil.iin, code, key) % 21 - 10
    if key in ("essay", "rk1", "rk2", "exam") and standing.ability is None:
        score = max(score, 55)  # those on track pass what they must pass
    return Decimal(min(max(score, 0), 100))


def _pupils(course: Course) -> list[Pupil]:
    rows = (
        Enrolment.objects.filter(course=course, active=True)
        .select_related("student__user")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
    return [
        Pupil(
            student_id=e.student_id,
            iin=e.student.iin,
            group_id=e.student.group_id or 0,
            label=e.student.user.username if e.student.user is not None else e.student.first_name,
        )
        for e in rows
    ]


def _enterers(course: Course) -> dict[int, tuple[Any, Any]]:
    """{group id: (the teacher of the group, who enters its weekly marks: the group's tutor, else the teacher)}."""
    staff = list(CourseStaff.objects.filter(course=course).select_related("user").prefetch_related("groups"))
    teachers = [s for s in staff if s.role == "teacher"]
    tutors = [s for s in staff if s.role == "tutor"]
    assigned = {
        a.group_id: a.user_id
        for a in TeachingAssignment.objects.filter(discipline_id=course.discipline_id, role="teacher")
    }
    found: dict[int, tuple[Any, Any]] = {}
    for group in course.groups.all():
        wanted = assigned.get(group.pk, assigned.get(None))
        teacher = next((s.user for s in teachers if s.user_id == wanted), teachers[0].user if teachers else None)
        tutor = next((s.user for s in tutors if group.pk in {g.pk for g in s.groups.all()}), None)
        found[group.pk] = (teacher, tutor or teacher)
    return found


def _grade_course(
    *,
    course: Course,
    code: str,
    columns: Iterable[Column],
    standings: dict[tuple[str, str], Standing],
    now: datetime,
    enterers: dict[int, tuple[Any, Any]] | None = None,
) -> None:
    """Enter every column held by `now` (not the exam, not a test-fed column) for every enrolled student."""
    enterers = enterers or _enterers(course)
    pupils = _pupils(course)
    tests = set(Test.objects.filter(item__course=course).values_list("item_id", flat=True))
    fed = {
        pk
        for pk, item_id in ControlMeasure.objects.filter(course=course).values_list("pk", "item_id")
        if item_id in tests
    }
    for column in columns:
        if column.key == "exam" or column.enter_at + ENTRY_SPAN > now:
            continue
        if column.measure_id in fed:
            continue  # the test feeds it
        by_actor: dict[Any, dict[int, Decimal]] = {}
        for pupil in pupils:
            standing = standings.get((pupil.label, code), Standing())
            mark = _mark(pupil, code, column.key, standing)
            if mark is None:
                continue
            teacher, weekly = enterers.get(pupil.group_id, (None, None))
            actor = weekly if column.key.startswith("w") else teacher
            by_actor.setdefault(actor, {})[pupil.student_id] = mark
        for n, (actor, marks) in enumerate(by_actor.items()):
            grade_services.grade_enter_many(
                actor=actor, measure_id=column.measure_id, scores=marks, now=column.enter_at + timedelta(minutes=10 * n)
            )


def _feed_tests(course: Course) -> None:
    """The results of the graded attempts of the course's tests go into the measures they feed, through the
    assessment integration: the teacher of the student's group grades the attempt again, which records its
    test result in the gradebook."""
    enterers = _enterers(course)
    groups = dict(Enrolment.objects.filter(course=course).values_list("student_id", "student__group_id"))
    measures = ControlMeasure.objects.filter(course=course, item__isnull=False)
    for measure in measures:
        if measure.item_id is None or Grade.objects.filter(measure=measure).exists():
            continue
        attempts = (
            Attempt.objects.filter(test__item_id=measure.item_id, status=AttemptStatus.GRADED)
            .select_related("test")
            .order_by("student_id", "-pk")
        )
        done: set[int] = set()
        for attempt in attempts:
            if attempt.student_id in done:
                continue
            done.add(attempt.student_id)
            teacher = enterers.get(groups.get(attempt.student_id) or 0, (None, None))[0]
            attempt_services.attempt_grade(attempt, actor=teacher)
            attempt_services.attempt_publish(attempt_id=attempt.pk, actor=teacher)  # now, not after the commit


# --- The current semester -----------------------------------------------------------------------------------


def _current(users: dict[str, Any], courses: dict[str, Course], now: datetime) -> None:
    for plan in CURRENT_PLANS:
        course = courses.get(plan.discipline)
        if course is None:
            continue
        teacher = CourseStaff.objects.filter(course=course, role="teacher").order_by("user__username").first()
        _measures(
            actor=teacher.user if teacher is not None else users["admin1"],
            course=course,
            plan=plan,
            rk1_due=CURRENT_RK1_DUE,
            rk2_due=CURRENT_RK2_DUE,
            essay_due=CURRENT_ESSAY_DUE,
        )
        if not Grade.objects.filter(measure__course=course, source=ResultSource.MANUAL).exists():
            _grade_course(
                course=course,
                code=plan.discipline,
                columns=_columns(course, plan, course.period),
                standings=CURRENT_STANDINGS,
                now=now,
            )
        _feed_tests(course)
    _reopen(users["admin1"], courses.get(ILL_WEEK[1]))


def _reopen(admin: Any, course: Course | None) -> None:
    """The ill student's week-6 column, reopened by the administration service for a week."""
    username, _code, week = ILL_WEEK
    if course is None:
        return
    measure = ControlMeasure.objects.filter(course=course, week=week, kind=MeasureKind.CURRENT).first()
    student = Student.objects.filter(user__username=username).first()
    if measure is None or student is None or EntryReopen.objects.filter(measure=measure, student=student).exists():
        return
    lock_services.reopen_create(
        actor=admin,
        measure_id=measure.pk,
        student_id=student.pk,
        until=max(timezone.now(), demo_now()) + timedelta(days=7),
        reason=ILL_REASON,
    )


# --- The earlier period -------------------------------------------------------------------------------------


def _previous_year() -> dict[int, AcademicPeriod]:
    approved_on, protocol = PREVIOUS_CALENDAR_APPROVED
    return institution.academic_year(
        title=PREVIOUS_YEAR,
        span=PREVIOUS_YEAR_SPAN,
        semesters=PREVIOUS_SEMESTERS,
        events=PREVIOUS_CALENDAR,
        approved_on=approved_on,
        protocol=protocol,
    )


def _previous_group(admin: Any) -> StudyGroup:
    programme = Programme.objects.get(code=PREVIOUS_PROGRAMME)
    group = StudyGroup.objects.filter(code=PREVIOUS_GROUP).first()
    if group is None:
        group = academics_services.group_create(
            actor=None,
            code=PREVIOUS_GROUP,
            programme=programme,
            admission_year=2025,
            language="kk",
            form_of_study="full_time",
            capacity=25,
        )
    made = set(Student.objects.filter(group=group).values_list("iin", flat=True))
    for serial, person in enumerate(PREVIOUS_STUDENTS, start=1):
        sex = "female" if person.female else "male"
        iin = iin_make(birth_date=person.birth_date, sex=sex, serial=6000 + serial * 37)
        if iin in made:
            continue
        records_api.student_create(
            actor=admin,
            user=None,
            iin=iin,
            last_name=names.female_surname(person.surname) if person.female else person.surname,
            first_name=person.first_name,
            patronymic=names.kazakh_patronymic(person.father, female=person.female),
            birth_date=person.birth_date,
            sex=sex,
            citizenship="KZ",
            phone=f"+7 747 {510 + serial:03d} {30 + serial:02d} {60 + serial:02d}",
            email="",
            programme_id=programme.pk,
            group_id=group.pk,
            form_of_study="full_time",
            language="kk",
            funding=Funding.PAID if serial % 5 == 0 else Funding.STATE_GRANT,
            disability="",
            status=StudentStatus.ACTIVE,
            course_year=2,
        )
    return group


def _previous_courses(users: dict[str, Any], period: AcademicPeriod, group: StudyGroup) -> dict[str, Course]:
    found: dict[str, Course] = {}
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in=[c.plan.discipline for c in PREVIOUS_COURSES])}
    for row in PREVIOUS_COURSES:
        code = row.plan.discipline.replace(" ", "") + PREVIOUS_SUFFIX
        course = Course.objects.filter(code=code).first()
        if course is None:
            discipline = disciplines[row.plan.discipline]
            course = course_services.course_create(
                actor=users["admin1"],
                discipline_id=discipline.pk,
                period_id=period.pk,
                code=code,
                group_ids=[group.pk],
                description_kk=f"«{discipline.name_kk}»: {PREVIOUS_YEAR} оқу жылының көктемгі семестрі.",
                description_ru=f"«{discipline.name_ru}»: весенний семестр {PREVIOUS_YEAR} учебного года.",
                description_en=f"The course of “{discipline.name_en}”, spring semester of {PREVIOUS_YEAR}.",
                teacher_ids=[users[row.teacher].pk],
            )
            course_services.course_enrol_groups(actor=users["admin1"], course=course)
        found[row.plan.discipline] = course
    return found


def _exams(course: Course, plan: CoursePlan, teacher: Any, standings: dict[tuple[str, str], Standing]) -> None:
    """The exam of every admitted student on its day, and the FX retake within the retake window."""
    exam = ControlMeasure.objects.get(course=course, part=RatingPart.EXAM)
    if Grade.objects.filter(measure=exam).exists():
        return
    standings_now = result_selectors.course_standings(course_id=course.pk)
    first_name, fx_code, fx_exam, fx_retake, fx_days = FX_RETAKE
    day = _at(plan.exam_day, 15)
    marks: dict[int, Decimal] = {}
    retakes: dict[int, Decimal] = {}
    for pupil in _pupils(course):
        if not standings_now[pupil.student_id].admitted:
            continue
        standing = standings.get((pupil.label, plan.discipline), Standing())
        mark = _mark(pupil, plan.discipline, "exam", standing)
        if (pupil.label, plan.discipline) == (first_name, fx_code):
            mark = fx_exam
            retakes[pupil.student_id] = fx_retake
        if mark is not None:
            marks[pupil.student_id] = mark
    grade_services.grade_enter_many(actor=teacher, measure_id=exam.pk, scores=marks, now=day)
    if retakes:
        grade_services.grade_enter_many(
            actor=teacher,
            measure_id=exam.pk,
            scores=retakes,
            attempt=2,
            now=_at(plan.exam_day + timedelta(days=fx_days), 12),
        )


def _previous(users: dict[str, Any]) -> None:
    periods = _previous_year()
    spring = periods[2]
    if PeriodClosure.objects.filter(period=spring).exists():
        _change_request(users)
        return
    group = _previous_group(users["admin1"])
    courses = _previous_courses(users, spring, group)
    for row in PREVIOUS_COURSES:
        course = courses[row.plan.discipline]
        _measures(
            actor=users[row.teacher],
            course=course,
            plan=row.plan,
            rk1_due=PREVIOUS_RK1_DUE,
            rk2_due=PREVIOUS_RK2_DUE,
            essay_due=PREVIOUS_ESSAY_DUE,
        )
        teacher = users[row.teacher]
        if not Grade.objects.filter(measure__course=course).exclude(measure__part=RatingPart.EXAM).exists():
            _grade_course(
                course=course,
                code=row.plan.discipline,
                columns=_columns(course, row.plan, spring),
                standings=PREVIOUS_STANDINGS,
                now=_at(PREVIOUS_SEMESTERS[1][2], 23),
                enterers={group.pk: (teacher, teacher)},
            )
        _exams(course, row.plan, teacher, PREVIOUS_STANDINGS)
    for number in sorted(periods):
        if not PeriodClosure.objects.filter(period=periods[number]).exists():
            lock_services.period_close(actor=users["admin1"], period_id=periods[number].pk)
    _change_request(users)


def _change_request(users: dict[str, Any]) -> None:
    first_name, code, key, _typed, meant, reason = CHANGE
    course = Course.objects.filter(code=code.replace(" ", "") + PREVIOUS_SUFFIX).first()
    student = Student.objects.filter(group__code=PREVIOUS_GROUP, first_name=first_name).first()
    if course is None or student is None:
        return
    measure = ControlMeasure.objects.filter(course=course, kind=MeasureKind.CURRENT, week=int(key[1:])).first()
    if measure is None or GradeChangeRequest.objects.filter(measure=measure, student=student).exists():
        return
    teacher = next(row.teacher for row in PREVIOUS_COURSES if row.plan.discipline == code)
    lock_services.change_request_create(
        actor=users[teacher], measure_id=measure.pk, student_id=student.pk, score=meant, reason=reason
    )


# --- All of it -------------------------------------------------------------------------------------------------


def gradebook_seed() -> None:
    """Build whatever part of the demo's gradebook is missing (the learning content must exist already)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    courses = {
        c.discipline.code: c
        for c in Course.objects.filter(code__endswith=COURSE_CODE_SUFFIX).select_related("discipline", "period")
    }
    if not courses or set(users) != set(USERNAMES):
        return
    _current(users, courses, demo_now())
    _previous(users)
