"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_for_item(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_settings(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_blueprint(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_accommodations(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_results(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_analysis(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_analysis_xlsx(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
