"""Order numbers under concurrency: orders signed at the same moment get 1..N, each once, no gaps.

Real threads with their own database connections against a real (transactional) database: on SQLite every
write transaction starts IMMEDIATE, on PostgreSQL the year's counter row is locked FOR UPDATE. Run these
with DATABASE_URL=postgres://... too."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from qashyq.accounts.data import Role
from qashyq.records import printing
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderNumberCounter
from qashyq.records.services.orders import order_create, order_item_add, order_sign
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture(autouse=True)
def _no_pdfs(monkeypatch):
    monkeypatch.setattr(printing, "order_documents_issue", lambda *, order, actor: [])


def _drafts(make_user, count, *, effective_date):
    admin = make_user(Role.ADMINISTRATION)
    programme = make_programme()
    group = make_group("ИС-26-1", programme, capacity=100)
    orders = []
    for _ in range(count):
        order = order_create(
            actor=admin, kind=OrderKind.ADMISSION, effective_date=effective_date, basis_kk="негіз", basis_ru="основание"
        )
        order_item_add(actor=admin, order=order, student=make_student(programme), changes={"group": group.pk})
        orders.append(order)
    return orders


def _run_at_once(work):
    """Run each callable in its own thread, all released together; return (results, errors)."""
    barrier = threading.Barrier(len(work))
    results, errors = [], []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                value = job()
            with lock:
                results.append(value)
        except ValidationError as error:
            with lock:
                errors.append(error)
        except Exception as error:  # any other failure must fail the test, not vanish in a thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a signing thread hung"
    return results, errors


@pytest.mark.parametrize("in_force_now", [False, True], ids=["later", "today"])
def test_orders_signed_at_once_get_numbers_1_to_n_each_once(make_user, in_force_now):
    today = timezone.localdate()
    orders = _drafts(make_user, THREADS, effective_date=today if in_force_now else today + timedelta(days=7))
    heads = [make_user(Role.HEAD) for _ in range(2)]

    results, errors = _run_at_once(
        [lambda order=order, i=i: order_sign(actor=heads[i % 2], order=order).pk for i, order in enumerate(orders)]
    )

    assert errors == []
    assert sorted(results) == sorted(o.pk for o in orders)
    signed = list(Order.objects.order_by("number").values_list("year", "number", "number_label", "status"))
    expected_status = OrderStatus.IN_FORCE if in_force_now else OrderStatus.SIGNED
    assert signed == [(today.year, n, f"{n}-ОД", expected_status) for n in range(1, THREADS + 1)]
    assert OrderNumberCounter.objects.get(year=today.year).last_number == THREADS


def test_one_order_signed_at_once_by_many_is_signed_once(make_user):
    (order,) = _drafts(make_user, 1, effective_date=timezone.localdate() + timedelta(days=7))
    heads = [make_user(Role.HEAD) for _ in range(4)]

    results, errors = _run_at_once([lambda head=head: order_sign(actor=head, order=order).pk for head in heads])

    assert results == [order.pk]
    assert len(errors) == 3
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert all(e.messages == ["Order № 1-ОД is already signed: an order is signed once."] for e in errors)
    order.refresh_from_db()
    assert (order.number, order.status) == (1, OrderStatus.SIGNED)
    assert OrderNumberCounter.objects.get().last_number == 1
