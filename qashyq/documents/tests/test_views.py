import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qashyq.accounts.api import Role
from qashyq.documents import permissions
from qashyq.documents.data import VERIFY_UPLOAD_MAX_BYTES
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import stored_bytes

pytestmark = pytest.mark.django_db

VERIFY_START = reverse("documents:document-verify-start")


def verify_url(document: Document) -> str:
    return reverse("documents:document-verify", kwargs={"code": document.verification_code})


def download_url(document: Document) -> str:
    return reverse("documents:document-download", kwargs={"document_id": document.pk})


def upload(content: bytes, name: str = "copy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class TestVerifyPage:
    def test_shows_what_was_issued_without_sign_in(self, client, issue):
        document = issue()
        response = client.get(verify_url(document), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        assert '<dd class="col-sm-9" lang="kk">Анықтама № 5</dd>' in page
        assert '<dd class="col-sm-9">5-А</dd>' in page
        assert "Sept. 1, 2026" in page
        assert '<dd class="col-sm-9" lang="kk">Үлгі университеті</dd>' in page
        assert document.sha256 in page
        assert document.verification_code in page
        assert "has not been revoked" in page
        assert 'name="robots" content="noindex, nofollow"' in page
        assert response.headers["Cache-Control"] == "no-store"

    def test_revoked_document_says_so(self, client, issue):
        document = issue()
        Document.objects.filter(pk=document.pk).update(revoked_at="2026-10-05T09:00:00Z")
        page = client.get(verify_url(document), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "This document was revoked on Oct. 5, 2026: it is no longer valid." in page
        assert '<dd class="col-sm-9">Revoked</dd>' in page

    def test_unknown_code_is_404(self, client, issue):
        issue()
        assert client.get(reverse("documents:document-verify", kwargs={"code": "ABCDEFGHJKMN"})).status_code == 404

    def test_malformed_code_is_404(self, client):
        assert client.get(reverse("documents:document-verify", kwargs={"code": "not-a-code"})).status_code == 404

    def test_code_typed_in_lower_case_redirects_to_the_page(self, client, issue):
        document = issue()
        response = client.get(reverse("documents:document-verify", kwargs={"code": document.verification_code.lower()}))
        assert response.status_code == 302
        assert response.url == verify_url(document)

    def test_identical_copy_matches(self, client, issue):
        document = issue()
        content = stored_bytes(document)
        response = client.post(verify_url(document), {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        assert "This file is the issued document." in page
        assert "This file differs" not in page

    def test_altered_copy_differs(self, client, issue):
        document = issue()
        content = bytearray(stored_bytes(document))
        content[-20] ^= 0x01
        response = client.post(verify_url(document), {"file": upload(bytes(content))}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        assert "This file differs from the issued document." in page
        assert "This file is the issued document." not in page

    def test_another_documents_pdf_differs(self, client, issue):
        document, other = issue(), issue()
        response = client.post(verify_url(document), {"file": upload(stored_bytes(other))}, HTTP_ACCEPT_LANGUAGE="en")
        assert "This file differs from the issued document." in response.content.decode()

    def test_too_large_upload_is_refused_with_a_clear_message(self, client, issue):
        document = issue()
        big = upload(b"%PDF-" + b"0" * VERIFY_UPLOAD_MAX_BYTES, name="huge.pdf")
        response = client.post(verify_url(document), {"file": big}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        page = response.content.decode()
        assert "The file huge.pdf is 20.0\xa0MB; files up to 20.0\xa0MB can be compared." in page
        assert "This file is the issued document." not in page
        assert "This file differs" not in page

    def test_upload_without_a_file_is_400(self, client, issue):
        document = issue()
        response = client.post(verify_url(document), {}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()

    def test_empty_file_is_400(self, client, issue):
        document = issue()
        response = client.post(verify_url(document), {"file": upload(b"")}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "The submitted file is empty." in response.content.decode()

    def test_other_methods_are_refused(self, client, issue):
        assert client.put(verify_url(issue())).status_code == 405


class TestVerifyStart:
    def test_form(self, client):
        response = client.get(VERIFY_START, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert 'name="code"' in response.content.decode()

    def test_known_code_opens_its_page(self, client, issue):
        document = issue()
        typed = f" {document.verification_code[:4].lower()}-{document.verification_code[4:]} "
        response = client.get(VERIFY_START, {"code": typed})
        assert response.status_code == 302
        assert response.url == verify_url(document)

    def test_unknown_code_is_404_with_the_form(self, client):
        response = client.get(VERIFY_START, {"code": "ABCDEFGHJKMN"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert "No document was issued with the code ABCDEFGHJKMN." in response.content.decode()

    def test_malformed_code_is_400(self, client):
        response = client.get(VERIFY_START, {"code": "12345"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "A verification code has 12 letters and digits" in response.content.decode()


class TestDownload:
    @pytest.fixture
    def allow_heads(self, monkeypatch):
        monkeypatch.setattr(permissions, "_ACCESS_CHECKS", {})
        permissions.register_access_check(
            "tests.thing", lambda user, target_id: user.groups.filter(name=Role.HEAD).exists()
        )

    def test_anonymous_is_sent_to_sign_in(self, client, issue, allow_heads):
        document = issue()
        response = client.get(download_url(document))
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_allowed_user_gets_the_pdf(self, client, issue, allow_heads, make_user, enrol_totp):
        document = issue()
        head = make_user(Role.HEAD)
        enrol_totp(head)
        client.force_login(head)
        response = client.get(download_url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''5-%D0%90-kk-" + document.verification_code + ".pdf"
        )
        assert "no-store" in response["Cache-Control"]
        # Reading the whole stream closes the file, as a WSGI server would.
        assert b"".join(response.streaming_content) == stored_bytes(Document.objects.get(pk=document.pk))

    @pytest.mark.parametrize("role", [r for r in Role if r != Role.HEAD])
    def test_others_get_404(self, client, issue, allow_heads, make_user, enrol_totp, role):
        document = issue()
        user = make_user(role)
        enrol_totp(user)
        client.force_login(user)
        assert client.get(download_url(document)).status_code == 404

    def test_no_check_registered_is_404(self, client, issue, make_user, enrol_totp, monkeypatch):
        monkeypatch.setattr(permissions, "_ACCESS_CHECKS", {})
        head = make_user(Role.HEAD)
        enrol_totp(head)
        client.force_login(head)
        assert client.get(download_url(issue())).status_code == 404

    def test_missing_document_is_404(self, client, make_user, enrol_totp, allow_heads):
        head = make_user(Role.HEAD)
        enrol_totp(head)
        client.force_login(head)
        assert client.get(reverse("documents:document-download", kwargs={"document_id": 999})).status_code == 404
