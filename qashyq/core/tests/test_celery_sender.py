"""config.celery.prepare_sender: a web process opens its broker connection when it starts, not in a request."""

from unittest import mock

import pytest

from config.celery import app, prepare_sender


@pytest.fixture
def memory_broker():
    """A broker in this process instead of eager tasks, put back afterwards."""
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
    yield
    app.close()  # its connection pools, made anew on next use
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.mark.django_db
def test_with_a_broker_the_process_starts_with_a_connection_ready_in_the_pool(memory_broker):
    prepare_sender()

    with app.producer_or_acquire() as producer:
        assert producer.connection.connected
        assert producer.connection.transport_cls == "memory"
    assert "assessment.tasks.attempt_publish" in app.tasks  # the task modules are imported


def test_eager_tasks_need_no_broker_and_nothing_is_opened():
    assert app.conf.task_always_eager  # the tests run tasks eagerly

    with mock.patch.object(app, "producer_or_acquire") as acquire:
        prepare_sender()

    acquire.assert_not_called()
