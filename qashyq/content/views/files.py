"""Downloading a stored file after the access check."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content.permissions.files import access_asset
from qashyq.content.storage import asset_response


@login_required
@require_safe
def asset(request: AuthedRequest, asset_id: UUID) -> HttpResponse:
    """The file, inline when the browser can show it; `?download=1` asks for an attachment."""
    found = access_asset(user=request.user, asset_id=asset_id)
    return asset_response(request=request, asset=found, download=request.GET.get("download") == "1")
