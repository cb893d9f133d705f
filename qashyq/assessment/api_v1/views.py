"""The REST endpoints of testing: banks and questions (staff) in banks.py; tests, attempts and results in tests.py."""

from qashyq.assessment.api_v1.banks import BankDetailApi, BankListApi, QuestionDetailApi, QuestionListApi
from qashyq.assessment.api_v1.tests import AttemptDetailApi, AttemptListApi, TestDetailApi, TestListApi, TestResultsApi

__all__ = [
    "AttemptDetailApi",
    "AttemptListApi",
    "BankDetailApi",
    "BankListApi",
    "QuestionDetailApi",
    "QuestionListApi",
    "TestDetailApi",
    "TestListApi",
    "TestResultsApi",
]
