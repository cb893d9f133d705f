import pytest
from django.urls import reverse

from qashyq.academics.tests.factories import ProgrammeFactory, StudyGroupFactory
from qashyq.accounts.data import Role

PROGRAMMES = "/api/v1/programmes/"
GROUPS = "/api/v1/groups/"


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("url", [PROGRAMMES, GROUPS])
    def test_anonymous_gets_403(self, client, url):
        assert client.get(url).status_code == 403

    def test_anonymous_gets_403_on_detail(self, client):
        programme = ProgrammeFactory()
        group = StudyGroupFactory(programme=programme)
        assert client.get(f"{PROGRAMMES}{programme.pk}/").status_code == 403
        assert client.get(f"{GROUPS}{group.pk}/").status_code == 403

    @pytest.mark.parametrize("url", [PROGRAMMES, GROUPS])
    def test_it_support_gets_403(self, client, signed_in, url):
        signed_in(Role.IT_SUPPORT)
        assert client.get(url).status_code == 403

    def test_read_only(self, client, signed_in):
        signed_in(Role.ADMINISTRATION)
        assert client.post(PROGRAMMES, {"code": "6B06101"}).status_code == 405
        programme = ProgrammeFactory()
        assert client.delete(f"{PROGRAMMES}{programme.pk}/").status_code == 405


@pytest.mark.django_db
class TestProgrammes:
    def test_list_and_detail(self, client, signed_in):
        signed_in(Role.TEACHER)
        programme = ProgrammeFactory(
            code="6B06101",
            name_kk="Ақпараттық жүйелер",
            name_ru="Информационные системы",
            name_en="Information systems",
            shortened=True,
            shortened_basis="tvet",
        )
        ProgrammeFactory(code="6B06102")
        response = client.get(PROGRAMMES)
        assert response.status_code == 200
        body = response.json()
        assert [p["code"] for p in body["results"]] == ["6B06101", "6B06102"]
        expected = {
            "id": programme.pk,
            "code": "6B06101",
            "name_kk": "Ақпараттық жүйелер",
            "name_ru": "Информационные системы",
            "name_en": "Information systems",
            "level": "bachelor",
            "forms_offered": ["full_time", "part_time"],
            "languages": ["kk", "ru"],
            "periods": 8,
            "shortened": True,
            "shortened_basis": "tvet",
        }
        assert body["results"][0] == expected
        assert client.get(f"{PROGRAMMES}{programme.pk}/").json() == expected
        assert client.get(f"{PROGRAMMES}{programme.pk + 100}/").status_code == 404

    def test_filters(self, client, signed_in):
        signed_in(Role.STUDENT)
        ProgrammeFactory(code="6B06101", forms_offered=["full_time"], languages=["kk"])
        ProgrammeFactory(code="6B06102", forms_offered=["part_time"], languages=["ru", "en"])
        ProgrammeFactory(code="7M06101", level="master", forms_offered=["full_time"], languages=["en"])

        def codes(**params):
            return [p["code"] for p in client.get(PROGRAMMES, params).json()["results"]]

        assert codes(level="master") == ["7M06101"]
        assert codes(form="full_time") == ["6B06101", "7M06101"]
        assert codes(form="part_time", level="bachelor") == ["6B06102"]
        assert codes(language="en") == ["6B06102", "7M06101"]
        assert client.get(PROGRAMMES, {"form": "evening"}).status_code == 400

    def test_list_query_count(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.HEAD)
        ProgrammeFactory()
        client.get(PROGRAMMES)
        with django_assert_max_num_queries(6) as few:
            client.get(PROGRAMMES)
        ProgrammeFactory.create_batch(20)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(PROGRAMMES)


@pytest.mark.django_db
class TestGroups:
    def test_list_filter_and_detail(self, client, signed_in, django_assert_max_num_queries):
        signed_in(Role.TUTOR)
        bachelor = ProgrammeFactory(code="6B06101")
        master = ProgrammeFactory(code="7M06101", level="master")
        group = StudyGroupFactory(code="ИС-25-1", programme=bachelor, capacity=25)
        StudyGroupFactory(code="М-25-1", programme=master, form_of_study="part_time")
        body = client.get(GROUPS, {"programme": bachelor.pk}).json()
        expected = {
            "id": group.pk,
            "code": "ИС-25-1",
            "programme": bachelor.pk,
            "programme_code": "6B06101",
            "admission_year": 2025,
            "language": "kk",
            "form_of_study": "full_time",
            "capacity": 25,
            "closed": False,
        }
        assert body["results"] == [expected]
        assert client.get(f"{GROUPS}{group.pk}/").json() == expected
        assert [g["code"] for g in client.get(GROUPS, {"level": "master"}).json()["results"]] == ["М-25-1"]
        assert [g["code"] for g in client.get(GROUPS, {"form_of_study": "full_time"}).json()["results"]] == ["ИС-25-1"]
        StudyGroupFactory.create_batch(15)
        with django_assert_max_num_queries(6):
            assert len(client.get(GROUPS).json()["results"]) == 17


@pytest.mark.django_db
def test_schema_lists_programmes_and_groups(client, signed_in):
    signed_in(Role.TEACHER)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/programmes/", "/api/v1/programmes/{id}/", "/api/v1/groups/", "/api/v1/groups/{id}/"):
        assert "get" in paths[path]
    parameters = {p["name"] for p in paths["/api/v1/programmes/"]["get"]["parameters"]}
    assert {"level", "form", "language", "cursor"} <= parameters
