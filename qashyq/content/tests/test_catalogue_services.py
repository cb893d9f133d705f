"""The catalogue's writes: exact values, audit events, refusals that change nothing, the attached file."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qashyq.academics.tests.factories import DisciplineFactory
from qashyq.content.data import AssetPurpose
from qashyq.content.models import Asset, DidacticResource
from qashyq.content.services.catalogue import resource_create, resource_update
from qashyq.content.tests.catalogue_helpers import (
    catalogue_defaults,  # noqa: F401 (autouse)
    events,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture
def didactics(make_user):
    return make_user("didactics")


@pytest.fixture
def disciplines(db):
    return DisciplineFactory(code="INF101"), DisciplineFactory(code="MAT102")


def values(**changes):
    base = {
        "name_kk": "  Бағдарламалау негіздері  ",
        "name_ru": "Основы программирования",
        "name_en": "",
        "kind": "e_textbook",
        "origin": "developed",
        "media": "network",
        "status": "in_development",
        "authors": "Сейітова А.",
        "year": 2025,
        "url": "https://library.example.kz/prog",
        "description": "",
    }
    base.update(changes)
    return base


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestCreate:
    def test_exact_values_and_audit(self, didactics, disciplines):
        first, second = disciplines
        resource = resource_create(actor=didactics, discipline_ids=[second.pk, first.pk, first.pk], **values())
        resource.refresh_from_db()
        assert resource.name_kk == "Бағдарламалау негіздері"
        assert resource.name_ru == "Основы программирования"
        assert (resource.kind, resource.origin, resource.media, resource.status) == (
            "e_textbook",
            "developed",
            "network",
            "in_development",
        )
        assert (resource.authors, resource.year, resource.url) == (
            "Сейітова А.",
            2025,
            "https://library.example.kz/prog",
        )
        assert resource.created_by == didactics
        assert resource.asset is None
        assert sorted(resource.disciplines.values_list("pk", flat=True)) == sorted([first.pk, second.pk])
        [event] = events("content.resource_created", resource)
        assert event.actor_id == didactics.pk
        assert event.after["name_kk"] == "Бағдарламалау негіздері"
        assert event.after["discipline_ids"] == sorted([first.pk, second.pk])
        assert event.after["asset"] is None

    @pytest.mark.parametrize("role", ["teacher", "tutor", "administration", "head", "student", "it_support"])
    def test_only_the_didactic_means_service(self, make_user, role):
        with pytest.raises(PermissionDenied):
            resource_create(actor=make_user(role), **values())
        assert not DidacticResource.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"name_kk": "   "}, "name_kk"),
            ({"kind": "novel"}, "kind"),
            ({"origin": ""}, "origin"),
            ({"media": "floppy"}, "media"),
            ({"status": "lost"}, "status"),
            ({"url": "not an address"}, "url"),
            ({"year": 1812}, "year"),
            ({"url": "", "media": "network"}, "url"),  # a network resource needs an address or a file
        ],
    )
    def test_bad_values_change_nothing(self, didactics, changes, field):
        with pytest.raises(ValidationError) as caught:
            resource_create(actor=didactics, **values(**changes))
        assert field in caught.value.message_dict
        assert not DidacticResource.objects.exists()
        assert not events("content.resource_created")

    def test_unknown_disciplines_are_named(self, didactics, disciplines):
        with pytest.raises(ValidationError) as caught:
            resource_create(actor=didactics, discipline_ids=[disciplines[0].pk, 987654], **values())
        assert caught.value.message_dict["disciplines"] == ["These disciplines do not exist: 987654."]
        assert not DidacticResource.objects.exists()

    def test_a_cd_needs_no_address(self, didactics):
        resource = resource_create(actor=didactics, **values(url="", media="cd", origin="acquired"))
        assert (resource.media, resource.url, resource.origin) == ("cd", "", "acquired")

    def test_an_attached_file(self, didactics, settings):
        upload = SimpleUploadedFile("Оқулық.pdf", PDF, content_type="application/pdf")
        resource = resource_create(actor=didactics, upload=upload, **values(url=""))
        asset = resource.asset
        assert asset is not None
        assert (asset.purpose, asset.original_name, asset.content_type, asset.size) == (
            AssetPurpose.RESOURCE,
            "Оқулық.pdf",
            "application/pdf",
            len(PDF),
        )
        assert asset.uploaded_by == didactics
        assert events("content.resource_created", resource)[0].after["asset"] == str(asset.pk)
        assert len(stored_files(settings)) == 1

    def test_a_disguised_executable_stores_nothing(self, didactics, settings):
        upload = SimpleUploadedFile("textbook.pdf", EXE, content_type="application/pdf")
        with pytest.raises(ValidationError) as caught:
            resource_create(actor=didactics, upload=upload, **values())
        assert "textbook.pdf" in caught.value.message_dict["file"][0]
        assert not DidacticResource.objects.exists()
        assert not Asset.objects.exists()
        assert stored_files(settings) == []

    def test_bad_values_with_a_good_file_store_nothing(self, didactics, settings):
        upload = SimpleUploadedFile("book.pdf", PDF)
        with pytest.raises(ValidationError):
            resource_create(actor=didactics, upload=upload, **values(kind="novel"))
        assert not Asset.objects.exists()
        assert stored_files(settings) == []


class TestUpdate:
    @pytest.fixture
    def resource(self, didactics, disciplines):
        return resource_create(actor=didactics, discipline_ids=[disciplines[0].pk], **values())

    def test_only_changes_are_audited(self, didactics, disciplines, resource):
        updated = resource_update(
            actor=didactics,
            resource=resource,
            discipline_ids=[disciplines[1].pk],
            **values(status="in_use", name_en="Programming basics"),
        )
        updated.refresh_from_db()
        assert (updated.status, updated.name_en) == ("in_use", "Programming basics")
        assert list(updated.disciplines.values_list("pk", flat=True)) == [disciplines[1].pk]
        [event] = events("content.resource_updated", resource)
        assert event.before == {"name_en": "", "status": "in_development", "discipline_ids": [disciplines[0].pk]}
        assert event.after == {
            "name_en": "Programming basics",
            "status": "in_use",
            "discipline_ids": [disciplines[1].pk],
        }

    def test_no_change_no_event(self, didactics, disciplines, resource):
        resource_update(actor=didactics, resource=resource, discipline_ids=[disciplines[0].pk], **values())
        assert events("content.resource_updated", resource) == []

    def test_refused_update_changes_nothing(self, didactics, disciplines, resource, make_user):
        with pytest.raises(PermissionDenied):
            resource_update(actor=make_user("teacher"), resource=resource, **values(status="in_use"))
        with pytest.raises(ValidationError):
            resource_update(actor=didactics, resource=resource, **values(status="in_use", year=3000))
        resource.refresh_from_db()
        assert resource.status == "in_development"
        assert list(resource.disciplines.values_list("pk", flat=True)) == [disciplines[0].pk]
        assert events("content.resource_updated", resource) == []

    def test_replace_and_remove_the_file(self, didactics, resource):
        resource_update(actor=didactics, resource=resource, upload=SimpleUploadedFile("a.pdf", PDF), **values(url=""))
        resource.refresh_from_db()
        first = resource.asset_id
        assert first is not None
        # Without an address, removing the only file of a network resource is refused.
        with pytest.raises(ValidationError) as caught:
            resource_update(actor=didactics, resource=resource, remove_file=True, **values(url=""))
        assert "url" in caught.value.message_dict
        resource_update(actor=didactics, resource=resource, remove_file=True, **values())
        resource.refresh_from_db()
        assert resource.asset_id is None
        assert Asset.objects.filter(pk=first).exists()  # the stored file itself is kept
        removed = events("content.resource_updated", resource)[-1]
        assert removed.before["asset"] == str(first)
        assert removed.after["asset"] is None


def test_file_types_cover_documents_media_and_zip():
    from qashyq.content.services.catalogue import resource_file_types

    types = resource_file_types()
    assert {"application/pdf", "video/mp4", "image/png", "application/zip"} <= types
    assert "text/html" not in types
