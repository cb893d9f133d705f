"""services/tests.py: the test of an item, its settings, blueprint and accommodations (exact values; bad input
changes nothing; every change audited)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qashyq.assessment import models
from qashyq.assessment.data import Difficulty, GradingMethod, QuestionType, ReviewWhen
from qashyq.assessment.services import tests as services
from qashyq.assessment.tests.helpers import exam_world, make_question, make_test
from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.content.services.items import item_publish, item_update
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def _events(target, action=None):
    events = audit_api.events_for(target_type=target._meta.label_lower, target_id=str(target.pk))
    return [e for e in events if action is None or e["action"] == action]


# --- test_for_item -----------------------------------------------------------------------------------------


def test_test_for_item_creates_once_with_defaults(world):
    test = services.test_for_item(item_id=world.item.pk, actor=world.teacher)
    assert test.course_id == world.course.pk
    assert (test.time_limit_minutes, test.attempts_allowed, test.grace_seconds) == (0, 1, 60)
    assert test.opens_at is None
    assert test.closes_at is None
    assert services.test_for_item(item_id=world.item.pk, actor=world.tutor) == test
    assert models.Test.objects.count() == 1
    assert [e["action"] for e in _events(test)] == ["assessment.test_created"]


def test_test_for_item_takes_the_published_availability(world):
    opens = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    closes = opens + timedelta(days=2)
    item_update(actor=world.teacher, item=world.item, available_from=opens, available_until=closes)
    world.item.refresh_from_db()
    item_publish(actor=world.teacher, item=world.item)
    test = services.test_for_item(item_id=world.item.pk, actor=world.teacher)
    assert (test.opens_at, test.closes_at) == (opens, closes)


@pytest.mark.parametrize("who", ["admin", "head", "didactics", "outsider_teacher", "it_support"])
def test_only_staff_create_the_test(world, who):
    with pytest.raises(PermissionDenied):
        services.test_for_item(item_id=world.item.pk, actor=getattr(world, who))
    with pytest.raises(PermissionDenied):
        services.test_for_item(item_id=world.item.pk, actor=world.students[0].user)
    assert not models.Test.objects.exists()


def test_an_item_of_another_kind_gets_no_test(world):
    page = ItemFactory.create(section=SectionFactory.create(course=world.course), course=world.course)
    with pytest.raises(ValidationError) as error:
        services.test_for_item(item_id=page.pk, actor=world.teacher)
    assert "item" in error.value.message_dict
    assert not models.Test.objects.exists()


# --- test_update -------------------------------------------------------------------------------------------


def test_update_changes_and_audits_only_what_changed(world):
    test = make_test(world)
    opens = timezone.now() + timedelta(days=1)
    updated = services.test_update(
        test=test,
        actor=world.teacher,
        time_limit_minutes=45,
        attempts_allowed=2,
        grading_method=GradingMethod.LAST,
        opens_at=opens,
        closes_at=opens + timedelta(hours=3),
        allowed_networks="10.0.0.0/24\n192.168.1.7",
        access_code="  kilt  ",
        shuffle_options=False,
    )
    test.refresh_from_db()
    assert updated.pk == test.pk
    assert (test.time_limit_minutes, test.attempts_allowed, test.grading_method) == (45, 2, "last")
    assert test.access_code == "kilt"
    assert test.updated_by == world.teacher
    (event,) = _events(test, "assessment.test_updated")
    assert event["before"]["time_limit_minutes"] == 0
    assert event["after"]["time_limit_minutes"] == 45
    assert "shuffle_options" not in event["after"]  # it was False already
    services.test_update(test=test, actor=world.teacher, time_limit_minutes=45)
    assert len(_events(test, "assessment.test_updated")) == 1  # nothing changed, nothing recorded


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time_limit_minutes": -1}, "time_limit_minutes"),
        ({"time_limit_minutes": 24 * 60 + 1}, "time_limit_minutes"),
        ({"attempts_allowed": -2}, "attempts_allowed"),
        ({"attempts_allowed": "3"}, "attempts_allowed"),
        ({"grace_seconds": 601}, "grace_seconds"),
        ({"pass_percent": 101}, "pass_percent"),
        ({"grading_method": "best"}, "grading_method"),
        ({"allowed_networks": "10.0.0.0/24\nnot-an-ip"}, "allowed_networks"),
        ({"opens_at": datetime(2026, 12, 2, tzinfo=UTC), "closes_at": datetime(2026, 12, 1, tzinfo=UTC)}, "closes_at"),
        ({"opens_at": datetime(2026, 12, 2)}, "opens_at"),  # naive
        ({"access_code": "x" * 51}, "access_code"),
        (
            {"review_score": False, "review_responses": False, "review_correct": False, "review_feedback": False},
            "review_when",
        ),
    ],
)
def test_update_refuses_bad_values_and_changes_nothing(world, fields, field):
    test = make_test(world)
    before = models.Test.objects.filter(pk=test.pk).values().get()
    with pytest.raises(ValidationError) as error:
        services.test_update(test=test, actor=world.teacher, **({"instructions": "Read carefully"} | fields))
    assert field in error.value.message_dict
    assert models.Test.objects.filter(pk=test.pk).values().get() == before
    assert not _events(test, "assessment.test_updated")


def test_update_names_the_bad_network_line(world):
    test = make_test(world)
    with pytest.raises(ValidationError) as error:
        services.test_update(test=test, actor=world.teacher, allowed_networks="10.0.0.1\n\n300.1.1.1")
    assert "300.1.1.1" in " ".join(error.value.message_dict["allowed_networks"])


def test_update_review_never_may_show_nothing(world):
    test = make_test(world)
    services.test_update(
        test=test,
        actor=world.teacher,
        review_when=ReviewWhen.NEVER,
        review_score=False,
        review_responses=False,
        review_correct=False,
        review_feedback=False,
    )
    test.refresh_from_db()
    assert test.review_when == ReviewWhen.NEVER


def test_update_refuses_unknown_settings(world):
    test = make_test(world)
    with pytest.raises(ValidationError, match="course"):
        services.test_update(test=test, actor=world.teacher, course=None)


@pytest.mark.parametrize("who", ["tutor", "admin", "head", "didactics", "outsider_teacher"])
def test_only_a_teacher_of_the_course_changes_settings(world, who):
    test = make_test(world)
    with pytest.raises(PermissionDenied):
        services.test_update(test=test, actor=getattr(world, who), time_limit_minutes=10)
    test.refresh_from_db()
    assert test.time_limit_minutes == 0


# --- Blueprint ---------------------------------------------------------------------


def test_blueprint_rules_add_and_remove(world):
    test = make_test(world)
    medium = make_question(world.bank, category=world.category, difficulty=Difficulty.MEDIUM)
    rule = services.blueprint_rule_add(
        test=test,
        actor=world.teacher,
        bank_id=world.bank.pk,
        category_ids=[world.category.pk],
        difficulty=Difficulty.MEDIUM,
        count=1,
        points=Decimal("2.5"),
    )
    assert rule.position == 1
    assert rule.points == Decimal("2.5")
    assert list(rule.categories.all()) == [world.category]
    (added,) = _events(test, "assessment.blueprint_rule_added")
    assert added["after"] == {
        "rule": rule.pk,
        "bank": world.bank.pk,
        "categories": [world.category.pk],
        "difficulty": 2,
        "count": 1,
        "points": "2.50",
    }
    pools = services.blueprint_pools(test)
    assert [ids for _rule, ids in pools][1] == [medium.pk]
    services.blueprint_rule_remove(test=test, actor=world.teacher, rule_id=rule.pk)
    assert not models.BlueprintRule.objects.filter(pk=rule.pk).exists()
    (removed,) = _events(test, "assessment.blueprint_rule_removed")
    assert removed["before"]["count"] == 1


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": 501}, "count"),
        ({"difficulty": 4}, "difficulty"),
        ({"points": Decimal(0)}, "points"),
        ({"points": Decimal("1.234")}, "points"),
        ({"points": "many"}, "points"),
        ({"bank_id": 999_999}, "bank"),
        ({"category_ids": [999_999]}, "categories"),
    ],
)
def test_blueprint_rule_add_refuses_bad_input(world, arguments, field):
    test = make_test(world)
    values = {"bank_id": world.bank.pk, "count": 1} | arguments
    with pytest.raises(ValidationError) as error:
        services.blueprint_rule_add(test=test, actor=world.teacher, **values)
    assert field in error.value.message_dict
    assert test.rules.count() == 1


def test_blueprint_rule_add_refuses_a_bank_of_another_discipline(world):
    other_bank = models.Bank.objects.create(
        discipline=CourseFactory.create().discipline, name="Physics", created_by=world.teacher
    )
    other_topic = models.Category.objects.create(bank=other_bank, path="Optics")
    make_question(other_bank, category=other_topic)
    test = make_test(world)
    with pytest.raises(ValidationError) as error:
        services.blueprint_rule_add(test=test, actor=world.teacher, bank_id=other_bank.pk, count=1)
    assert "bank" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.blueprint_rule_add(
            test=test, actor=world.teacher, bank_id=world.bank.pk, category_ids=[other_topic.pk], count=1
        )
    assert "categories" in error.value.message_dict


def test_blueprint_rule_remove_refuses_a_rule_of_another_test(world):
    test = make_test(world)
    with pytest.raises(ValidationError):
        services.blueprint_rule_remove(test=test, actor=world.teacher, rule_id=999_999)
    with pytest.raises(PermissionDenied):
        services.blueprint_rule_remove(test=test, actor=world.tutor, rule_id=test.rules.get().pk)
    assert test.rules.count() == 1


def test_blueprint_problems(world):
    test = make_test(world)  # draws every one of the 9 questions
    assert services.blueprint_problems(test) == []
    test.rules.all().delete()
    assert services.blueprint_problems(test) == [
        "The blueprint has no rules: add at least one to draw questions from a bank."
    ]
    services.blueprint_rule_add(
        test=test,
        actor=world.teacher,
        bank_id=world.bank.pk,
        category_ids=[world.category.pk],
        difficulty=Difficulty.HARD,
        count=3,
    )
    make_question(world.bank, category=world.category, difficulty=Difficulty.HARD)
    archived = make_question(world.bank, category=world.category, difficulty=Difficulty.HARD)
    archived.archived = True
    archived.save()
    assert services.blueprint_problems(test) == [
        "Rule 1 (bank “Informatics: midterm 1”, topics Algorithms, hard) draws 3 questions, but only 1 active "
        "question matches it."
    ]


def test_blueprint_problems_of_rules_sharing_questions(world):
    test = make_test(world, count=5)
    services.blueprint_rule_add(test=test, actor=world.teacher, bank_id=world.bank.pk, count=5)
    assert services.blueprint_problems(test) == [
        "The rules draw 10 questions in all, but together they match only 9 different questions: a question is "
        "never drawn twice."
    ]


# --- Accommodations ---------------------------------------------------------------------


def test_accommodation_set_change_and_remove(world):
    test = make_test(world)
    student = world.students[1]
    row = services.accommodation_set(
        test=test, actor=world.teacher, student_id=student.pk, extra_time_percent=50, reason="  Disability (R10) "
    )
    assert (row.extra_time_percent, row.extra_attempts, row.reason, row.granted_by) == (
        50,
        0,
        "Disability (R10)",
        world.teacher,
    )
    opens = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)
    services.accommodation_set(
        test=test,
        actor=world.teacher,
        student_id=student.pk,
        extra_time_percent=25,
        extra_attempts=1,
        opens_at=opens,
        closes_at=opens + timedelta(hours=2),
        reason="Abroad",
    )
    row = models.Accommodation.objects.get(test=test, student=student)
    assert (row.extra_time_percent, row.extra_attempts, row.opens_at) == (25, 1, opens)
    first, second = _events(test, "assessment.accommodation_set")
    assert first["before"] == {}
    assert first["after"]["extra_time_percent"] == 50
    assert first["reason"] == "Disability (R10)"
    assert second["before"]["extra_time_percent"] == 50
    assert second["after"]["extra_attempts"] == 1
    assert second["reason"] == "Abroad"
    services.accommodation_remove(test=test, actor=world.teacher, student_id=student.pk, reason="Recovered")
    assert not models.Accommodation.objects.exists()
    (removed,) = _events(test, "assessment.accommodation_removed")
    assert removed["before"]["extra_attempts"] == 1
    assert removed["reason"] == "Recovered"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"extra_time_percent": -5}, "extra_time_percent"),
        ({"extra_time_percent": 401}, "extra_time_percent"),
        ({"extra_attempts": 21}, "extra_attempts"),
        ({"extra_time_percent": 0}, "extra_time_percent"),  # nothing given at all
        (
            {
                "opens_at": datetime(2026, 12, 2, tzinfo=UTC),
                "closes_at": datetime(2026, 12, 1, tzinfo=UTC),
            },
            "closes_at",
        ),
    ],
)
def test_accommodation_set_refuses_bad_input(world, arguments, field):
    test = make_test(world)
    values = {"extra_time_percent": 10, "reason": "Disability"} | arguments
    with pytest.raises(ValidationError) as error:
        services.accommodation_set(test=test, actor=world.teacher, student_id=world.students[0].pk, **values)
    assert field in error.value.message_dict
    assert not models.Accommodation.objects.exists()
    assert not Event.objects.filter(action="assessment.accommodation_set").exists()


def test_accommodation_only_for_a_student_of_the_course(world):
    test = make_test(world)
    stranger = make_student(world.students[0].programme, status=StudentStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.accommodation_set(
            test=test, actor=world.teacher, student_id=stranger.pk, extra_attempts=1, reason="Disability"
        )
    assert "student" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.accommodation_set(
            test=test, actor=world.tutor, student_id=world.students[1].pk, extra_attempts=1, reason="Disability"
        )
    assert not models.Accommodation.objects.exists()


def test_accommodation_remove_needs_a_reason_and_an_accommodation(world):
    test = make_test(world)
    services.accommodation_set(
        test=test, actor=world.teacher, student_id=world.students[0].pk, extra_attempts=1, reason="Disability"
    )
    with pytest.raises(ValidationError) as error:
        services.accommodation_remove(test=test, actor=world.teacher, student_id=world.students[0].pk, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.accommodation_remove(test=test, actor=world.teacher, student_id=world.students[1].pk, reason="x")
    assert "student" in error.value.message_dict
    assert models.Accommodation.objects.count() == 1


def test_question_types_in_the_world(world):
    # The sample bank holds one question of each type (the pools above count on it).
    assert sorted(world.questions) == sorted(QuestionType.values)
