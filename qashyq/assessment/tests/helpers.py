"""Rows the assessment tests need, written straight to the database (tests may look inside apps).

`exam_world()` builds a course of a discipline for two groups with a teacher, a tutor limited to the second
group, one enrolled student in each group, a published test item, a bank with one question of every type
(`SAMPLES`), and one user of each service role. `make_question(...)` adds a question with its first version;
`make_test(...)` the test's settings with a blueprint rule drawing from the bank."""

import copy
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from PIL import Image as PILImage

from qashyq.academics.models import Discipline, StudyGroup
from qashyq.accounts.tests.factories import UserFactory
from qashyq.assessment.data import Difficulty, QuestionType
from qashyq.assessment.formats.common import ExportQuestion, ParsedImage
from qashyq.assessment.models import Bank, BlueprintRule, Category, Question, QuestionVersion, Test
from qashyq.content.data import Activity, EnrolmentSource, ItemKind, StaffRole
from qashyq.content.models import Course, Enrolment, Item
from qashyq.content.services.items import item_publish
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

# One question of every type, in the shapes of rules/__init__.py: (stem, data).
SAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    QuestionType.SINGLE: (
        "Қазақстанның астанасы?",
        {
            "options": [
                {"id": "a", "text": "Астана", "fraction": 1.0, "feedback": ""},
                {"id": "b", "text": "Алматы", "fraction": 0.0, "feedback": ""},
                {"id": "c", "text": "Шымкент", "fraction": 0.0, "feedback": ""},
                {"id": "d", "text": "Қарағанды", "fraction": 0.0, "feedback": ""},
            ],
            "partial": "all_or_nothing",
        },
    ),
    QuestionType.MULTIPLE: (
        "Which are prime numbers?",
        {
            "options": [
                {"id": "a", "text": "2", "fraction": 0.5, "feedback": ""},
                {"id": "b", "text": "3", "fraction": 0.5, "feedback": ""},
                {"id": "c", "text": "4", "fraction": -0.5, "feedback": ""},
                {"id": "d", "text": "6", "fraction": -0.5, "feedback": ""},
            ],
            "partial": "partial",
        },
    ),
    QuestionType.TRUE_FALSE: ("Water boils at 100 °C at sea level.", {"answer": True}),
    QuestionType.MATCHING: (
        "Match the countries with their capitals.",
        {
            "pairs": [
                {"id": "p1", "left": "Kazakhstan", "right": "Astana"},
                {"id": "p2", "left": "France", "right": "Paris"},
                {"id": "p3", "left": "Japan", "right": "Tokyo"},
            ],
            "distractors": ["Berlin"],
        },
    ),
    QuestionType.ORDERING: (
        "Put in order, smallest first.",
        {"items": [{"id": "i1", "text": "1"}, {"id": "i2", "text": "10"}, {"id": "i3", "text": "100"}]},
    ),
    QuestionType.SHORT: (
        "Who wrote “Abai's Path”?",
        {
            "answers": [
                {"text": "Mukhtar Auezov", "fraction": 1.0, "feedback": ""},
                {"text": "Auezov", "fraction": 1.0, "feedback": ""},
            ],
            "case_sensitive": False,
        },
    ),
    QuestionType.NUMERIC: (
        "g, in m/s², to one decimal?",
        {
            "answers": [{"value": 9.8, "tolerance": 0.05, "fraction": 1.0, "feedback": ""}],
            "units": [{"unit": "m/s²", "multiplier": 1.0}],
            "unit_required": False,
        },
    ),
    QuestionType.CLOZE: (
        "Fill in the blanks.",
        {
            "text": "The capital of Kazakhstan is {{1}}; 2 + 2 = {{2}}; the sky is {{3}}.",
            "gaps": [
                {
                    "id": "1",
                    "kind": "short",
                    "points": 1,
                    "answers": [{"text": "Astana", "fraction": 1.0, "feedback": ""}],
                    "case_sensitive": False,
                },
                {
                    "id": "2",
                    "kind": "numeric",
                    "points": 1,
                    "answers": [{"value": 4.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
                },
                {
                    "id": "3",
                    "kind": "choice",
                    "points": 1,
                    "options": [
                        {"id": "a", "text": "blue", "fraction": 1.0, "feedback": ""},
                        {"id": "b", "text": "green", "fraction": 0.0, "feedback": ""},
                    ],
                },
            ],
        },
    ),
    QuestionType.ESSAY: (
        "Explain the letter point-rating system.",
        {
            "rubric": [{"criterion": "Content", "points": 3}, {"criterion": "Language", "points": 2}],
            "min_words": 0,
            "max_words": 0,
            "template": "",
        },
    ),
}

# The right answer of each sample, in the shapes of rules/__init__.py.
RIGHT_ANSWERS: dict[str, Any] = {
    QuestionType.SINGLE: {"choice": "a"},
    QuestionType.MULTIPLE: {"choices": ["a", "b"]},
    QuestionType.TRUE_FALSE: {"value": True},
    QuestionType.MATCHING: {"pairs": {"p1": "p1", "p2": "p2", "p3": "p3"}},
    QuestionType.ORDERING: {"order": ["i1", "i2", "i3"]},
    QuestionType.SHORT: {"text": "  auezov "},
    QuestionType.NUMERIC: {"text": "9.8"},
    QuestionType.CLOZE: {"gaps": {"1": "astana", "2": "4", "3": "a"}},
    QuestionType.ESSAY: {"text": "Ratings are out of 100 points."},
}


@dataclass
class ExamWorld:
    discipline: Discipline
    course: Course
    groups: list[StudyGroup]
    item: Item
    teacher: Any
    tutor: Any  # tutor of groups[1] only
    students: list[Student]  # one per group, enrolled, with accounts
    enrolments: list[Enrolment]
    admin: Any
    head: Any
    didactics: Any
    it_support: Any
    outsider_teacher: Any  # a teacher of another course
    bank: Bank
    category: Category
    questions: dict[str, Question] = field(default_factory=dict)

    @property
    def student_users(self) -> list[Any]:
        return [s.user for s in self.students]

    def user(self, role: str) -> Any:
        """The world's user of a role of the access matrices ("student" is "student_own")."""
        return {
            "student": self.students[0].user,
            "student_own": self.students[0].user,
            "student_other": self.students[1].user,
            "teacher": self.teacher,
            "tutor": self.tutor,
            "outsider_teacher": self.outsider_teacher,
            "admin": self.admin,
            "head": self.head,
            "didactics": self.didactics,
            "it_support": self.it_support,
            "anonymous": AnonymousUser(),
        }[role]


# Roles that must enrol a second factor before they sign in (see the `sign_in` fixture in conftest.py).
MFA_ROLES = frozenset({"admin", "head", "it_support"})


def make_question(
    bank: Bank,
    qtype: str = QuestionType.SINGLE,
    *,
    stem: str | None = None,
    data: dict[str, Any] | None = None,
    category: Category | None = None,
    difficulty: int = Difficulty.SIMPLE,
    points: Decimal = Decimal(1),
    author: Any = None,
    language: str = "kk",
) -> Question:
    """A question with its first version (the sample of its type unless `stem`/`data` are given)."""
    sample_stem, sample_data = SAMPLES[qtype]
    author = author or bank.created_by
    question = Question.objects.create(
        bank=bank,
        category=category,
        type=qtype,
        difficulty=difficulty,
        language=language,
        fingerprint=f"{qtype}:{stem or sample_stem}:{Question.objects.count()}",
        created_by=author,
    )
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        type=qtype,
        stem=stem if stem is not None else sample_stem,
        data=data if data is not None else sample_data,
        points=points,
        created_by=author,
    )
    question.current = version
    question.save(update_fields=["current"])
    return question


def make_test(world: ExamWorld, *, count: int | None = None, **settings: Any) -> Test:
    """The world's test with one blueprint rule drawing `count` (default: every) question of the bank."""
    defaults: dict[str, Any] = {"shuffle_questions": False, "shuffle_options": False}
    test = Test.objects.create(item=world.item, course=world.course, **(defaults | settings))
    BlueprintRule.objects.create(
        test=test, bank=world.bank, count=count if count is not None else world.bank.questions.count()
    )
    return test


def exam_world(*, publish: bool = True) -> ExamWorld:
    programme = make_programme(code="6B06101")
    groups = [make_group("IS-26-1", programme), make_group("IS-26-2", programme)]
    course = CourseFactory.create(name_kk="Информатика", name_en="Computer science")
    course.groups.set(groups)
    discipline = course.discipline
    teacher = UserFactory.create(roles=["teacher"])
    tutor = UserFactory.create(roles=["tutor"])
    add_staff(course, teacher, StaffRole.TEACHER)
    tutor_row = add_staff(course, tutor, StaffRole.TUTOR)
    tutor_row.groups.set([groups[1]])
    other_course = CourseFactory.create()
    outsider = UserFactory.create(roles=["teacher"])
    add_staff(other_course, outsider, StaffRole.TEACHER)
    students, enrolments = [], []
    for group in groups:
        student = make_student(
            programme, group=group, status=StudentStatus.ACTIVE, user=UserFactory.create(roles=["student"])
        )
        students.append(student)
        enrolments.append(Enrolment.objects.create(course=course, student=student, source=EnrolmentSource.GROUP))
    section = SectionFactory.create(course=course)
    item = ItemFactory.create(
        section=section, course=course, kind=ItemKind.TEST, activity=Activity.INTERACTION, name_kk="Аралық бақылау 1"
    )
    if publish:
        item_publish(actor=teacher, item=item)
        item.refresh_from_db()
    bank = Bank.objects.create(discipline=discipline, name="Informatics: midterm 1", created_by=teacher)
    category = Category.objects.create(bank=bank, path="Algorithms")
    world = ExamWorld(
        discipline=discipline,
        course=course,
        groups=groups,
        item=item,
        teacher=teacher,
        tutor=tutor,
        students=students,
        enrolments=enrolments,
        admin=UserFactory.create(roles=["administration"]),
        head=UserFactory.create(roles=["head"]),
        didactics=UserFactory.create(roles=["didactics"]),
        it_support=UserFactory.create(roles=["it_support"]),
        outsider_teacher=outsider,
        bank=bank,
        category=category,
    )
    for qtype in SAMPLES:
        world.questions[qtype] = make_question(bank, qtype, category=category)
    return world


# --- The file formats' tests (no database) --------------------------------------------------------------

FORMAT_CATEGORIES = ["Algorithms", "Algorithms/Sorting", ""]
FORMAT_POINTS = [Decimal(1), Decimal(2), Decimal("1.5")]
FORMAT_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
FORMAT_IMAGE = ParsedImage(name="map.png", content=FORMAT_PNG, content_type="image/png")


def export_questions(types: list[str]) -> list[ExportQuestion]:
    """The samples of `types` as a bank gives them to a writer (the single-choice one with an image)."""
    questions = []
    for index, qtype in enumerate(types):
        stem, data = SAMPLES[qtype]
        images: tuple[ParsedImage, ...] = ()
        if qtype == "single":
            stem = f'{stem} <img src="image:map.png" alt="Map">'
            images = (FORMAT_IMAGE,)
        questions.append(
            ExportQuestion(
                id=index + 1,
                type=qtype,
                name=f"Q{index + 1}: {qtype}",
                stem=stem,
                data=copy.deepcopy(data),
                difficulty=index % 3 + 1,
                category=FORMAT_CATEGORIES[index % 3],
                points=FORMAT_POINTS[index % 3],
                feedback=f"General feedback {index + 1}" if index % 2 else "",
                language="kk",
                images=images,
            )
        )
    return questions


def expected_data(qtype: str, data: dict[str, Any]) -> dict[str, Any]:
    """A sample's data as a reader gives it back: the optional fields filled in."""
    data = copy.deepcopy(data)
    if qtype == "true_false":
        data.setdefault("feedback_true", "")
        data.setdefault("feedback_false", "")
    return data


def assert_kept(original: ExportQuestion, parsed: Any) -> None:
    """A question read back from a file keeps what the writer was given."""
    assert parsed.type == original.type
    assert parsed.stem == original.stem, original.type
    assert parsed.data == expected_data(original.type, original.data), original.type
    assert parsed.difficulty == original.difficulty
    assert parsed.category == original.category
    assert parsed.points == original.points
    assert parsed.feedback == original.feedback
    assert parsed.name == original.name
    assert parsed.language == original.language


def png_bytes() -> bytes:
    """A small real PNG image (2 × 2 pixels)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (2, 2), "green").save(buffer, format="PNG")
    return buffer.getvalue()
