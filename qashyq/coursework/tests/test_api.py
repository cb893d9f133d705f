"""coursework.api: what other apps read (no grade: that is the gradebook's)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qashyq.coursework import api, services
from qashyq.coursework.data import BacklogData
from qashyq.coursework.tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_latest_submission(world, django_assert_num_queries):
    assert api.latest_submission(item_id=world.item.pk, student_id=world.students[0].pk) is None
    submission = services.submission_submit(
        actor=world.students[0].user, assignment=world.assignment, uploads=[upload()]
    )
    with django_assert_num_queries(1):
        data = api.latest_submission(item_id=world.item.pk, student_id=world.students[0].pk)
    assert data is not None
    assert (data.id, data.item_id, data.number, data.attempt, data.status, data.channel, data.late) == (
        submission.pk,
        world.item.pk,
        submission.number,
        1,
        "submitted",
        "electronic",
        False,
    )
    assert api.latest_submission(item_id=world.item.pk, student_id=world.students[1].pk) is None


def test_tutor_backlog(world, settings, django_assert_num_queries):
    settings.QASHYQ_COURSEWORK_GRADING_DAYS = 7
    works = [
        services.submission_submit(actor=s.user, assignment=world.assignment, text="Жұмыс") for s in world.students
    ]
    services.submission_hand_over(actor=world.admin, submission=works[0], now=timezone.now() - timedelta(days=9))
    services.submission_hand_over(actor=world.admin, submission=works[1], tutor_id=world.teacher.pk)
    with django_assert_num_queries(1):
        backlog = api.tutor_backlog(tutor_id=world.tutor.pk)
    assert backlog == BacklogData(tutor_id=world.tutor.pk, unconfirmed=1, to_review=0, overdue=1)
    services.handover_confirm(actor=world.teacher, submission=works[1])
    assert api.tutor_backlog(tutor_id=world.teacher.pk) == BacklogData(
        tutor_id=world.teacher.pk, unconfirmed=0, to_review=1, overdue=0
    )
    services.submission_review(actor=world.tutor, submission=works[0], decision="accepted", points="70")
    assert api.tutor_backlog(tutor_id=world.tutor.pk) == BacklogData(
        tutor_id=world.tutor.pk, unconfirmed=0, to_review=0, overdue=0
    )
