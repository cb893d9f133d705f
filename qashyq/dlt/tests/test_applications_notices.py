"""The student is told of every step of their application: an e-mail in their interface language (after
commit), to their account's address or else their record's, and nothing when they have none."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from qashyq.dlt import tasks
from qashyq.dlt.data import ApplicationStatus, DltType
from qashyq.dlt.services import applications as services
from qashyq.dlt.tests.helpers import TODAY, dlt_world, make_application

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def world():
    return dlt_world()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    return run


def speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "status_label"),
    [("ru", "На рассмотрении"), ("kk", "Қарауда"), ("", "Қарауда"), ("en", "Under review")],
)
def test_the_e_mail_is_in_the_students_language(world, committed, language, status_label):
    speaking(world.student_user, language)
    application = make_application(world.student, status=S.SUBMITTED)
    committed(services.application_take_for_review, actor=world.admin, application=application)
    [message] = mail.outbox
    assert message.to == [world.student_user.email]
    assert status_label in message.subject
    assert status_label in message.body
    assert str(application.pk) in message.subject
    url = settings.QASHYQ_PUBLIC_URL.rstrip("/") + reverse("dlt:application-detail", args=[application.pk])
    assert url in message.body
    assert translation.get_language() == "en"  # the override ends with the message


def test_it_is_rendered_under_the_students_language(world, committed, monkeypatch):
    """Every template of the message is rendered with the student's language active."""
    seen = []
    original = tasks.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", spy)
    speaking(world.student_user, "ru")
    application = make_application(world.student, status=S.UNDER_REVIEW)
    committed(services.application_reject, actor=world.admin, application=application, reason="Негіз жоқ")
    assert seen == ["ru", "ru"]


def test_a_comment_and_the_steps_own_words_are_in_it(world, committed):
    speaking(world.student_user, "en")
    application = make_application(world.student, status=S.UNDER_REVIEW)
    committed(services.application_return, actor=world.admin, application=application, comment="Add the notice.")
    [message] = mail.outbox
    assert "has been returned to you for changes" in message.body
    assert "Comment:\nAdd the notice." in message.body


def test_accepted_names_the_type_granted(world, committed):
    speaking(world.student_user, "en")
    application = make_application(world.student, status=S.UNDER_REVIEW, dlt_types=[DltType.TV, DltType.CASE])
    committed(services.application_accept, actor=world.admin, application=application, granted_type=DltType.TV)
    [message] = mail.outbox
    assert "has been accepted: you are to study by TV technology." in message.body


def test_the_record_address_when_the_account_has_none(world, committed):
    world.student_user.email = None
    world.student_user.save(update_fields=["email"])
    world.student.email = "student@example.kz"
    world.student.save(update_fields=["email"])
    application = make_application(world.student, status=S.SUBMITTED)
    committed(services.application_take_for_review, actor=world.admin, application=application)
    assert [m.to for m in mail.outbox] == [["student@example.kz"]]


def test_no_address_no_e_mail(world, committed):
    world.student_user.email = None
    world.student_user.save(update_fields=["email"])
    application = make_application(world.student, status=S.SUBMITTED)
    committed(services.application_take_for_review, actor=world.admin, application=application)
    assert mail.outbox == []
    assert tasks.application_notice_send(application.events.get().pk) is False


def test_writing_a_draft_or_a_refused_submission_sends_nothing(world, committed):
    speaking(world.student_user, "en")
    draft = committed(services.application_create, actor=world.student_user, category="military")
    assert mail.outbox == []
    with pytest.raises(ValidationError):  # no justification, type, period or document yet
        committed(services.application_submit, actor=world.student_user, application=draft, today=TODAY)
    assert mail.outbox == []


def test_submitting_sends_the_student_a_receipt(world, committed):
    speaking(world.student_user, "en")
    draft = make_application(world.student, status=S.DRAFT)
    committed(services.application_submit, actor=world.student_user, application=draft, today=TODAY)
    [message] = mail.outbox
    assert "has been submitted to the head of the organization" in message.body


def test_a_refused_step_sends_nothing(world, committed):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        committed(services.application_accept, actor=world.admin, application=application, granted_type="tv")
    assert mail.outbox == []


def test_an_unknown_step_sends_nothing():
    assert tasks.application_notice_send(999_999) is False
