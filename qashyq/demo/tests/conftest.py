import pytest

from qashyq.demo import services as demo_services


@pytest.fixture
def gradebook_demo():
    """Asks for the demo's gradebook (qashyq/demo/gradebook.py) in `demo_seed`."""


@pytest.fixture(autouse=True)
def _without_gradebook(request, monkeypatch):
    """The demo's gradebook enters thousands of grades one by one through the services (minutes): tests of the
    other parts of the demo leave it out; test_gradebook_demo.py asks for it with the `gradebook_demo` fixture."""
    if "gradebook_demo" not in request.fixturenames:
        monkeypatch.setattr(demo_services, "gradebook_seed", lambda: None)
