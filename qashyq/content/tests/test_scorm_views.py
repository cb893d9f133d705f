"""SCORM pages: the launch page (who may open it, the sandboxed frame), the package's files under a token
(forged, expired, another package, the sandbox header, no cookie, the injected runtime) and commits."""

import html
import json
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qashyq.content import scorm
from qashyq.content.models import Enrolment, Item, ItemProgress, ScormRuntime
from qashyq.content.services.scorm import scorm_commit
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff
from qashyq.content.tests.scorm import published_scorm_item

pytestmark = pytest.mark.django_db

SANDBOX_POLICY = "sandbox allow-scripts allow-forms allow-popups"


@pytest.fixture
def setup() -> tuple[Item, Any, Enrolment]:
    return published_scorm_item("scorm12")


def launch_url(item: Item) -> str:
    return reverse("content:scorm-launch", args=[item.pk])


def frame_src(response: Any) -> str:
    match = re.search(r'<iframe id="scorm-frame" src="([^"]+)" sandbox="([^"]+)"', response.content.decode())
    assert match, "no sandboxed frame on the page"
    assert match.group(2) == "allow-scripts allow-forms allow-popups"
    return html.unescape(match.group(1))


def files_url(item: Any, enrolment: Any, user_id: Any, path: str, **changes: Any) -> str:
    values: dict[str, Any] = {
        "item_id": item.pk,
        "package_id": item.scorm_package_id,
        "enrolment_id": enrolment.pk if enrolment else None,
        "user_id": user_id,
    }
    values.update(changes)
    token = scorm.launch_token(scorm.LaunchTicket(**values))
    return reverse("content:scorm-files", kwargs={"token": token, "path": path})


def runtime_config(body: bytes) -> dict[str, Any]:
    match = re.search(rb'data-qashyq-scorm="([^"]+)"', body)
    assert match
    config: dict[str, Any] = json.loads(html.unescape(match.group(1).decode()))
    return config


# --- The launch page ----------------------------------------------------------------------------------------------


def test_student_gets_the_sandboxed_frame(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    client.force_login(enrolment.student.user)
    response = client.get(launch_url(item))
    assert response.status_code == 200
    body = response.content.decode()
    assert "allow-same-origin" not in body
    src = frame_src(response)
    assert src.startswith("/content/scorm/")
    assert src.endswith("/index.html")
    assert f'title="{item.name_kk}"' in body
    assert 'id="scorm-preview"' not in body


def test_teacher_previews_the_draft_package(client: Client, setup: Any) -> None:
    item, teacher, _enrolment = setup
    client.force_login(teacher)
    response = client.get(launch_url(item))
    assert response.status_code == 200
    assert 'id="scorm-preview"' in response.content.decode()
    ticket = scorm.read_launch_token(frame_src(response).split("/")[3])
    assert ticket == scorm.LaunchTicket(item.pk, item.scorm_package_id, None, teacher.pk)


@pytest.mark.parametrize("who", ["outsider_student", "outsider_teacher", "anonymous"])
def test_others_cannot_open_it(client: Client, setup: Any, make_user: Any, who: str) -> None:
    item, _teacher, _enrolment = setup
    if who != "anonymous":
        client.force_login(make_user(who.split("_")[1]))
    response = client.get(launch_url(item))
    assert response.status_code == (302 if who == "anonymous" else 404)


def test_unpublished_and_other_kinds_are_404_for_students(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    client.force_login(enrolment.student.user)
    draft: Any = ItemFactory(section=item.section, kind="scorm", scorm_package=item.scorm_package)
    assert client.get(launch_url(draft)).status_code == 404
    assert client.get(reverse("content:scorm-launch", args=[999999])).status_code == 404


def test_closed_item_shows_why_and_no_frame(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    version = item.live_version
    version.data = {**version.data, "available_from": "2099-01-01T10:00:00+05:00"}
    version.save()
    client.force_login(enrolment.student.user)
    body = client.get(launch_url(item)).content.decode()
    assert 'id="scorm-locked"' in body
    assert "scorm-frame" not in body


def test_launch_page_shows_the_learners_status(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    ticket = scorm.CommitTicket(item.pk, item.scorm_package_id, enrolment.pk, 1, "1.2", 1, 0, "0|")
    scorm_commit(
        ticket=ticket,
        sequence=1,
        cmi={"core": {"lesson_status": "passed", "score": {"raw": "85", "min": "0", "max": "100"}}},
    )
    client.force_login(enrolment.student.user)
    body = client.get(launch_url(item)).content.decode()
    assert 'id="scorm-status"' in body
    assert re.search(r"85[.,]00\s*%", body)


# --- Files ----------------------------------------------------------------------------------------------------------


def test_launch_file_has_the_runtime_and_the_sandbox(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    user: Any = enrolment.student.user
    client.force_login(user)  # the session cookie goes with the frame's first request; it is ignored
    response = client.get(frame_src(client.get(launch_url(item))))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html"  # the page declares its charset itself
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["Cache-Control"] == "no-store"
    assert "X-Frame-Options" not in response
    assert not response.cookies
    body = response.content
    head = body.index(b"<head>")
    charset = body.index(b'<meta charset="utf-8">')
    library = body.index(b'<script src="/static/vendor/scorm12.min.js"></script>')
    runtime = body.index(b'<script src="/static/content/scorm-runtime.js" data-qashyq-scorm=')
    own = body.index(b'<script src="sco.js">')
    assert head < charset < library < runtime < own
    config = runtime_config(body)
    assert config["version"] == "1.2"
    assert config["preview"] is False
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    assert config["cmi"]["core"]["student_id"] == user.username
    assert config["cmi"]["core"]["student_name"] == f"{user.last_name}, {user.first_name}"
    commit = scorm.read_commit_token(config["commitUrl"].split("/")[3])
    assert commit == scorm.CommitTicket(item.pk, item.scorm_package_id, enrolment.pk, user.pk, "1.2", 1, 0, "0|")


def test_resume_state_is_in_the_launch_file(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    user: Any = enrolment.student.user
    first = scorm.CommitTicket(item.pk, item.scorm_package_id, enrolment.pk, user.pk, "1.2", 1, 0, "0|")
    scorm_commit(
        ticket=first,
        sequence=1,
        cmi={
            "suspend_data": "visits=1",
            "core": {
                "lesson_status": "incomplete",
                "lesson_location": "page-2",
                "session_time": "00:01:00",
                "exit": "suspend",
            },
        },
    )
    response = Client().get(files_url(item, enrolment, user.pk, "index.html"))
    config = runtime_config(response.content)
    assert config["cmi"]["suspend_data"] == "visits=1"
    assert config["cmi"]["core"]["lesson_location"] == "page-2"
    assert config["cmi"]["core"]["entry"] == "resume"
    assert config["cmi"]["core"]["total_time"] == "0000:01:00"
    commit = scorm.read_commit_token(config["commitUrl"].split("/")[3])
    assert commit is not None
    assert (commit.session, commit.base_seconds, commit.progress) == (2, 60, "0|")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("sco.js", "text/javascript"), ("style.css", "text/css"), ("imsmanifest.xml", "application/xml")],
)
def test_other_files_are_served_with_their_types(client: Client, setup: Any, path: str, content_type: str) -> None:
    item, _teacher, enrolment = setup
    response = client.get(files_url(item, enrolment, enrolment.student.user_id, path))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert b"data-qashyq-scorm" not in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert not response.cookies


def test_forged_token_is_refused(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    url = files_url(item, enrolment, enrolment.student.user_id, "index.html")
    token = url.split("/")[3]
    forged = url.replace(token, token[:-3] + ("xyz" if not token.endswith("xyz") else "abc"))
    response = client.get(forged)
    assert response.status_code == 403
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert not response.cookies
    assert client.get("/content/scorm/nothing/index.html").status_code == 403


def test_expired_token_is_refused(client: Client, setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    item, _teacher, enrolment = setup
    past = time.time() - scorm.TOKEN_MAX_AGE - 60
    monkeypatch.setattr(time, "time", lambda: past)
    url = files_url(item, enrolment, enrolment.student.user_id, "index.html")
    monkeypatch.undo()
    assert client.get(url).status_code == 403


def test_a_token_opens_only_its_own_package(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    other, _t, _e = published_scorm_item("scorm2004", period=item.course.period)
    # The 2004 package's launch file does not exist in the 1.2 package the token names.
    assert client.get(files_url(item, enrolment, 1, "content/index.html")).status_code == 404
    assert client.get(files_url(other, None, 1, "content/index.html")).status_code == 200


@pytest.mark.parametrize("path", ["missing.html", "../1/index.html", "a/../index.html", "./index.html", "dir//x"])
def test_paths_outside_the_package_are_404(client: Client, setup: Any, path: str) -> None:
    item, _teacher, enrolment = setup
    token = files_url(item, enrolment, 1, "index.html").split("/")[3]
    response = client.get(f"/content/scorm/{token}/{path}")
    assert response.status_code == 404
    assert not response.cookies


def test_preview_file_runs_without_storing(client: Client, setup: Any) -> None:
    item, teacher, _enrolment = setup
    config = runtime_config(client.get(files_url(item, None, teacher.pk, "index.html")).content)
    assert config["preview"] is True
    body = json.dumps({"cmi": {"core": {"lesson_status": "passed"}}, "commitSequence": 1})
    response = client.post(config["commitUrl"], body, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200
    assert response.json() == {"result": "true", "errorCode": 0, "progress": "0|"}
    assert not ScormRuntime.objects.exists()


# --- Commits --------------------------------------------------------------------------------------------------------


def commit_url(item: Any, enrolment: Any, **changes: Any) -> str:
    values: dict[str, Any] = {
        "item_id": item.pk,
        "package_id": item.scorm_package_id,
        "enrolment_id": enrolment.pk,
        "user_id": enrolment.student.user_id,
        "version": "1.2",
        "session": 1,
        "base_seconds": 0,
        "progress": "0|",
    }
    values.update(changes)
    return reverse("content:scorm-commit", kwargs={"token": scorm.commit_token(scorm.CommitTicket(**values))})


def post(client: Client, url: str, payload: object) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="text/plain;charset=UTF-8", HTTP_ORIGIN="null")


PASSED = {
    "cmi": {
        "suspend_data": "v=1",
        "core": {"lesson_status": "passed", "score": {"raw": "85", "min": "0", "max": "100"}},
    }
}


def test_commit_is_stored_and_answered_for_scorm_again(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    response = post(client, commit_url(item, enrolment), {**PASSED, "commitSequence": 1})
    assert response.status_code == 200
    assert response.json() == {"result": "true", "errorCode": 0, "progress": "1|85.00"}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert ScormRuntime.objects.get().completion_status == "passed"
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score) == ("completed", Decimal("85.00"))
    # The same commit again (a retry): accepted, nothing changes.
    before = ScormRuntime.objects.values().get()
    assert post(client, commit_url(item, enrolment), {**PASSED, "commitSequence": 1}).status_code == 200
    assert ScormRuntime.objects.values().get() == before


def test_preflight_is_answered(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    response = client.options(
        commit_url(item, enrolment),
        HTTP_ORIGIN="null",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"] == "Content-Type"


def test_commit_with_a_forged_token_is_refused(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    url = commit_url(item, enrolment)
    forged = url.replace("/commit/", "x/commit/")
    files_token = files_url(item, enrolment, 1, "index.html").split("/")[3]
    for target in (forged, f"/content/scorm/{files_token}/commit/"):
        response = post(client, target, {**PASSED, "commitSequence": 1})
        assert response.status_code == 403
        assert response.json()["result"] == "false"
    assert not ScormRuntime.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        {"cmi": PASSED["cmi"]},
        {"cmi": PASSED["cmi"], "commitSequence": "1"},
        {"cmi": PASSED["cmi"], "commitSequence": True},
        {"cmi": {"core": {"lesson_status": "done"}}, "commitSequence": 1},
        {"commitSequence": 1},
    ],
)
def test_malformed_commit_is_400_and_stores_nothing(client: Client, setup: Any, payload: object) -> None:
    item, _teacher, enrolment = setup
    response = post(client, commit_url(item, enrolment), payload)
    assert response.status_code == 400
    assert response.json() == {"result": "false", "errorCode": 101}
    assert not ScormRuntime.objects.exists()


def test_commit_only_accepts_post(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    assert client.get(commit_url(item, enrolment)).status_code == 405


def test_staff_preview_link_of_a_teacher_of_another_course_is_404(client: Client, setup: Any, make_user: Any) -> None:
    item, _teacher, _enrolment = setup
    other = make_user("teacher")
    course: Any = CourseFactory(period=item.course.period)
    add_staff(course, other)
    client.force_login(other)
    assert client.get(launch_url(item)).status_code == 404


def test_heartbeat_commit_is_one_upsert(client: Client, setup: Any, django_assert_num_queries: Any) -> None:
    item, _teacher, enrolment = setup
    url = commit_url(item, enrolment)
    first = post(
        client, url, {"cmi": {"suspend_data": "v=1", "core": {"lesson_status": "incomplete"}}, "commitSequence": 1}
    )
    progress = first.json()["progress"]
    assert progress == "0|"
    # No session, no user, no cookie: the transaction (savepoint in a test) and the upsert.
    with django_assert_num_queries(3):
        answer = post(
            client,
            url,
            {
                "cmi": {"suspend_data": "v=2", "core": {"lesson_status": "incomplete"}},
                "commitSequence": 2,
                "progress": progress,
            },
        )
    assert answer.json() == {"result": "true", "errorCode": 0, "progress": "0|"}
    assert ScormRuntime.objects.get().suspend_data == "v=2"


def test_a_progress_that_is_not_text_is_ignored(client: Client, setup: Any) -> None:
    item, _teacher, enrolment = setup
    response = post(client, commit_url(item, enrolment), {**PASSED, "commitSequence": 3, "progress": ["1|85.00"]})
    assert response.status_code == 200
    assert ItemProgress.objects.get().status == "completed"


def test_launch_file_costs_three_queries(client: Client, setup: Any, django_assert_num_queries: Any) -> None:
    item, _teacher, enrolment = setup
    url = files_url(item, enrolment, enrolment.student.user_id, "index.html")
    # The package, the learner's stored runtime, the learner's name.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(url.replace("index.html", "sco.js")).status_code == 200
