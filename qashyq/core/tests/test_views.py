import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
class TestProbes:
    def test_healthz(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {"database": True}}
        assert "no-cache" in response.headers["Cache-Control"]

    def test_readyz(self, client):
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": True, "migrations": True, "cache": True, "channel_layer": True},
        }

    def test_readyz_fails_when_the_cache_is_down(self, client):
        with mock.patch("qashyq.core.views.cache.set", side_effect=ConnectionError("down")):
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] is False

    def test_readyz_fails_with_unapplied_migrations(self, client):
        with mock.patch("qashyq.core.views.MigrationExecutor") as executor:
            executor.return_value.migration_plan.return_value = ["0002_pending"]
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["migrations"] is False

    def test_probes_take_get_only(self, client):
        assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
class TestErrorPages:
    def test_404_is_translated(self, client):
        response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 404
        assert '<html lang="ru"' in response.content.decode()

    def test_huge_body_gets_400_and_changes_nothing(self, client, make_user):
        user = make_user()
        client.force_login(user)
        body = "x=" + "a" * (3 * 1024 * 1024)
        response = client.post(reverse("accounts:preferences"), body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400
        assert "Traceback" not in response.content.decode()
        user.refresh_from_db()
        assert user.language == ""

    def test_forged_csrf_token_gets_403_and_changes_nothing(self, make_user):
        user = make_user()
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.post(
            reverse("accounts:preferences"),
            {"language": "ru", "high_contrast": "on", "csrfmiddlewaretoken": "forged" * 8},
        )
        assert response.status_code == 403
        assert "CSRF" in response.content.decode()
        user.refresh_from_db()
        assert (user.language, user.high_contrast) == ("", False)

    def test_500_page_renders_without_a_request_context(self, rf):
        from qashyq.core.views import server_error

        response = server_error(rf.get("/"))
        assert response.status_code == 500
        assert b"Qashyq" in response.content


def _run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unwanted = ("QASHYQ_TESTING", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestProductionSettings:
    def test_refuses_to_start_without_a_secret_key(self):
        result = _run_settings({"QASHYQ_ENV": "production", "DATABASE_URL": "postgres://u@127.0.0.1/x"}, "check")
        assert result.returncode != 0
        assert "needs SECRET_KEY" in result.stderr

    def test_refuses_to_start_on_sqlite(self):
        result = _run_settings({"QASHYQ_ENV": "production", "SECRET_KEY": "k" * 60}, "check")
        assert result.returncode != 0
        assert "not SQLite" in result.stderr

    def test_check_deploy_reports_nothing(self):
        result = _run_settings(
            {
                "QASHYQ_ENV": "production",
                "SECRET_KEY": "production-secret-" + "x7Q#" * 16,
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
                "ALLOWED_HOSTS": "qashyq.example.kz",
            },
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout


@pytest.mark.django_db
def test_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_or_event_handlers():
    import re

    offenders = []
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("qashyq/*/templates/**/*.html")]:
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []
