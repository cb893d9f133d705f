from datetime import date

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Issued files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issue(db):
    """`issue(**overrides)`: a plain document issued through the service, for ("tests.thing", "1")."""
    from qashyq.documents import services

    def make(**overrides):
        fields = {
            "kind": "tests.plain",
            "title": "Анықтама № 5",
            "number": "5-А",
            "issued_on": date(2026, 9, 1),
            "language": "kk",
            "template_name": "documents/pdf/plain.html",
            "context": {"heading": "АНЫҚТАМА", "paragraphs": ["Әріптер: ә ғ қ ң ө ұ ү һ і — Ә Ғ Қ Ң Ө Ұ Ү Һ І."]},
            "target": ("tests.thing", "1"),
            "issued_by": None,
            "issuer": "Үлгі университеті",
        }
        fields.update(overrides)
        return services.document_issue(**fields)

    return make
