"""Printed documents of contingent orders: each signed order in Kazakh and in Russian, and a per-student
extract ("Бұйрықтан үзінді" / "Выписка из приказа"), issued through documents.api with a verification code.

The official formulas of the texts are in the templates (records/templates/records/pdf/), one block per
language; this module gathers the data: the institution, the students' rows, dates written out in words.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.accounts.api import Role, user_roles
from qashyq.core.i18n import localized
from qashyq.documents import api as documents_api
from qashyq.documents.api import (
    DLT_TYPE_WORDS,
    FORM_OF_STUDY,
    DocumentData,
    date_from_words,
    date_numeric,
    date_of_words,
    date_words,
    person_name,
)
from qashyq.organization import api as organization_api
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderItem

ORDER_TEMPLATE = "records/pdf/order.html"
EXTRACT_TEMPLATE = "records/pdf/extract.html"
LANGUAGES = ("kk", "ru")  # the languages of orders

DOCUMENT_KIND_ORDER = "records.order"
DOCUMENT_KIND_EXTRACT = "records.order_extract"
TARGET_ORDER = "records.order"
TARGET_ITEM = "records.orderitem"

PRINTED_STATUSES = (OrderStatus.SIGNED, OrderStatus.IN_FORCE, OrderStatus.CANCELLED)
DOWNLOAD_ROLES = frozenset({Role.ADMINISTRATION, Role.HEAD})

# --- Words of the official texts that depend on data (the sentences themselves are in the templates) ----

FUNDING = {
    "kk": {"state_grant": "мемлекеттік грант", "paid": "ақылы оқу", "employer": "жұмыс беруші есебінен"},
    "ru": {"state_grant": "государственный грант", "paid": "платное обучение", "employer": "за счёт работодателя"},
}
EXPULSION_REASON = {
    "kk": {
        "own_wish": "өз қалауы бойынша",
        "academic_failure": "академиялық үлгермегені үшін",
        "non_payment": "білім беру қызметтерін көрсету шартының талаптарын бұзғаны үшін",
        "discipline": "ішкі тәртіп қағидаларын бұзғаны үшін",
        "transfer_out": "басқа білім беру ұйымына ауысуына байланысты",
        "graduation": "оқуды аяқтауына байланысты",
        "other": "өзге негіздер бойынша",
    },
    "ru": {
        "own_wish": "по собственному желанию",
        "academic_failure": "за академическую неуспеваемость",
        "non_payment": "за нарушение условий договора об оказании образовательных услуг",
        "discipline": "за нарушение правил внутреннего распорядка",
        "transfer_out": "в связи с переводом в другую организацию образования",
        "graduation": "в связи с завершением обучения",
        "other": "по иным основаниям",
    },
}
# What an order does, in the public title of its document (a title never names a person).
KIND_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        OrderKind.ADMISSION: "оқуға қабылдау",
        OrderKind.TRANSFER: "ауыстыру",
        OrderKind.REINSTATEMENT: "қалпына келтіру",
        OrderKind.EXPULSION: "оқудан шығару",
        OrderKind.ACADEMIC_LEAVE: "академиялық демалыс",
        OrderKind.RETURN_FROM_LEAVE: "академиялық демалыстан шығу",
        OrderKind.DLT: "ҚБТ бойынша оқыту",
        OrderKind.CANCELLATION: "бұйрықтың күшін жою",
    },
    "ru": {
        OrderKind.ADMISSION: "зачисление",
        OrderKind.TRANSFER: "перевод",
        OrderKind.REINSTATEMENT: "восстановление",
        OrderKind.EXPULSION: "отчисление",
        OrderKind.ACADEMIC_LEAVE: "академический отпуск",
        OrderKind.RETURN_FROM_LEAVE: "выход из академического отпуска",
        OrderKind.DLT: "обучение по ДОТ",
        OrderKind.CANCELLATION: "отмена приказа",
    },
}
# The signer's position when the institution profile names none.
HEAD_POSITION = {"kk": "Басшы", "ru": "Руководитель"}


# --- The institution and the signer --------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    name_kk: str
    name_ru: str
    city_kk: str
    city_ru: str

    def name(self, language: str) -> str:
        return localized(self, "name", language)


def _city_kk(city: str) -> str:
    city = city.strip()
    if not city or city.endswith(("қ.", "қаласы", "ауылы", "кенті")):
        return city
    return f"{city} қ."


def _city_ru(city: str) -> str:
    city = city.strip()
    if not city or city.startswith(("г.", "город", "с.", "пос.")):
        return city
    return f"г. {city}"


def letterhead() -> Letterhead:
    """The institution as the letterhead prints it; placeholders until the profile is filled in."""
    institution = organization_api.institution_get()
    if institution is None:
        return Letterhead(
            name_kk="Білім беру ұйымының атауы", name_ru="Наименование организации образования", city_kk="", city_ru=""
        )
    return Letterhead(
        name_kk=institution.name_kk,
        name_ru=institution.name_ru or institution.name_kk,
        city_kk=_city_kk(institution.city_kk),
        city_ru=_city_ru(institution.city_ru or institution.city_kk),
    )


# --- Rows of the student list ----------------------------------------------------------------------


class _Codes:
    """Group and programme codes by id, each looked up once per document."""

    def __init__(self) -> None:
        self.groups: dict[int, str] = {}
        self.programmes: dict[int, str] = {}

    def group(self, group_id: Any) -> str:
        if group_id in (None, ""):
            return ""
        key = int(group_id)
        if key not in self.groups:
            group = academics_api.group_get(group_id=key)
            self.groups[key] = group.code if group is not None else ""
        return self.groups[key]

    def programme(self, programme_id: Any) -> str:
        if programme_id in (None, ""):
            return ""
        key = int(programme_id)
        if key not in self.programmes:
            programme = academics_api.programme_get(programme_id=key)
            self.programmes[key] = programme.code if programme is not None else ""
        return self.programmes[key]


def _moved(before: str, after: str) -> str:
    return f"{before} → {after}" if before and after and before != after else after or before


def _row(item: OrderItem, *, kind: str, language: str, codes: _Codes) -> dict[str, Any]:
    """One line of the list: the student's programme, group and form of study after the order (for a
    transfer "before → after"), funding, and what the kind adds (reason, end of leave, other institution)."""
    student = item.student
    changes = item.changes or {}
    # The record before the order: kept on the item once the order is in force, else the record as it is now.
    previous = item.before or {
        "group": student.group_id,
        "programme": student.programme_id,
        "form_of_study": student.form_of_study,
    }
    old_group = codes.group(previous.get("group"))
    old_programme = codes.programme(previous.get("programme"))
    old_form = FORM_OF_STUDY[language].get(previous.get("form_of_study") or "", "")
    places = "group" in changes
    new_group = changes.get("group_code") or codes.group(changes.get("group")) if places else ""
    new_programme = changes.get("programme_code") or codes.programme(changes.get("programme")) if places else ""
    new_form = FORM_OF_STUDY[language].get(changes.get("form_of_study", ""), "") if places else ""
    if kind == OrderKind.TRANSFER and places:
        group, programme, form = (
            _moved(old_group, new_group),
            _moved(old_programme, new_programme),
            _moved(old_form, new_form),
        )
    elif places:
        group, programme, form = new_group, new_programme, new_form
    else:
        group, programme, form = old_group, old_programme, old_form
    notes = []
    if changes.get("to_institution"):
        notes.append(
            f"{changes['to_institution']} ұйымына ауысады"
            if language == "kk"
            else f"переводится в {changes['to_institution']}"
        )
    if changes.get("from_institution"):
        notes.append(
            f"{changes['from_institution']} ұйымынан ауысады"
            if language == "kk"
            else f"переводится из {changes['from_institution']}"
        )
    if changes.get("dlt_type"):
        period = ""
        if changes.get("starts_on") and changes.get("ends_on"):
            start, end = date.fromisoformat(changes["starts_on"]), date.fromisoformat(changes["ends_on"])
            period = f", {date_numeric(start)}–{date_numeric(end)}"
        notes.append(f"{DLT_TYPE_WORDS[language].get(changes['dlt_type'], '')}{period}")
    if changes.get("until"):
        until = date.fromisoformat(changes["until"])
        notes.append(f"{date_numeric(until)} дейін" if language == "kk" else f"по {date_numeric(until)}")
    return {
        "position": item.position,
        "full_name": student.full_name,
        "programme": programme,
        "group": group,
        "form": form,
        "funding": FUNDING[language].get(student.funding, ""),
        "reason": EXPULSION_REASON[language].get(item.reason, "") if item.reason else "",
        "note": "; ".join(notes),
        "target_group": new_group,
    }


# --- Context shared by the order and its extracts --------------------------------------------------


def _order_date(order: Order) -> date:
    if order.order_date:
        return order.order_date
    if order.signed_at:
        return timezone.localdate(order.signed_at)
    return timezone.localdate()


def _require_signed(order: Order) -> None:
    if order.status not in PRINTED_STATUSES or not order.number_label:
        raise ValidationError(_("Only a signed order is issued as a document; this one is a draft."), code="draft")


def _context(*, order: Order, items: list[OrderItem], language: str) -> dict[str, Any]:
    codes = _Codes()
    rows = [_row(item, kind=order.kind, language=language, codes=codes) for item in items]
    head = letterhead()
    target_groups = {row["target_group"] for row in rows}
    cancelled = None
    if order.kind == OrderKind.CANCELLATION and order.cancels_id:
        target = Order.objects.get(pk=order.cancels_id)
        cancelled = {
            "number": target.number_label,
            "date": date_of_words(_order_date(target), language),
            "title": target.title_kk if language == "kk" else target.title_ru,
        }
    return {
        "letterhead": head,
        "order": {
            "kind": order.kind,
            "number": order.number_label,
            "date": date_numeric(_order_date(order)),
            "title": order.title_kk if language == "kk" else order.title_ru,
            "basis": order.basis_kk if language == "kk" else order.basis_ru,
            "effective_from": date_from_words(order.effective_date, language),
        },
        "rows": rows,
        # Everyone goes to one group: the sentence names it ("... ИС-26-1 тобына қабылдансын").
        "single_group": next(iter(target_groups)) if len(target_groups) == 1 else "",
        "show_reason": any(row["reason"] for row in rows),
        "show_note": any(row["note"] for row in rows),
        "cancelled": cancelled,
        "signer": {
            "position": HEAD_POSITION[language],
            "name": person_name(order.signed_by),
        },
    }


def _items(order: Order) -> list[OrderItem]:
    return list(order.items.select_related("student").order_by("position"))


def order_document_title(order: Order, language: str) -> str:
    """ "Бұйрық № 137-ОД (оқуға қабылдау)" / "Приказ № 137-ОД (зачисление)": public, names nobody."""
    words = KIND_WORDS[language].get(order.kind, "")
    base = f"Бұйрық № {order.number_label}" if language == "kk" else f"Приказ № {order.number_label}"
    return f"{base} ({words})" if words else base


def extract_document_title(order: Order, language: str) -> str:
    """ "№ 137-ОД бұйрықтан үзінді" / "Выписка из приказа № 137-ОД": public, names nobody."""
    if language == "kk":
        return f"№ {order.number_label} бұйрықтан үзінді"
    return f"Выписка из приказа № {order.number_label}"


# --- Use cases -------------------------------------------------------------------------------------


def order_documents_issue(*, order: Order, actor: Any) -> list[DocumentData]:
    """The signed order as two PDFs, in Kazakh and in Russian, each with its verification code."""
    _require_signed(order)
    items = _items(order)
    head = letterhead()
    issued_on = timezone.localdate()
    return [
        documents_api.document_issue(
            kind=DOCUMENT_KIND_ORDER,
            title=order_document_title(order, language),
            number=order.number_label,
            issued_on=issued_on,
            language=language,
            template_name=ORDER_TEMPLATE,
            context=_context(order=order, items=items, language=language),
            target=(TARGET_ORDER, str(order.pk)),
            issued_by=actor,
            issuer=head.name(language),
        )
        for language in LANGUAGES
    ]


def order_extract_issue(*, order_item: OrderItem, language: str, actor: Any) -> DocumentData:
    """An extract of the order for one student: the order's header and basis, that student's line only."""
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Orders are issued in Kazakh and in Russian only.")})
    order = order_item.order
    _require_signed(order)
    item = OrderItem.objects.select_related("student").get(pk=order_item.pk)
    context = _context(order=order, items=[item], language=language)
    today = timezone.localdate()
    context["extract"] = {"issued": date_words(today, language)}
    return documents_api.document_issue(
        kind=DOCUMENT_KIND_EXTRACT,
        title=extract_document_title(order, language),
        number=order.number_label,
        issued_on=today,
        language=language,
        template_name=EXTRACT_TEMPLATE,
        context=context,
        target=(TARGET_ITEM, str(item.pk)),
        issued_by=actor,
        issuer=letterhead().name(language),
    )


def order_extract_get_or_issue(*, order_item: OrderItem, language: str, actor: Any) -> DocumentData:
    """The student's extract in `language`: the one already issued (not revoked), else a new one."""
    for document in documents_api.documents_for(target=(TARGET_ITEM, str(order_item.pk))):
        if document.language == language:
            return document
    return order_extract_issue(order_item=order_item, language=language, actor=actor)


# --- Who may download (registered with documents in RecordsConfig.ready) ---------------------------


def _staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user_roles(user) & DOWNLOAD_ROLES)


def can_download_order_document(user: Any, target_id: str) -> bool:
    """An order's PDFs: the administration service and the head."""
    return _staff(user)


def can_download_extract(user: Any, target_id: str) -> bool:
    """An extract: the administration service and the head, and the student it is about."""
    if _staff(user):
        return True
    if not (user.is_authenticated and user.is_active) or not str(target_id).isdigit():
        return False
    return OrderItem.objects.filter(pk=int(target_id), student__user_id=user.pk).exists()
