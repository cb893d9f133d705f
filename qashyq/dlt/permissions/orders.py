"""Who may see and do what with DLT orders (rules 12, 13). Orders are internal papers: the administration
service builds them, the head signs them, both see them; anyone else gets 404 ("not yours" and "does not
exist" alike)."""

from typing import Any

from django.http import Http404

from qashyq.dlt.permissions import is_administration, is_head, sees_everything
from qashyq.records import api as records_api
from qashyq.records.api import OrderData, OrderKind


def can_list_orders(*, user: Any) -> bool:
    """The list and pages of DLT orders: the administration service and the head."""
    return sees_everything(user)


def can_prepare_orders(*, user: Any) -> bool:
    """Build a draft from accepted applications, add and take out students, issue the attachments: the
    administration service."""
    return is_administration(user)


def can_sign_orders(*, user: Any) -> bool:
    """Sign a DLT order: the head only (rule 12)."""
    return is_head(user)


def access_order(*, user: Any, order_id: int) -> OrderData:
    """A DLT order (as records' api gives it, with who prepared and signed it), for the administration service and the
    head; 404 for anyone else, for an order of another kind and for one that does not exist."""
    if not can_list_orders(user=user):
        raise Http404
    order = records_api.order_detail(order_id=order_id, kind=OrderKind.DLT)
    if order is None:
        raise Http404
    return order
