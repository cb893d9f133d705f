"""Health probes and the error pages every request can end on."""

import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("database check failed")
        return False


def _migrations_ok() -> bool:
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


def _cache_ok() -> bool:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=5)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception:  # any backend error means "not ready"
        logger.exception("cache check failed")
        return False


def _channel_layer_ok() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "readyz.ping"})
        message = await layer.receive(channel)
        return message.get("type") == "readyz.ping"

    try:
        return async_to_sync(round_trip)()
    except Exception:
        logger.exception("channel layer check failed")
        return False


def _probe_response(checks: dict[str, bool]) -> JsonResponse:
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return _probe_response({"database": _database_ok()})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    return _probe_response(
        {
            "database": _database_ok(),
            "migrations": _migrations_ok(),
            "cache": _cache_ok(),
            "channel_layer": _channel_layer_ok(),
        }
    )


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood: it may be too large or malformed. Nothing was changed."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, _("Access denied"), _("You do not have permission to open this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, _("Page not found"), _("There is no such page, or it is not available to you."))


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context (no context processors): whatever broke must not break the error page too.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "The security check of this form failed (its CSRF token is missing or wrong). "
            "Reload the page and send the form again. Nothing was changed."
        ),
    )
