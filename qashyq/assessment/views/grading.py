"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def grading_queue(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def grade_question(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_review_staff(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_reopen(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_regrade(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def identity_file(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
