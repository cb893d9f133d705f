"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def import_upload(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def import_preview(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def bank_export(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
