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
