from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from qashyq.accounts.api import AuthedRequest, Role, access_dashboard, user_roles
from qashyq.portal import selectors
from qashyq.portal.navigation import DASHBOARD_CARDS, DASHBOARD_LABELS


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    role = selectors.landing_role(user_roles(request.user))
    if role is None:
        return render(request, "portal/no_role.html")
    return redirect("portal:dashboard", role=role.value)


@login_required
def dashboard(request: AuthedRequest, role: str) -> HttpResponse:
    if role not in Role.values:
        raise Http404
    granted = access_dashboard(user=request.user, role=Role(role))
    context = {
        "role": granted,
        "title": DASHBOARD_LABELS[granted],
        "cards": DASHBOARD_CARDS[granted],
        **selectors.dashboard_context(role=granted, user=request.user),
    }
    return render(request, "portal/dashboard.html", context)
