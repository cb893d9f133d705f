"""config.celery.prepare_sender: a web process opens its broker connection when it starts, not in a request."""

from unittest import mock

import pytest
from celery import Celery

from config import celery
from config.celery import prepare_sender


@pytest.fixture
def sender():
    """A Celery application configured as the project's, sending to the broker given; closed afterwards."""
    apps = []

    def make(broker_url: str, *, eager: bool = False) -> Celery:
        app = Celery("qashyq-sender-test", set_as_current=False)  # the tasks of other tests keep theirs
        app.config_from_object("django.conf:settings", namespace="CELERY")
        app.conf.update(broker_url=broker_url, task_always_eager=eager)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.mark.django_db
def test_with_a_broker_the_process_starts_with_a_connection_ready_in_the_pool(sender):
    app = sender("memory://")

    prepare_sender(app)

    with app.producer_or_acquire() as producer:
        assert producer.connection.connected
        assert producer.connection.transport_cls == "memory"


@pytest.mark.django_db
def test_a_broker_out_of_reach_does_not_stop_the_process_from_starting(sender):
    app = sender("redis://127.0.0.1:1/0")  # nothing listens on port 1

    with mock.patch.object(celery.logger, "warning") as warning:
        prepare_sender(app)

    assert warning.call_args.args[0] == "The task broker cannot be reached yet: %s"


def test_eager_tasks_need_no_broker_and_nothing_is_opened(sender):
    app = sender("redis://127.0.0.1:1/0", eager=True)

    with mock.patch.object(app, "producer_or_acquire") as acquire:
        prepare_sender(app)

    acquire.assert_not_called()
