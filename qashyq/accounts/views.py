from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from qashyq.accounts import permissions, selectors, services
from qashyq.accounts.data import AuthedRequest, Role
from qashyq.accounts.forms import LanguageForm, PreferencesForm, RolesForm


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    for url in (candidate, request.headers.get("referer")):
        if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
            return url
    return "/"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: remembered in a cookie, and on the account when signed in."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        translation.activate(request.LANGUAGE_CODE)
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render(request, "error.html", {"status": 400, "title": _("Bad request"), "message": message}, status=400)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_preferences_update(user=request.user, language=language)
    translation.activate(language)
    response = HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"]))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
        samesite="Lax",
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.user_preferences_update(user=user, **form.cleaned_data)
            translation.activate(user.language)
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:preferences")
    else:
        form = PreferencesForm(
            initial={
                "language": user.language or request.LANGUAGE_CODE,
                "high_contrast": user.high_contrast,
                "large_text": user.large_text,
            }
        )
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_manage_roles(user=request.user):
        raise Http404
    search = request.GET.get("q", "").strip()[:100]
    users = selectors.user_list_with_roles(search=search)[:200]
    role_labels = dict(Role.choices)
    rows = [(u, [role_labels[g.name] for g in u.groups.all() if g.name in role_labels]) for u in users]
    return render(request, "accounts/user_list.html", {"rows": rows, "search": search})


@login_required
@require_http_methods(["GET", "POST"])
def user_roles(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = permissions.access_user_for_role_change(user=request.user, user_id=user_id)
    if request.method == "POST":
        form = RolesForm(request.POST)
        if form.is_valid():
            try:
                services.user_roles_set(
                    actor=request.user,
                    user=target,
                    roles=form.cleaned_data["roles"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Roles of %(name)s are saved.") % {"name": target.full_name})
                return redirect("accounts:user_list")
        status = 400
    else:
        form = RolesForm(initial={"roles": [r.value for r in selectors.user_roles(target)]})
        status = 200
    return render(request, "accounts/user_roles.html", {"form": form, "target": target}, status=status)


def lockout(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this once an account or address has too many failed sign-ins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed sign-in attempts for this account or from this address. "
        "Sign-in is refused for %(minutes)s minute; try again later or ask IT support.",
        "Too many failed sign-in attempts for this account or from this address. "
        "Sign-in is refused for %(minutes)s minutes; try again later or ask IT support.",
        minutes,
    ) % {"minutes": minutes}
    context = {"status": 429, "title": _("Sign-in locked"), "message": message, "back_url": reverse("account_login")}
    return render(request, "error.html", context, status=429)
