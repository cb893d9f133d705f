"""Placeholder: filled by its owner."""

from rest_framework.views import APIView


class TestListApi(APIView):
    pass


class TestDetailApi(APIView):
    pass


class TestResultsApi(APIView):
    pass


class AttemptListApi(APIView):
    pass


class AttemptDetailApi(APIView):
    pass
