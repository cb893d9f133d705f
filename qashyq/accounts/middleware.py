from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from qashyq.accounts.selectors import user_requires_mfa
from qashyq.accounts.sessions import roles_recall

_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
# Paths a user who must enrol a second factor can still reach.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz")


class UserPreferencesMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language in _LANGUAGES and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user.is_authenticated and user.language in _LANGUAGES:
            response.headers.setdefault("Content-Language", user.language)
        return response


class RequireMfaMiddleware:
    """Head, administration service and IT support (settings.QASHYQ_MFA_REQUIRED_ROLES) must enrol MFA first.
    The signed-in user's roles come from the session when current (accounts/sessions.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            roles_recall(request.session, user)
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and user_requires_mfa(user)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
