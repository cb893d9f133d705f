import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal

import pytest
from asgiref.testing import ApplicationCommunicator
from celery import shared_task
from django.db import transaction
from django.utils import formats, translation

from config.asgi import application
from qashyq.core.tasks import enqueue

ran: list[int] = []


@shared_task
def remember(value: int) -> None:
    ran.append(value)


class TestKazakhFormats:
    def test_dates(self):
        with translation.override("kk"):
            assert formats.date_format(date(2026, 11, 26), "SHORT_DATE_FORMAT") == "26.11.2026"
            assert formats.date_format(datetime(2026, 11, 26, 9, 5), "SHORT_DATETIME_FORMAT") == "26.11.2026 09:05"
            assert formats.get_format("FIRST_DAY_OF_WEEK") == 1

    def test_numbers(self, settings):
        settings.USE_THOUSAND_SEPARATOR = True
        with translation.override("kk"):
            assert formats.number_format(Decimal("1234.5"), decimal_pos=1) == "1\xa0234,5"

    def test_input_formats(self):
        with translation.override("kk"):
            assert "%d.%m.%Y" in formats.get_format("DATE_INPUT_FORMATS")


@pytest.mark.django_db(transaction=True)
class TestEnqueue:
    def test_runs_only_after_commit(self):
        ran.clear()
        with transaction.atomic():
            enqueue(remember, 7)
            assert ran == []
        assert ran == [7]

    def test_does_not_run_when_rolled_back(self):
        ran.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(remember, 8)
            raise RuntimeError
        assert ran == []


def test_websocket_ping() -> None:
    """A WebSocket under /ws/ goes through Channels and answers."""
    scope = {
        "type": "websocket",
        "path": "/ws/ping/",
        "raw_path": b"/ws/ping/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")],
        "subprotocols": [],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def talk() -> list[dict]:
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "websocket.connect"})
        accepted = await communicator.receive_output(timeout=5)
        await communicator.send_input({"type": "websocket.receive", "text": '{"type": "ping"}'})
        reply = await communicator.receive_output(timeout=5)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=5)
        return [accepted, reply]

    # A fresh thread with its own event loop, whatever loop another test left in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        accepted, reply = pool.submit(asyncio.run, talk()).result(timeout=30)
    assert accepted["type"] == "websocket.accept"
    assert reply == {"type": "websocket.send", "text": '{"type": "pong"}'}
