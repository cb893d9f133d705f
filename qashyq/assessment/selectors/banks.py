"""Reads of question banks: the banks a user may open with their question counts, a bank's questions by
topic with filters, a question's versions. Each costs a fixed number of queries, whatever it shows."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from qashyq.assessment.data import Difficulty
from qashyq.assessment.models import Bank, Category, Image, Question, QuestionVersion
from qashyq.assessment.permissions.banks import banks_visible_to

QUESTIONS_PER_PAGE = 50


def bank_queryset(*, user: Any, discipline_id: int | None = None) -> QuerySet[Bank]:
    """The banks `user` may open (of one discipline), with their discipline and the number of questions
    (not archived) of each difficulty: `count_1`, `count_2`, `count_3` and `count_all`."""
    visible = banks_visible_to(user=user)
    if visible is None:
        return Bank.objects.none()
    banks = Bank.objects.filter(visible).select_related("discipline")
    if discipline_id is not None:
        banks = banks.filter(discipline_id=discipline_id)
    live = Q(questions__archived=False)
    counts = {
        f"count_{level}": Count("questions", filter=live & Q(questions__difficulty=level))
        for level in Difficulty.values
    }
    return banks.annotate(count_all=Count("questions", filter=live), **counts).order_by("name", "pk")


def bank_discipline_ids(*, user: Any) -> list[int]:
    """The disciplines of the banks `user` may open (one query)."""
    visible = banks_visible_to(user=user)
    if visible is None:
        return []
    return sorted(set(Bank.objects.filter(visible).values_list("discipline_id", flat=True)))


@dataclass(frozen=True)
class QuestionFilters:
    category_id: int | None = None  # with its subtopics
    qtype: str = ""
    difficulty: int | None = None
    q: str = ""
    archived: bool = False  # True: the archived ones only


def topics(*, bank: Bank) -> list[Category]:
    """The bank's topics by path, each with `count` (questions not archived, of that topic itself)."""
    return list(
        Category.objects.filter(bank=bank)
        .annotate(count=Count("questions", filter=Q(questions__archived=False)))
        .order_by("path")
    )


def question_queryset(*, bank: Bank, filters: QuestionFilters | None = None) -> QuerySet[Question]:
    filters = filters or QuestionFilters()
    questions = Question.objects.filter(bank=bank, archived=filters.archived).select_related("current", "category")
    if filters.category_id is not None:
        category = Category.objects.filter(bank=bank, pk=filters.category_id).values_list("path", flat=True).first()
        if category is None:
            return questions.none()
        questions = questions.filter(Q(category__path=category) | Q(category__path__startswith=category + "/"))
    if filters.qtype:
        questions = questions.filter(type=filters.qtype)
    if filters.difficulty is not None:
        questions = questions.filter(difficulty=filters.difficulty)
    if filters.q:
        words = Q()
        for word in filters.q.split()[:10]:
            words &= Q(current__stem__icontains=word) | Q(current__name__icontains=word)
        questions = questions.filter(words)
    return questions.order_by("category__path", "pk")


def question_page(*, bank: Bank, filters: QuestionFilters | None = None, page: Any = 1) -> Page[Question]:
    paginator = Paginator(question_queryset(bank=bank, filters=filters), QUESTIONS_PER_PAGE)
    return paginator.get_page(page)


def versions(*, question: Question) -> list[QuestionVersion]:
    """Every version of the question, the newest first, with its author."""
    return list(question.versions.select_related("created_by").order_by("-number"))


def bank_images(*, bank: Bank) -> list[Image]:
    return list(Image.objects.filter(bank=bank).order_by("-created_at", "-pk"))
