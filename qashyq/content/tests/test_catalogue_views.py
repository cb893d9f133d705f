"""Catalogue pages: status codes per role, filters, a fixed number of queries, creating and editing (with a file)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qashyq.academics.tests.factories import DisciplineFactory
from qashyq.content.models import Asset, DidacticResource
from qashyq.content.tests.catalogue_helpers import (
    catalogue_defaults,  # noqa: F401 (autouse)
    events,
    make_resource,
)
from qashyq.content.tests.test_catalogue_services import PDF

LIST = reverse("content:resource-list")
CREATE = reverse("content:resource-create")
READERS = ("didactics", "teacher", "tutor", "administration", "head")
OTHERS = ("student", "it_support")
MFA = ("administration", "head", "it_support")


def detail(resource):
    return reverse("content:resource-detail", kwargs={"resource_id": resource.pk})


def edit(resource):
    return reverse("content:resource-edit", kwargs={"resource_id": resource.pk})


@pytest.fixture
def world(db, make_user, enrol_totp):
    people = {role: make_user(role) for role in (*READERS, *OTHERS)}
    for role in MFA:
        enrol_totp(people[role])
    informatics = DisciplineFactory(code="INF101", name_kk="Информатика")
    maths = DisciplineFactory(code="MAT102", name_kk="Математика")
    textbook = make_resource(
        disciplines=(informatics,),
        name_kk="Информатика оқулығы",
        name_ru="Учебник информатики",
        authors="Сейітова А.",
        year=2024,
    )
    disc = make_resource(
        disciplines=(maths,),
        name_kk="Математика бейнекурсы",
        kind="multimedia_course",
        origin="acquired",
        media="dvd",
        status="in_development",
        url="",
        year=2020,
    )
    return {"people": people, "informatics": informatics, "maths": maths, "textbook": textbook, "disc": disc}


def as_(client, world, role):
    client.force_login(world["people"][role])
    return client


def form_data(**changes):
    data = {
        "name_kk": "Алгоритмдер",
        "name_ru": "Алгоритмы",
        "name_en": "",
        "kind": "methodological_aid",
        "origin": "developed",
        "medium": "network",
        "status": "in_use",
        "authors": "Жұмабаев А.",
        "year": "2026",
        "url": "https://library.example.kz/algo",
        "description": "Әдістемелік нұсқау",
    }
    data.update(changes)
    return data


class TestList:
    def test_anonymous_is_sent_to_sign_in(self, client, world):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    @pytest.mark.parametrize("role", READERS)
    def test_readers(self, client, world, role):
        response = as_(client, world, role).get(LIST)
        assert response.status_code == 200
        page = response.content.decode()
        assert detail(world["textbook"]) in page
        assert detail(world["disc"]) in page
        assert (CREATE in page) is (role == "didactics")

    @pytest.mark.parametrize("role", OTHERS)
    def test_others_get_404(self, client, world, role):
        assert as_(client, world, role).get(LIST).status_code == 404
        assert as_(client, world, role).get(detail(world["textbook"])).status_code == 404

    @pytest.mark.parametrize(
        ("params", "found"),
        [
            ({}, {"textbook", "disc"}),
            ({"kind": "multimedia_course"}, {"disc"}),
            ({"origin": "developed"}, {"textbook"}),
            ({"medium": "network"}, {"textbook"}),
            ({"status": "in_development"}, {"disc"}),
            ({"discipline": "informatics"}, {"textbook"}),
            ({"q": "оқулығы"}, {"textbook"}),
            ({"q": "ИНФОРМАТИКА"}, {"textbook"}),
            ({"q": "учебник"}, {"textbook"}),
            ({"q": "сейітова"}, {"textbook"}),
            ({"q": "бейнекурсы математика"}, {"disc"}),
            ({"q": "химия"}, set()),
            ({"kind": "e_textbook", "status": "in_development"}, set()),
        ],
    )
    def test_filters(self, client, world, params, found):
        if params.get("discipline"):
            params = {**params, "discipline": world[params["discipline"]].pk}
        page = as_(client, world, "teacher").get(LIST, params).content.decode()
        assert {key for key in ("textbook", "disc") if detail(world[key]) in page} == found

    def test_bad_filters_get_400(self, client, world):
        response = as_(client, world, "teacher").get(LIST, {"kind": "novel", "discipline": "x"})
        assert response.status_code == 400
        assert 'id="id_kind_error"' in response.content.decode()

    def test_queries_do_not_grow_with_resources(self, client, world, django_assert_num_queries):
        client = as_(client, world, "teacher")
        client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(LIST).context["page"].object_list) == 2
        count = len(few.captured_queries)
        for n in range(30):
            make_resource(disciplines=(world["informatics"], world["maths"]), name_kk=f"Құрал {n}", year=2000 + n)
        with django_assert_num_queries(count):
            assert len(client.get(LIST).context["page"].object_list) == 32
        with django_assert_num_queries(count):
            client.get(LIST, {"q": "құрал", "discipline": world["maths"].pk})
        assert count <= 9

    def test_pages_of_fifty(self, client, world):
        for n in range(50):
            make_resource(name_kk=f"Құрал {n}")
        client = as_(client, world, "didactics")
        assert len(client.get(LIST).context["page"].object_list) == 50
        assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 2


class TestDetail:
    @pytest.mark.parametrize("role", READERS)
    def test_readers(self, client, world, role):
        response = as_(client, world, role).get(detail(world["textbook"]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Информатика оқулығы" in page
        assert "INF101" in page
        assert (edit(world["textbook"]) in page) is (role == "didactics")

    def test_missing_is_404(self, client, world):
        assert as_(client, world, "didactics").get("/content/catalogue/999999/").status_code == 404


class TestCreate:
    @pytest.mark.parametrize("role", [r for r in (*READERS, *OTHERS) if r != "didactics"])
    def test_only_the_didactic_means_service(self, client, world, role):
        client = as_(client, world, role)
        assert client.get(CREATE).status_code == 404
        assert client.post(CREATE, form_data()).status_code == 404
        assert DidacticResource.objects.count() == 2

    def test_create(self, client, world):
        client = as_(client, world, "didactics")
        response = client.get(CREATE)
        assert response.status_code == 200
        page = response.content.decode()
        for field in ("name_kk", "name_ru", "name_en", "kind", "origin", "medium", "status", "disciplines", "file"):
            assert f'id="id_{field}"' in page
        response = client.post(CREATE, form_data(disciplines=[world["informatics"].pk, world["maths"].pk], year="2026"))
        resource = DidacticResource.objects.get(name_kk="Алгоритмдер")
        assert response.status_code == 302
        assert response.url == detail(resource)
        assert (resource.kind, resource.media, resource.year, resource.created_by) == (
            "methodological_aid",
            "network",
            2026,
            world["people"]["didactics"],
        )
        assert set(resource.disciplines.all()) == {world["informatics"], world["maths"]}
        assert len(events("content.resource_created", resource)) == 1

    def test_bad_input_gets_400_and_changes_nothing(self, client, world):
        client = as_(client, world, "didactics")
        response = client.post(CREATE, form_data(name_kk="", url="", kind="novel"))
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="id_name_kk_error"' in page
        assert 'id="id_kind_error"' in page
        # What only the service knows is put on the field too.
        response = client.post(CREATE, form_data(url=""))
        assert response.status_code == 400
        assert 'id="id_url_error"' in response.content.decode()
        assert DidacticResource.objects.count() == 2

    def test_with_a_file_that_readers_download(self, client, world):
        client = as_(client, world, "didactics")
        upload = SimpleUploadedFile("Алгоритмдер.pdf", PDF, content_type="application/pdf")
        response = client.post(CREATE, {**form_data(url=""), "file": upload})
        assert response.status_code == 302
        resource = DidacticResource.objects.get(name_kk="Алгоритмдер")
        asset_url = reverse("content:asset", kwargs={"asset_id": resource.asset_id})
        assert asset_url in client.get(detail(resource)).content.decode()
        download = as_(client, world, "teacher").get(asset_url, {"download": "1"})
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert as_(client, world, "student").get(asset_url).status_code == 404

    def test_a_refused_file_is_named_and_nothing_is_stored(self, client, world):
        client = as_(client, world, "didactics")
        upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 300)
        response = client.post(CREATE, {**form_data(), "file": upload})
        assert response.status_code == 400
        assert "virus.pdf" in response.content.decode()
        assert DidacticResource.objects.count() == 2
        assert not Asset.objects.exists()


class TestEdit:
    def test_edit(self, client, world):
        client = as_(client, world, "didactics")
        textbook = world["textbook"]
        response = client.get(edit(textbook))
        assert response.status_code == 200
        assert response.context["form"].initial["disciplines"] == [world["informatics"].pk]
        response = client.post(edit(textbook), form_data(name_kk="Информатика оқулығы", status="in_development"))
        assert response.status_code == 302
        textbook.refresh_from_db()
        assert (textbook.status, textbook.name_ru, list(textbook.disciplines.all())) == (
            "in_development",
            "Алгоритмы",
            [],
        )
        assert len(events("content.resource_updated", textbook)) == 1

    @pytest.mark.parametrize("role", ["teacher", "head", "student"])
    def test_others_get_404(self, client, world, role):
        client = as_(client, world, role)
        assert client.get(edit(world["textbook"])).status_code == 404
        assert client.post(edit(world["textbook"]), form_data()).status_code == 404
        world["textbook"].refresh_from_db()
        assert world["textbook"].name_kk == "Информатика оқулығы"

    def test_bad_input_gets_400(self, client, world):
        client = as_(client, world, "didactics")
        response = client.post(edit(world["textbook"]), form_data(year="1700"))
        assert response.status_code == 400
        world["textbook"].refresh_from_db()
        assert world["textbook"].year == 2024
