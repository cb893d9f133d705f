"""Placeholder: filled by its owner."""

from django.http import Http404, HttpRequest, HttpResponse


def py(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def test_for_item(request: HttpRequest, **kwargs: object) -> HttpResponse:
    # TEMPORARY (helper A): students reach their test page until the owner writes this view.
    from qashyq.assessment.models import Test
    from qashyq.assessment.views.attempts import student_test_page
    from qashyq.content import api as content_api

    access = content_api.item_access(user=request.user, item_id=int(str(kwargs["item_id"])))
    test = Test.objects.filter(item_id=access.item_id).first()
    if test is None or access.student_id is None:
        raise Http404
    return student_test_page(request, test, access)


def test_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    # TEMPORARY (helper A): students reach their test page until the owner writes this view.
    from qashyq.assessment.models import Test
    from qashyq.assessment.views.attempts import student_test_page
    from qashyq.content import api as content_api

    test = Test.objects.filter(pk=int(str(kwargs["test_id"]))).first()
    if test is None:
        raise Http404
    access = content_api.item_access(user=request.user, item_id=test.item_id)
    if access.student_id is None:
        raise Http404
    return student_test_page(request, test, access)


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
