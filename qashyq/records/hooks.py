"""Order kinds that an app above records manages (the DLT order of rules 12–14).

Records keeps the machinery every order shares (numbering, signature, documents, coming into force,
cancellation); the managing app registers, in its AppConfig.ready, what records must ask it at those
moments, the way documents' access checks are registered. A hook that refuses raises ValidationError:
`before_sign` refuses the signature (nothing is numbered or issued), `on_sign` records what signing means to the
app (it may still refuse: the signature rolls back), `on_apply` keeps the order signed
and not yet in force (it is logged and tried again by `orders_apply_due`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from qashyq.records.data import OrderData, OrderItemData

OrderHook = Callable[[OrderData, list[OrderItemData]], None]


@dataclass(frozen=True)
class OrderKindHooks:
    before_sign: OrderHook | None = None  # in the signing transaction, after records' own checks
    on_sign: OrderHook | None = None  # in the signing transaction, once the order is numbered and issued
    on_apply: OrderHook | None = None  # in the transaction that brings the order into force
    on_cancel: OrderHook | None = None  # in the transaction that applies a cancellation of such an order
    manage_url: Callable[[int], str] | None = None  # the page where orders of this kind are built and signed


_HOOKS: dict[str, OrderKindHooks] = {}


def register_order_kind(kind: str, hooks: OrderKindHooks) -> None:
    _HOOKS[kind] = hooks


def hooks_for(kind: str) -> OrderKindHooks:
    return _HOOKS.get(kind, OrderKindHooks())
