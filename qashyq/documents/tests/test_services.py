import hashlib
import re
from datetime import date

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.template import TemplateDoesNotExist

from qashyq.accounts.api import Role
from qashyq.audit.models import Event
from qashyq.documents import api, rendering, services
from qashyq.documents.data import VERIFICATION_ALPHABET, DocumentData
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_objects, pdf_text, stored_bytes

KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

pytestmark = pytest.mark.django_db


class TestVerificationCode:
    def test_alphabet_has_no_look_alikes(self):
        assert not set("01ILO") & set(VERIFICATION_ALPHABET)
        assert len(set(VERIFICATION_ALPHABET)) == len(VERIFICATION_ALPHABET) == 31

    def test_code_is_twelve_characters_of_the_alphabet(self):
        codes = {services.verification_code_new() for _ in range(200)}
        assert len(codes) == 200
        assert all(re.fullmatch(f"[{VERIFICATION_ALPHABET}]{{12}}", code) for code in codes)

    def test_code_already_given_is_drawn_again(self, issue, monkeypatch):
        # given: a document holding the code the generator would draw first
        taken = issue().verification_code
        draws = iter(taken + "ABCDEFGHJKMN")
        monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(draws))
        # when
        code = services.verification_code_new()
        # then
        assert code == "ABCDEFGHJKMN"


class TestDocumentIssue:
    def test_stores_the_pdf_with_its_hash(self, issue):
        document = issue()
        with default_storage.open(document.file.name, "rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-")
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.file.name == f"documents/2026/{document.verification_code}.pdf"
        assert (settings.MEDIA_ROOT / document.file.name).exists()

    def test_records_what_was_issued(self, issue, make_user):
        actor = make_user(Role.ADMINISTRATION)
        document = issue(issued_by=actor)
        document.refresh_from_db()
        assert (document.kind, document.title, document.number, document.issuer) == (
            "tests.plain",
            "Анықтама № 5",
            "5-А",
            "Үлгі университеті",
        )
        assert (document.issued_on, document.language, document.target_type, document.target_id) == (
            date(2026, 9, 1),
            "kk",
            "tests.thing",
            "1",
        )
        assert document.issued_by == actor
        assert document.revoked_at is None

    def test_writes_the_audit_event(self, issue, make_user):
        actor = make_user(Role.HEAD)
        document = issue(issued_by=actor)
        event = Event.objects.get(action="documents.issued")
        assert event.actor_id == actor.pk
        assert (event.target_type, event.target_id) == ("documents.document", str(document.pk))
        assert event.after == {
            "kind": "tests.plain",
            "title": "Анықтама № 5",
            "number": "5-А",
            "issued_on": "2026-09-01",
            "language": "kk",
            "target_type": "tests.thing",
            "target_id": "1",
            "sha256": document.sha256,
            "verification_code": document.verification_code,
        }

    def test_pdf_holds_every_kazakh_letter_the_code_and_the_url(self, issue, tmp_path):
        document = issue()
        text = pdf_text(stored_bytes(document), tmp_path)
        for letter in KAZAKH_LETTERS:
            assert letter in text, letter
        assert "АНЫҚТАМА" in text
        assert f"коды: {document.verification_code}" in text
        assert f"http://127.0.0.1:8000/documents/verify/{document.verification_code}/" in text

    def test_pdf_is_tagged_with_the_document_language(self, issue):
        pdf = stored_bytes(issue(language="ru"))
        objects = pdf_objects(pdf)
        assert b"/Lang (ru)" in objects
        assert b"/StructTreeRoot" in objects
        assert b"/MarkInfo" in objects
        assert b"pdfuaid:part" in objects  # PDF/UA-1 identification in the XMP metadata
        assert b"Noto" in objects  # the font that holds Kazakh letters is embedded

    def test_public_url_comes_from_the_settings(self, issue, settings, tmp_path):
        settings.QASHYQ_PUBLIC_URL = "https://qashyq.example.kz/"
        document = issue()
        text = pdf_text(stored_bytes(document), tmp_path)
        assert f"https://qashyq.example.kz/documents/verify/{document.verification_code}/" in text

    def test_nothing_is_left_when_rendering_fails(self, issue, settings):
        with pytest.raises(TemplateDoesNotExist):
            issue(template_name="documents/pdf/no-such.html")
        assert Document.objects.count() == 0
        assert Event.objects.filter(action="documents.issued").count() == 0
        assert not (settings.MEDIA_ROOT / "documents").exists()

    def test_nothing_is_left_when_saving_fails(self, issue, settings, monkeypatch):
        def fail(**kwargs):
            raise RuntimeError("ledger down")

        monkeypatch.setattr(services, "record", fail)
        with pytest.raises(RuntimeError):
            issue()
        assert Document.objects.count() == 0
        assert list((settings.MEDIA_ROOT / "documents" / "2026").iterdir()) == []


class TestApi:
    def test_document_issue_returns_plain_data(self, settings):
        data = api.document_issue(
            kind="tests.plain",
            title="Анықтама",
            number="7",
            issued_on=date(2026, 10, 2),
            language="kk",
            template_name="documents/pdf/plain.html",
            context={"heading": "Анықтама", "paragraphs": []},
            target=("tests.thing", "9"),
            issued_by=None,
        )
        document = Document.objects.get()
        assert data == DocumentData(
            id=document.pk,
            verification_code=document.verification_code,
            sha256=document.sha256,
            title="Анықтама",
            number="7",
            issued_on=date(2026, 10, 2),
            language="kk",
            url=f"/documents/{document.pk}/pdf/",
            issued_at=document.created_at,
        )
        assert document.issuer == ""

    def test_documents_for_lists_a_targets_documents_not_revoked(self, issue):
        first = issue(target=("tests.thing", "1"))
        second = issue(target=("tests.thing", "1"), language="ru")
        issue(target=("tests.thing", "2"))
        revoked = issue(target=("tests.thing", "1"))
        Document.objects.filter(pk=revoked.pk).update(revoked_at="2026-10-01T10:00:00Z")
        found = api.documents_for(target=("tests.thing", "1"))
        assert [d.id for d in found] == [first.pk, second.pk]
        assert [d.language for d in found] == ["kk", "ru"]
        assert api.documents_for(target=("tests.thing", "3")) == []


class TestRendering:
    @pytest.mark.parametrize("url", ["file:///etc/hostname", "http://127.0.0.1:8000/", "https://example.kz/a.png"])
    def test_fetches_nothing_but_data_uris(self, url):
        with pytest.raises(ValueError, match="disallowed protocol"):
            rendering._fetcher().fetch(url)

    def test_qr_code_is_an_svg_data_uri(self):
        uri = rendering.qr_data_uri("https://qashyq.example.kz/documents/verify/ABCDEFGHJKMN/")
        assert uri.startswith("data:image/svg+xml")
        response = rendering._fetcher().fetch(uri)
        body = response._file_obj.read()
        response._file_obj.close()
        assert body.startswith((b"<?xml", b"<svg"))
        assert b"<path" in body
