"""Placeholder: filled by its owner."""

from rest_framework.views import APIView


class BankListApi(APIView):
    pass


class BankDetailApi(APIView):
    pass


class QuestionListApi(APIView):
    pass


class QuestionDetailApi(APIView):
    pass


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
