"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def bank_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def bank_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def bank_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def bank_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question_archive(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def image_upload(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def image_file(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
