"""Who downloads orders' PDFs and extracts (full matrix), and the extract page of the order."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from qashyq.accounts.api import Role
from qashyq.documents import permissions as document_permissions
from qashyq.documents.models import Document
from qashyq.records import printing
from qashyq.records.data import OrderStatus
from qashyq.records.tests import printing_data as data

pytestmark = pytest.mark.django_db

STAFF = {Role.ADMINISTRATION, Role.HEAD}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def order():
    data.make_institution()
    return data.make_signed_order(students=2)


@pytest.fixture
def item(order):
    return order.items.select_related("student").order_by("position").first()


@pytest.fixture
def own_student_user(item, make_user):
    """The account of the student the item is about."""
    user = make_user(Role.STUDENT)
    item.student.user = user
    item.student.save()
    return user


def signed_in(client, user, enrol_totp):
    enrol_totp(user)
    client.force_login(user)
    return client


def test_records_registers_its_checks():
    assert document_permissions.access_check_for("records.order") is printing.can_download_order_document
    assert document_permissions.access_check_for("records.orderitem") is printing.can_download_extract


class TestOrderDocumentMatrix:
    @pytest.mark.parametrize("role", list(Role))
    def test_by_role(self, order, make_user, role):
        user = make_user(role)
        assert printing.can_download_order_document(user, str(order.pk)) is (role in STAFF)

    def test_anonymous(self, order):
        assert printing.can_download_order_document(AnonymousUser(), str(order.pk)) is False

    def test_inactive_head(self, order, make_user):
        assert printing.can_download_order_document(make_user(Role.HEAD, is_active=False), str(order.pk)) is False

    def test_the_student_of_the_order_may_not(self, order, own_student_user):
        assert printing.can_download_order_document(own_student_user, str(order.pk)) is False

    @pytest.mark.parametrize("role", list(Role))
    def test_through_documents(self, order, make_user, role):
        kk, _ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        user = make_user(role)
        if role in STAFF:
            assert document_permissions.access_document(user=user, document_id=kk.id).pk == kk.id
        else:
            with pytest.raises(Http404):
                document_permissions.access_document(user=user, document_id=kk.id)


class TestExtractMatrix:
    @pytest.mark.parametrize("role", list(Role))
    def test_by_role(self, item, make_user, role):
        user = make_user(role)
        assert printing.can_download_extract(user, str(item.pk)) is (role in STAFF)

    def test_anonymous(self, item):
        assert printing.can_download_extract(AnonymousUser(), str(item.pk)) is False

    def test_the_student_it_is_about(self, item, own_student_user):
        assert printing.can_download_extract(own_student_user, str(item.pk)) is True

    def test_another_student_of_the_same_order(self, order, item, own_student_user, make_user):
        other_item = order.items.exclude(pk=item.pk).get()
        assert printing.can_download_extract(own_student_user, str(other_item.pk)) is False

    def test_inactive_student(self, item, own_student_user):
        own_student_user.is_active = False
        own_student_user.save()
        assert printing.can_download_extract(own_student_user, str(item.pk)) is False

    def test_target_that_is_not_a_number(self, own_student_user):
        assert printing.can_download_extract(own_student_user, "1 OR 1=1") is False

    def test_student_downloads_own_extract_only(self, client, order, item, own_student_user, make_user):
        mine = printing.order_extract_issue(order_item=item, language="kk", actor=order.signed_by)
        other_item = order.items.exclude(pk=item.pk).get()
        theirs = printing.order_extract_issue(order_item=other_item, language="kk", actor=order.signed_by)
        order_kk, _ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        client.force_login(own_student_user)
        response = client.get(mine.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert client.get(theirs.url).status_code == 404
        assert client.get(order_kk.url).status_code == 404


class TestExtractView:
    def url(self, order, item, lang="kk"):
        return reverse("records:order-extract", kwargs={"order_id": order.pk, "item_id": item.pk, "lang": lang})

    @pytest.mark.parametrize("role", sorted(STAFF))
    def test_staff_get_the_extract(self, client, order, item, make_user, enrol_totp, role):
        client = signed_in(client, make_user(role), enrol_totp)
        response = client.get(self.url(order, item, "ru"))
        document = Document.objects.get()
        assert response.status_code == 302
        assert response.url == f"/documents/{document.pk}/pdf/"
        assert (document.kind, document.target_id, document.language) == ("records.order_extract", str(item.pk), "ru")
        download = client.get(response.url)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF-")

    def test_second_request_gives_the_same_document(self, client, order, item, make_user, enrol_totp):
        client = signed_in(client, make_user(Role.ADMINISTRATION), enrol_totp)
        first = client.get(self.url(order, item)).url
        second = client.get(self.url(order, item)).url
        assert first == second
        assert Document.objects.count() == 1

    @pytest.mark.parametrize("role", sorted(set(Role) - STAFF))
    def test_others_get_404_and_nothing_is_issued(self, client, order, item, make_user, enrol_totp, role):
        client = signed_in(client, make_user(role), enrol_totp)
        assert client.get(self.url(order, item)).status_code == 404
        assert Document.objects.count() == 0

    def test_the_student_it_is_about_gets_404_here(self, client, order, item, own_student_user):
        client.force_login(own_student_user)
        assert client.get(self.url(order, item)).status_code == 404
        assert Document.objects.count() == 0

    def test_anonymous_is_sent_to_sign_in(self, client, order, item):
        response = client.get(self.url(order, item))
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert Document.objects.count() == 0

    def test_unknown_language_is_404(self, client, order, item, make_user, enrol_totp):
        client = signed_in(client, make_user(Role.HEAD), enrol_totp)
        assert client.get(self.url(order, item, "en")).status_code == 404
        assert Document.objects.count() == 0

    def test_item_of_another_order_is_404(self, client, order, item, make_user, enrol_totp):
        other = data.make_signed_order(students=1, number=138, group=data.make_group(code="ИС-26-9"))
        client = signed_in(client, make_user(Role.HEAD), enrol_totp)
        assert client.get(self.url(other, item)).status_code == 404
        assert Document.objects.count() == 0

    def test_draft_order_is_404(self, client, order, item, make_user, enrol_totp):
        order.status = OrderStatus.DRAFT
        order.save(update_fields=["status"])
        client = signed_in(client, make_user(Role.HEAD), enrol_totp)
        assert client.get(self.url(order, item)).status_code == 404
        assert Document.objects.count() == 0

    def test_post_is_not_allowed(self, client, order, item, make_user, enrol_totp):
        client = signed_in(client, make_user(Role.HEAD), enrol_totp)
        assert client.post(self.url(order, item)).status_code == 405


def test_signed_order_page_links_each_students_extract(client, order, make_user, enrol_totp):
    from django.urls import reverse

    signed_in(client, make_user(Role.ADMINISTRATION), enrol_totp)
    page = client.get(reverse("records:order-detail", args=[order.pk])).content.decode()
    for item in order.items.all():
        for lang in ("kk", "ru"):
            link = reverse("records:order-extract", kwargs={"order_id": order.pk, "item_id": item.pk, "lang": lang})
            assert f'href="{link}"' in page
