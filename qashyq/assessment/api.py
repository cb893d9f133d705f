"""What other apps may use of testing: results of tests (the gradebook takes them through `test_results`)."""

from qashyq.assessment.data import TestResultData
from qashyq.assessment.models import Test
from qashyq.assessment.selectors import api as selectors
from qashyq.assessment.selectors import results

__all__ = ["TestResultData", "test_result", "test_results"]


def test_results(*, item_id: int) -> list[TestResultData]:
    """The result of every student with a finished attempt in the test of a course item, by student id: the
    percentage by the test's grading method over their finished attempts (None while nothing is graded),
    `pending` while an essay awaits grading. Empty when the item has no test. Two queries."""
    test = Test.objects.filter(item_id=item_id).first()
    if test is None:
        return []
    return list(selectors.results_of(test=test).values())


def test_result(*, item_id: int, student_id: int) -> TestResultData:
    """One student's result in the test of a course item (percent None and 0 attempts when they have no
    finished attempt, or when the item has no test: then test_id is 0). Two queries."""
    test = Test.objects.filter(item_id=item_id).first()
    if test is None:
        return TestResultData(test_id=0, item_id=item_id, student_id=student_id, percent=None, attempts=0)
    return results.test_result(test=test, student_id=student_id)
