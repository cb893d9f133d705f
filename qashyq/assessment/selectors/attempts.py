"""Reads of a student's attempt: the question navigation, the summary, the review, images (one question as
shown comes with its access check: permissions/attempts.py `access_own_attempt_question`)."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, Q

from qashyq.assessment.models import Attempt, AttemptQuestion, QuestionVersion


def attempt_slots(*, attempt: Attempt) -> list[dict[str, Any]]:
    """Each question of the attempt: position, type, answered, flagged (one query)."""
    return [
        {"position": position, "type": qtype, "answered": answer is not None, "flagged": flagged}
        for position, qtype, answer, flagged in AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "type", "answer", "flagged")
    ]


def attempt_questions(*, attempt: Attempt) -> list[AttemptQuestion]:
    """Every question of the attempt with its version, by position (one query)."""
    return list(AttemptQuestion.objects.select_related("version").filter(attempt=attempt).order_by("position"))


def image_in_attempt_of(user_id: int, image_id: int) -> bool:
    """Whether an attempt of this user shows the image (in a stem or in the question's data: options, pairs,
    cloze text): then they may load `/assessment/images/<id>/` (one query)."""
    src = f"/assessment/images/{int(image_id)}/"
    return (
        AttemptQuestion.objects.filter(attempt__user_id=user_id)
        .filter(Q(version__stem__contains=src) | Q(version__data__icontains=src))
        .exists()
    )


def image_visible_in_attempt(user: Any, image_id: int) -> bool:
    """The hook of permissions/banks.py `register_image_visibility`: a student sees an image their attempt shows."""
    return bool(getattr(user, "is_authenticated", False)) and image_in_attempt_of(user.pk, image_id)


@dataclass(frozen=True)
class QuestionPage:
    """What the question page reads: the attempt, the question at the position asked for (None when the
    attempt has no such position) with the version it shows, and `attempt_slots` of the attempt."""

    attempt: Attempt
    question: AttemptQuestion | None
    slots: list[dict[str, Any]]


# The columns (attribute names) `question_page` reads of each model, in the order of its SELECT.
_PAGE_ATTEMPT = ("id", "test_id", "user_id", "status", "deadline", "hard_deadline")
_PAGE_QUESTION = (
    "id",
    "attempt_id",
    "version_id",
    "position",
    "type",
    "layout",
    "answer",
    "seq",
    "saved_at",
    "flagged",
)
_PAGE_VERSION = ("id", "stem", "data")


def _field(model: type[Model], attname: str) -> "Field[Any, Any]":
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _columns(model: type[Model], alias: str, names: tuple[str, ...]) -> str:
    return ", ".join(f'{alias}."{_field(model, name).column}"' for name in names)


# Every question of the attempt (the navigation) in one statement, with the attempt (only if it is the
# user's) and, on the row of the position asked for, the whole question and its version.
_PAGE_SQL = (
    f"SELECT {_columns(Attempt, 'a', _PAGE_ATTEMPT)}, {_columns(AttemptQuestion, 'q', _PAGE_QUESTION)},"  # noqa: S608
    f" {_columns(QuestionVersion, 'v', _PAGE_VERSION)}"
    f' FROM "{AttemptQuestion._meta.db_table}" q'
    f' INNER JOIN "{Attempt._meta.db_table}" a ON a."id" = q."attempt_id"'
    f' LEFT JOIN "{QuestionVersion._meta.db_table}" v ON v."id" = q."version_id" AND q."position" = %s'
    f' WHERE q."attempt_id" = %s AND a."user_id" = %s ORDER BY q."position"'
)


@cache
def _converters(model: type[Model], names: tuple[str, ...], alias: str) -> list[tuple[str, Any, list[Any]]]:
    """Per column: its attribute name, its expression and the converters the ORM would apply to its value."""
    connection = connections[alias]
    table = model._meta.db_table
    result = []
    for name in names:
        field = _field(model, name)
        column = field.get_col(table)
        result.append(
            (field.attname, column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        )
    return result


def _instance(model: type[Model], names: tuple[str, ...], values: tuple[Any, ...], connection: Any) -> Any:
    """A model instance of these columns' values as the ORM would give it (JSON decoded, dates aware)."""
    converted = {}
    for (attname, column, converters), value in zip(_converters(model, names, connection.alias), values, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted[attname] = value
    # from_db takes the values in the model's field order, whatever the order of the SELECT.
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in converted]
    return model.from_db(connection.alias, attnames, [converted[a] for a in attnames])


def question_page(*, user_id: int, attempt_id: int, position: int) -> QuestionPage | None:
    """The question page of the user's attempt in one query; None when the attempt is not theirs (or does not
    exist). Written in SQL, not the ORM: composing the two ORM queries it replaces cost about 1.5 ms of CPU,
    running this one a tenth of that, on the page an exam day reads some 10,000 times (docs/benchmarks.md,
    "Exam day"). Portable SQL (PostgreSQL and SQLite); values go through the fields' own converters."""
    connection = connections[router.db_for_read(AttemptQuestion)]
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_SQL, [position, attempt_id, user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    first_question = len(_PAGE_ATTEMPT)
    first_version = first_question + len(_PAGE_QUESTION)
    attempt = _instance(Attempt, _PAGE_ATTEMPT, rows[0][:first_question], connection)
    question = None
    slots = []
    for row in rows:
        values = row[first_question:first_version]
        slot_position, qtype, answer, flagged = values[3], values[4], values[6], values[9]
        slots.append(
            {"position": slot_position, "type": qtype, "answered": answer is not None, "flagged": bool(flagged)}
        )
        if slot_position == position:
            question = _instance(AttemptQuestion, _PAGE_QUESTION, values, connection)
            question.attempt = attempt
            question.version = _instance(QuestionVersion, _PAGE_VERSION, row[first_version:], connection)
    return QuestionPage(attempt=attempt, question=question, slots=slots)
