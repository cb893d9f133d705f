"""A student's extract of a signed order, in Kazakh or in Russian: issued once, then the same PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from qashyq.accounts.api import AuthedRequest
from qashyq.records import permissions, printing
from qashyq.records.models import OrderItem


@login_required
@require_GET
def order_extract(request: AuthedRequest, order_id: int, item_id: int, lang: str) -> HttpResponse:
    """The administration service and the head: the extract for one student of a signed order (issued on
    first request, the same document afterwards), sent on to its download."""
    order = permissions.access_order(user=request.user, order_id=order_id)
    item = OrderItem.objects.filter(pk=item_id, order=order).select_related("order").first()
    if item is None or lang not in printing.LANGUAGES or order.status not in printing.PRINTED_STATUSES:
        raise Http404
    document = printing.order_extract_get_or_issue(order_item=item, language=lang, actor=request.user)
    return redirect(document.url)
