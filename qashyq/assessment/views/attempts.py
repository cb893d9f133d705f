"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_start(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question_page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def answer_save(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def event_log(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_summary(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_submit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def attempt_result(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
