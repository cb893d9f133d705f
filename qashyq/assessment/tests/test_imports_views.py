"""Import pages (upload → preview → save; nothing saved before, nothing while a problem remains) and export."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from qashyq.assessment.models import ImportJob, Question
from qashyq.assessment.tests.helpers import exam_world
from qashyq.assessment.tests.test_imports_services import KAZAKH_BAD, KAZAKH_GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def upload(name: str, text: str) -> io.BytesIO:
    file = io.BytesIO(text.encode())
    file.name = name
    return file


def test_import_flow(client, world):
    client.force_login(world.teacher)
    url = reverse("assessment:import-upload", args=[world.bank.pk])
    assert client.get(url).status_code == 200
    count = Question.objects.count()
    response = client.post(url, {"file": upload("bad.txt", KAZAKH_BAD), "fmt": "auto", "difficulty_tags": "on"})
    assert response.status_code == 302
    bad = client.get(response["Location"])
    assert bad.status_code == 200
    assert not bad.context["preview"].ok
    page = bad.content.decode()
    assert 'id="confirm"' not in page
    assert 'id="problems"' in page
    assert "bad.txt" in page
    assert [row["line"] for row in bad.context["rows"]] == [1, 5, 8]
    # saving anyway is refused, nothing saved
    refused = client.post(response["Location"])
    assert refused.status_code == 400
    assert Question.objects.count() == count
    response = client.post(url, {"file": upload("good.txt", KAZAKH_GOOD), "fmt": "kazakh", "category": "Midterm"})
    preview = client.get(response["Location"])
    assert preview.context["preview"].ok
    assert 'id="confirm"' in preview.content.decode()
    assert [row["difficulty"] for row in preview.context["rows"]] == [1, 1, 1]  # difficulty tags unticked
    assert preview.context["rows"][0]["options"][0] == ("Астана", True)
    assert Question.objects.count() == count
    saved = client.post(response["Location"])
    assert saved.status_code == 302
    assert saved["Location"] == reverse("assessment:bank-detail", args=[world.bank.pk])
    assert Question.objects.count() == count + 3
    assert Question.objects.filter(category__path="Midterm").count() == 3
    assert client.get(response["Location"]).status_code == 404  # the token is used up


def test_upload_refusals(client, world):
    client.force_login(world.teacher)
    url = reverse("assessment:import-upload", args=[world.bank.pk])
    assert client.post(url, {"fmt": "auto"}).status_code == 400
    response = client.post(url, {"file": upload("x.pdf", "%PDF-1.4"), "fmt": "auto"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert client.post(url, {"file": upload("x.txt", "x"), "fmt": "drawing"}).status_code == 400
    assert not ImportJob.objects.exists()


def test_preview_rights(client, world, enrol_totp):
    client.force_login(world.teacher)
    response = client.post(
        reverse("assessment:import-upload", args=[world.bank.pk]), {"file": upload("g.txt", KAZAKH_GOOD)}
    )
    preview_url = response["Location"]
    client.force_login(world.tutor)
    assert client.get(preview_url).status_code == 403
    assert client.post(preview_url).status_code == 403
    client.force_login(world.outsider_teacher)
    assert client.get(preview_url).status_code == 404
    client.force_login(world.didactics)
    assert client.get(preview_url).status_code == 200
    assert client.get(reverse("assessment:import-preview", args=[world.bank.pk, "nope"])).status_code == 404
    assert Question.objects.count() == 9


def test_preview_is_in_kazakh(client, world):
    client.force_login(world.teacher)
    response = client.post(
        reverse("assessment:import-upload", args=[world.bank.pk]), {"file": upload("g.txt", KAZAKH_BAD)}
    )
    page = client.get(response["Location"]).content.decode()
    with translation.override("kk"):
        assert gettext("Check the questions before saving") in page


@pytest.mark.parametrize(("fmt", "content_type"), [("moodle_xml", "application/xml"), ("qti", "application/zip")])
def test_export_downloads(client, world, fmt, content_type):
    client.force_login(world.tutor)  # whoever reads the bank may export it
    response = client.get(reverse("assessment:bank-export", args=[world.bank.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment")


def test_export_gift_warns_first(client, world):
    client.force_login(world.teacher)
    url = reverse("assessment:bank-export", args=[world.bank.pk, "gift"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["warnings"]
    assert 'id="download"' in response.content.decode()
    response = client.get(url, {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    assert b"$CATEGORY: $course$/top/Algorithms" in response.content
    world.questions["ordering"].delete()
    world.questions["cloze"].delete()
    world.questions["matching"].delete()
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")  # nothing to warn about: straight download


def test_export_rights_and_formats(client, world):
    client.force_login(world.outsider_teacher)
    assert client.get(reverse("assessment:bank-export", args=[world.bank.pk, "qti"])).status_code == 404
    client.force_login(world.teacher)
    assert client.get(reverse("assessment:bank-export", args=[world.bank.pk, "kazakh"])).status_code == 404
