"""The public verification page of an issued document: anyone holding a copy checks it, without signing in."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.support import assert_accessible, path_is


def in_kazakh(message: str) -> str:
    with translation.override("kk"):
        return translation.gettext(message)


@pytest.fixture
def issued(transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    """A signed order of three students, issued as PDFs in Kazakh and in Russian; returns the Kazakh one."""
    from qashyq.documents.models import Document
    from qashyq.records import printing
    from qashyq.records.tests import printing_data

    settings.MEDIA_ROOT = tmp_path / "media"
    printing_data.make_institution()
    order = printing_data.make_signed_order(students=3)
    kk, _ru = printing.order_documents_issue(order=order, actor=order.signed_by)
    return Document.objects.get(pk=kk.id)


def test_a_copy_of_an_issued_order_is_confirmed(
    page: Page, url: Callable[[str], str], issued: Any, tmp_path: Path
) -> None:
    # given: someone holding the PDF opens the page its QR code points to
    with issued.file.open("rb") as stored:
        content = stored.read()
    copy = tmp_path / "order-copy.pdf"
    copy.write_bytes(content)
    response = page.goto(url(f"/documents/verify/{issued.verification_code}/"))
    assert response is not None
    assert response.status == 200
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(in_kazakh("Document verification"))
    expect(main).to_contain_text("Бұйрық № 137-ОД (оқуға қабылдау)")
    expect(main).to_contain_text("137-ОД")
    expect(main).to_contain_text("Әл-Фараби атындағы Үлгі университеті")
    expect(main).to_contain_text(issued.sha256)
    expect(main).not_to_contain_text("Серікұлы")  # no student's name on the public page
    assert_accessible(page)

    # when: they upload the same file
    page.locator("#id_file").set_input_files(str(copy))
    page.locator("main form button[type=submit]").click()

    # then
    result = page.locator("#compare-result")
    expect(result).to_contain_text(in_kazakh("This file is the issued document."))
    expect(result).to_contain_text(issued.sha256)
    assert_accessible(page)

    # and a file changed by one byte is not the issued document
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(content[:-20] + bytes([content[-20] ^ 1]) + content[-19:])
    page.locator("#id_file").set_input_files(str(altered))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#compare-result")).to_contain_text(in_kazakh("This file differs from the issued document."))
    assert_accessible(page)


def test_the_code_typed_from_paper_opens_the_page(page: Page, url: Callable[[str], str], issued: Any) -> None:
    page.goto(url("/documents/verify/"))
    assert_accessible(page)
    code = issued.verification_code
    page.locator("#id_code").fill(f"{code[:4].lower()} {code[4:8]} {code[8:]}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(path_is(f"/documents/verify/{code}/"))
    expect(page.locator("main")).to_contain_text(issued.sha256)
    assert_accessible(page)

    # an unknown code: said so, on an accessible page
    page.goto(url("/documents/verify/"))
    page.locator("#id_code").fill("ABCDEFGHJKMN")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-warning")).to_be_visible()
    assert_accessible(page)
