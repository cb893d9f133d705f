"""The demo's testing (issue 6): banks with every question type in Kazakh and Russian (some imported from a
Kazakh-format file), the midterm tests with their blueprints, attempts in every state and an accommodation —
all made through the services (audited) and unchanged by seeding again."""

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from qashyq.assessment import api as assessment_api
from qashyq.assessment.data import AttemptStatus, QuestionType
from qashyq.assessment.models import Accommodation, Attempt, AttemptQuestion, Bank, BlueprintRule, Question
from qashyq.assessment.models import Test as ExamTest
from qashyq.assessment.services.tests import blueprint_problems
from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.content.models import Course, Item
from qashyq.demo import assessment as demo_assessment
from qashyq.demo import content_texts as texts
from qashyq.demo import services as demo_services
from qashyq.documents import services as document_services

MINIMAL_PDF = b"%PDF-1.7\n%demo test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _counts() -> dict[str, int]:
    models = (Bank, Question, ExamTest, BlueprintRule, Accommodation, Attempt, AttemptQuestion, Event)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_holds_testing_of_issue_6(monkeypatch):
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)
    demo_services.demo_seed()

    # A bank per discipline with a test item in the demo courses.
    courses = Course.objects.filter(code__endswith="-2026-1")
    assert Bank.objects.count() == courses.count() == 7
    assert Question.objects.count() == 80
    assert set(Bank.objects.values_list("discipline__code", flat=True)) == {t.discipline for t in texts.COURSE_TEXTS}

    # The informatics and pedagogy banks: every type in Kazakh and in Russian, three difficulties.
    for code in ("IK 1120", "PK 1160"):
        bank = Bank.objects.get(discipline__code=code)
        kinds = Counter(bank.questions.values_list("language", "type"))
        kazakh = {qtype for (language, qtype) in kinds if language == "kk"}
        russian = {qtype for (language, qtype) in kinds if language == "ru"}
        assert kazakh == set(QuestionType.values), code
        if code == "IK 1120":
            assert russian == set(QuestionType.values)
        else:
            assert {"single", "true_false", "short", "essay"} <= russian
        assert set(bank.questions.values_list("difficulty", flat=True)) == {1, 2, 3}
    informatics = Bank.objects.get(discipline__code="IK 1120")
    assert Event.objects.filter(action="assessment.import", target_id=str(informatics.pk)).count() == 2
    assert informatics.questions.filter(type="multiple", category__path=demo_assessment.IK_TOPICS[0]).exists()

    # The midterm tests: blueprint, window open now, 40 minutes.
    tests = {t.course.discipline.code: t for t in ExamTest.objects.select_related("course__discipline", "item")}
    assert set(tests) == {"IK 1120", "PK 1160"}
    ik = tests["IK 1120"]
    assert ik.item.name_kk == texts.MIDTERM_1.kk
    assert [(r.difficulty, r.count) for r in ik.rules.order_by("position")] == [(1, 10), (2, 5), (3, 4), (None, 1)]
    assert (ik.time_limit_minutes, ik.attempts_allowed) == (40, 2)
    assert ik.opens_at < timezone.now() < ik.closes_at
    assert blueprint_problems(ik) == []
    assert blueprint_problems(tests["PK 1160"]) == []

    # Attempts: graded ones (essays graded with the rubric), one essay awaiting grading, one in progress.
    attempts = list(Attempt.objects.filter(test=ik).select_related("user").order_by("user__username", "number"))
    states = [(a.user.username, a.number, a.status) for a in attempts]
    assert states == [
        ("student03", 1, AttemptStatus.GRADED),
        ("student04", 1, AttemptStatus.GRADED),
        ("student04", 2, AttemptStatus.GRADED),
        ("student05", 1, AttemptStatus.NEEDS_GRADING),
        ("student06", 1, AttemptStatus.IN_PROGRESS),
        ("student07", 1, AttemptStatus.GRADED),
    ]
    percents = {(a.user.username, a.number): a.percent for a in attempts}
    # 19 closed questions of 1 point and an essay of 5: right answers + the essay's rubric points.
    assert percents[("student03", 1)] == Decimal("91.67")  # (17 + 5) / 24
    assert percents[("student04", 1)] == Decimal("41.67")  # (8 + 2) / 24
    assert percents[("student04", 2)] == Decimal("75.00")  # (14 + 4) / 24
    assert percents[("student07", 1)] == Decimal("29.17")  # (6 + 1) / 24
    for attempt in attempts:
        assert attempt.questions.count() == 20
        assert attempt.questions.filter(type="essay").count() == 1
    waiting = AttemptQuestion.objects.get(attempt__test=ik, needs_grading=True)
    assert waiting.attempt.user.username == "student05"
    assert waiting.answer["text"]
    assert Event.objects.filter(action="assessment.question_graded").count() == 4

    # The gradebook's view of it.
    results = {r.student_id: r for r in assessment_api.test_results(item_id=ik.item_id)}
    by_name = {a.user.username: a.student_id for a in attempts}
    assert results[by_name["student04"]].percent == Decimal("75.00")
    assert results[by_name["student05"]].pending is True
    assert by_name["student06"] not in results

    # The accommodation of the student with a disability.
    accommodation = Accommodation.objects.get(test=ik)
    assert accommodation.student.user.username == "student02"
    assert accommodation.student.disability
    assert accommodation.extra_time_percent == 50
    assert "disability certificate" in accommodation.reason
    assert Event.objects.filter(action="assessment.accommodation_set").count() == 1

    # Every step audited; the ledger verifies; seeding again changes nothing.
    assert audit_api.verify().ok
    counts = _counts()
    demo_assessment.assessment_seed()
    assert _counts() == counts
    assert Item.objects.filter(kind="test").count() == 14
