"""Rows the registry and API tests need: DLT orders and enrolments written straight to the database (the orders
helper's services make them in real life)."""

from datetime import date
from itertools import count
from typing import Any

from qashyq.dlt.data import ApplicationStatus, Category, DltType, EnrolmentStatus
from qashyq.dlt.models import Application, Enrolment
from qashyq.dlt.tests.helpers import make_application
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, Student

_numbers = count(1)

# The application's state that goes with each state of the enrolment.
APPLICATION_STATUS = {
    EnrolmentStatus.ORDERED: ApplicationStatus.IN_ORDER,
    EnrolmentStatus.SIGNED: ApplicationStatus.IN_ORDER,
    EnrolmentStatus.ACTIVE: ApplicationStatus.ENROLLED,
    EnrolmentStatus.CANCELLED: ApplicationStatus.CANCELLED,
}


def make_order(*, by: Any, status: str = OrderStatus.IN_FORCE, order_date: date = date(2026, 9, 1)) -> Order:
    """A DLT order: a draft without number and date, else numbered "<n>-ОД" and signed by `by`."""
    fields: dict[str, Any] = {}
    if status != OrderStatus.DRAFT:
        number = next(_numbers)
        fields = {
            "year": order_date.year,
            "number": number,
            "number_label": f"{number}-ОД",
            "order_date": order_date,
            "signed_by": by,
        }
    return Order.objects.create(
        kind=OrderKind.DLT,
        status=status,
        title_kk="Қашықтан оқыту туралы",
        title_ru="Об обучении с применением ДОТ",
        effective_date=order_date,
        prepared_by=by,
        **fields,
    )


def enrol(
    student: Student,
    *,
    order: Order,
    category: str = Category.MILITARY,
    dlt_type: str = DltType.NETWORK,
    starts_on: date = date(2026, 9, 1),
    ends_on: date = date(2027, 6, 30),
    status: str = EnrolmentStatus.ACTIVE,
    application: Application | None = None,
) -> Enrolment:
    """A student's DLT study under `order`, with an application in the state that goes with it."""
    if application is None:
        application = make_application(
            student,
            status=APPLICATION_STATUS[EnrolmentStatus(status)],
            category=category,
            with_document=False,
            starts_on=starts_on,
            ends_on=ends_on,
            granted_type=dlt_type,
        )
    return Enrolment.objects.create(
        application=application,
        student=student,
        programme_id=student.programme_id,
        order=order,
        dlt_type=dlt_type,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )
