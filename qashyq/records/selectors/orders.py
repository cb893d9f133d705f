"""Reading orders: the filtered list, one order with its items, and a student's history."""

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import FormOfStudy
from qashyq.records.data import ExpulsionReason, OrderKind, OrderStatus, StudentStatus
from qashyq.records.models import Order, OrderItem, Student
from qashyq.records.rules import search_fold


def _student_search(students: QuerySet[Student], query: str) -> QuerySet[Student]:
    """By IIN (or its start), or by every word of a name in any script."""
    compact = query.replace(" ", "")
    if compact.isdigit():
        return students.filter(iin__startswith=compact)
    for word in search_fold(query).split()[:5]:
        students = students.filter(search_text__contains=word)
    return students


def order_list(
    *,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    number: str = "",
    student: str = "",
) -> QuerySet[Order]:
    """Orders newest first (drafts, which have no number yet, on top), with how many students each lists.

    `year` is the year of the number (of the date in force for drafts); `number` matches the number or its
    label; `student` an IIN (or its start) or a name in any script."""
    orders = (
        Order.objects.select_related("prepared_by", "signed_by", "cancels")
        .annotate(item_count=Count("items"))
        .order_by(F("year").desc(nulls_first=True), F("number").desc(nulls_first=True), "-id")
    )
    if kind:
        orders = orders.filter(kind=kind)
    if status:
        orders = orders.filter(status=status)
    if year:
        orders = orders.filter(Q(year=year) | Q(year__isnull=True, effective_date__year=year))
    number = number.strip().lstrip("№").strip()
    if number:
        by_number = Q(number=int(number)) if number.isdigit() else Q(number_label__iexact=number)
        orders = orders.filter(by_number)
    student = student.strip()
    if student:
        students = _student_search(Student.objects.filter(order_items__order=OuterRef("pk")), student)
        orders = orders.filter(Exists(students))
    return orders


def order_years() -> list[int]:
    """The years that have signed orders, newest first (for the year filter)."""
    years = Order.objects.filter(year__isnull=False).order_by("-year").values_list("year", flat=True).distinct()
    return [year for year in years if year is not None]


def order_get_with_items(*, order_id: int) -> Order:
    """One order with its items in position order (`order.item_list`), each with its student."""
    order = Order.objects.select_related("prepared_by", "signed_by", "cancels").get(pk=order_id)
    order.item_list = list(  # type: ignore[attr-defined]
        order.items.select_related("student").order_by("position")
    )
    return order


def order_cancellations(*, order: Order) -> list[Order]:
    """Cancellation orders written for this order (drafts too), newest first."""
    return list(Order.objects.filter(cancels=order).order_by("-id"))


def order_items_for_student(*, student_id: int) -> list[OrderItem]:
    """A student's history: the items of every signed order that listed them, newest first
    (drafts are not history yet)."""
    return list(
        OrderItem.objects.filter(student_id=student_id)
        .exclude(order__status=OrderStatus.DRAFT)
        .select_related("order")
        .order_by("-order__year", "-order__number", "-id")
    )


def order_student_candidates(*, order: Order, query: str, limit: int = 20) -> list[Student]:
    """Students the administration service may look for to add to a draft: by IIN (or its start)
    or by name in any script, those with the status the order's kind needs first."""
    query = query.strip()
    if not query:
        return []
    students = _student_search(Student.objects.select_related("group", "programme"), query)
    students = students.exclude(order_items__order=order)
    wanted = CANDIDATE_STATUSES.get(order.kind)
    if wanted:
        students = students.filter(status__in=wanted)
    return list(students.order_by("last_name", "first_name", "id")[:limit])


CANDIDATE_STATUSES: dict[str, tuple[str, ...]] = {
    OrderKind.ADMISSION: (StudentStatus.APPLICANT,),
    OrderKind.TRANSFER: (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE, StudentStatus.APPLICANT),
    OrderKind.REINSTATEMENT: (StudentStatus.EXPELLED,),
    OrderKind.EXPULSION: (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE),
    OrderKind.ACADEMIC_LEAVE: (StudentStatus.ACTIVE,),
    OrderKind.RETURN_FROM_LEAVE: (StudentStatus.ACADEMIC_LEAVE,),
}


def item_description(item: OrderItem, kind: str) -> str:
    """What an item does, in the active language: "into group ИС-21 (6B06101, Full-time), course 2"."""
    changes: dict[str, Any] = item.changes or {}
    parts: list[str] = []
    if changes.get("group_code"):
        form = dict(FormOfStudy.choices).get(changes.get("form_of_study", ""), changes.get("form_of_study", ""))
        parts.append(
            _("into group %(group)s (%(programme)s, %(form)s)")
            % {"group": changes["group_code"], "programme": changes.get("programme_code", ""), "form": form}
        )
    if changes.get("course_year"):
        parts.append(_("course %(year)s") % {"year": changes["course_year"]})
    if changes.get("from_institution"):
        parts.append(_("from %(institution)s") % {"institution": changes["from_institution"]})
    if changes.get("to_institution"):
        parts.append(_("to %(institution)s") % {"institution": changes["to_institution"]})
    if changes.get("until"):
        parts.append(_("until %(date)s") % {"date": changes["until"]})
    if item.reason:
        parts.append(str(dict(ExpulsionReason.choices).get(item.reason, item.reason)))
    if kind == OrderKind.CANCELLATION:
        parts.append(_("the record returns to what it was before the cancelled order"))
    return "; ".join(parts)


def order_group_choices() -> list[tuple[int, str]]:
    """Groups to choose from when placing a student: "ИС-21 · 6B06101 · Full-time (closed)"."""
    forms = dict(FormOfStudy.choices)
    choices = []
    for group in academics_api.group_list():
        label = f"{group.code} · {group.programme_code} · {forms.get(group.form_of_study, group.form_of_study)}"
        if group.closed:
            label += " " + _("(closed)")
        choices.append((group.id, label))
    return choices
