"""`manage.py audit_verify` proves that every grade equals the score of its last audit event: a grade written,
changed or deleted behind the application's back is reported, one that went through the services is not."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qashyq.audit import api as audit_api
from qashyq.gradebook.checks import grades_match_ledger
from qashyq.gradebook.models import Grade
from qashyq.gradebook.services.grades import grade_enter
from qashyq.gradebook.tests.factories import at, gradebook_world

pytestmark = pytest.mark.django_db

D = Decimal
IN_TK1_WINDOW = at(2026, 9, 30)


@pytest.fixture
def graded():
    """Two grades entered through the service; the first then changed with a reason."""
    world = gradebook_world()
    tk1 = world.measures["tk1"].pk
    first = grade_enter(
        actor=world.teacher, measure_id=tk1, student_id=world.students[0].pk, score=D("70"), now=IN_TK1_WINDOW
    )
    grade_enter(
        actor=world.teacher,
        measure_id=tk1,
        student_id=world.students[0].pk,
        score=D("87.5"),
        reason="Қайта тексерілді",
        now=IN_TK1_WINDOW,
    )
    second = grade_enter(
        actor=world.tutor, measure_id=tk1, student_id=world.students[2].pk, score=D("64"), now=IN_TK1_WINDOW
    )
    world.extra["grades"] = [first, second]
    return world


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=Grade._meta.db_table), params)


def test_the_check_is_registered_with_audit_verify():
    assert "gradebook.grades" in [name for name, _problems in audit_api.checks_run()]


def test_grades_entered_and_changed_through_the_services_pass(graded, capsys):
    assert grades_match_ledger() == []
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit ledger intact" in out
    assert "Check “gradebook.grades”: no problems." in out


def test_a_grade_changed_behind_the_applications_back_is_reported(graded):
    first, second = graded.extra["grades"]
    call_command("audit_verify")  # passes before

    _sql("UPDATE {table} SET score = %s WHERE id = %s", [Decimal("99.00"), first.pk])

    expected = (
        f"Grade {first.pk} (measure {first.measure_id}, student {first.student_id}, attempt 1) is 99.00, but its "
        "last audit event says 87.50: it was changed behind the application's back."
    )
    assert grades_match_ledger() == [expected]
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    message = str(caught.value)
    assert "Check “gradebook.grades” found 1 problem:" in message
    assert f"- {expected}" in message
    assert f"Grade {second.pk} " not in message

    # Put back, the grade matches again.
    _sql("UPDATE {table} SET score = %s WHERE id = %s", [Decimal("87.50"), first.pk])
    assert grades_match_ledger() == []


def test_a_grade_written_without_an_event_and_one_deleted_are_reported(graded):
    first, second = graded.extra["grades"]
    world = graded
    forged = Grade.objects.create(
        measure=world.measures["rk1"], student=world.students[1], score=D("100"), entered_at=IN_TK1_WINDOW
    )
    _sql("DELETE FROM {table} WHERE id = %s", [second.pk])
    _sql("UPDATE {table} SET score = %s WHERE id = %s", [Decimal("70.00"), first.pk])
    problems = grades_match_ledger()
    assert problems == [
        f"Grade {first.pk} (measure {first.measure_id}, student {first.student_id}, attempt 1) is 70.00, but its "
        "last audit event says 87.50: it was changed behind the application's back.",
        f"Grade {forged.pk} (measure {world.measures['rk1'].pk}, student {world.students[1].pk}, attempt 1) has no "
        "audit event: it was written behind the application's back.",
        f"Grade {second.pk} is in the audit ledger but not in the gradebook: it was deleted behind the "
        "application's back.",
    ]
    with pytest.raises(CommandError, match="found 3 problems"):
        call_command("audit_verify")


def test_the_check_costs_two_queries(graded, django_assert_num_queries):
    with django_assert_num_queries(2):
        grades_match_ledger()
