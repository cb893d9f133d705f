"""The student's side of a test: the test page (`student_test_page`, called by the test's page for students),
starting, one question a page with autosave, the summary, submitting and the result with its review.

Right answers, fractions and option feedback never reach the browser before the review: the question page
gets only ids and texts (see `_question_context`). `answer_save` is the exam's hot path: no template, no
query beyond the session, the user and the service's UPDATE; the question page reads the attempt, the question
and the navigation in one statement (`access_own_question_page`)."""

import json
import math
import re
from functools import lru_cache
from typing import Any

import nh3
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.assessment.data import AttemptStatus, IdentityCheck, QuestionType
from qashyq.assessment.forms.attempts import AttemptStartForm
from qashyq.assessment.models import Attempt, AttemptQuestion, Test
from qashyq.assessment.permissions.attempts import access_own_attempt, access_own_question_page
from qashyq.assessment.rules.grading import right_answer
from qashyq.assessment.selectors import attempts as selectors
from qashyq.assessment.selectors import results
from qashyq.assessment.services import attempts as services
from qashyq.assessment.views import display
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData
from qashyq.core.forms import add_service_errors
from qashyq.core.network import client_ip
from qashyq.gradebook import api as gradebook_api

SAVE_STATUS = {"not_found": 404, "closed": 410, "deadline": 410, "stale": 409, "conflict": 409, "invalid": 400}
START_STATUS = {"access_code": 400, "identity": 400}  # the others (window, attempts, network, blueprint): 403
GAP = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
MATH_MARKS = ("\\(", "\\[", "$$", "\\begin{")


def _has_math(*texts: Any) -> bool:
    return any(mark in str(text) for text in texts for mark in MATH_MARKS)


# --- The test page of a student --------------------------------------------------------------------


def student_test_page(
    request: HttpRequest,
    test: Test,
    access: ItemAccessData,
    *,
    form: AttemptStartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The test as its student sees it: instructions, window, time limit, attempts used and left, their
    attempts (with the score when the review allows), and the start form (or a link to the attempt in
    progress)."""
    if access.student_id is None:
        raise Http404
    now = timezone.now()
    window, _accommodation = services.student_window(test, student_id=access.student_id)
    attempts = results.student_attempts(test=test, student_id=access.student_id)
    active = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    if active is not None and services.attempt_touch(active, now=now).status != AttemptStatus.IN_PROGRESS:
        attempts = results.student_attempts(test=test, student_id=access.student_id)
        active = None
    state = window.state(now)
    left = window.attempts_left(len(attempts))
    rows = [
        {
            "attempt": a,
            "review": results.review_open(test=test, attempt=a, now=now),
        }
        for a in attempts
    ]
    result = results.result_of(test, attempts, student_id=access.student_id)
    admission = gradebook_api.exam_admission(item_id=test.item_id, student_id=access.student_id)
    refusal = services.admission_refusal(admission.reasons) if admission and not admission.admitted else ""
    can_start = active is None and state == "open" and left != 0 and not refusal
    context = {
        "test": test,
        "title": access.name,
        "access": access,
        "window": window,
        "time_limit_minutes": math.ceil(window.time_limit.total_seconds() / 60) if window.time_limit else 0,
        "state": state,
        "attempts": rows,
        "attempts_left": left,
        "active": active,
        "result": result,
        "show_result": test.review_score and any(r["review"] for r in rows),
        "can_start": can_start,
        "admission_refusal": refusal,
        "form": form or (AttemptStartForm(test=test) if can_start else None),
        "webcam": test.identity_check == IdentityCheck.WEBCAM,
        "identity_document": test.identity_check == IdentityCheck.ID_DOCUMENT,
        "instructions": display.html(test.instructions),
    }
    return render(request, "assessment/attempts/test.html", context, status=status)


def _student_test(request: AuthedRequest, test_id: int) -> tuple[Test, ItemAccessData]:
    test = Test.objects.filter(pk=test_id).first()
    if test is None:
        raise Http404
    access = content_api.item_access(user=request.user, item_id=test.item_id)
    if access.student_id is None:
        raise Http404
    return test, access


@login_required
@require_POST
def attempt_start(request: AuthedRequest, test_id: int) -> HttpResponse:
    test, access = _student_test(request, test_id)
    assert access.student_id is not None
    form = AttemptStartForm(request.POST, request.FILES, test=test)
    if not form.is_valid():
        return student_test_page(request, test, access, form=form, status=400)
    try:
        attempt = services.attempt_start(
            test=test,
            user=request.user,
            student_id=access.student_id,
            enrolment_id=access.enrolment_id,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            access_code=form.cleaned_data.get("access_code") or "",
            identity=form.cleaned_data.get("identity"),
        )
    except ValidationError as error:
        codes = (
            {e.code for errors in error.error_dict.values() for e in errors} if hasattr(error, "error_dict") else set()
        )
        add_service_errors(form, error)
        status = 400 if codes and codes <= set(START_STATUS) else 403
        return student_test_page(request, test, access, form=form, status=status)
    return redirect("assessment:attempt-page", attempt.pk)


# --- Taking the attempt ----------------------------------------------------------------------------


def _open_attempt(request: AuthedRequest, attempt_id: int) -> Attempt:
    """The student's own attempt, closed first when it is past its deadline."""
    return services.attempt_touch(access_own_attempt(user=request.user, attempt_id=attempt_id))


def _finished_redirect(attempt: Attempt) -> HttpResponse:
    return redirect("assessment:attempt-result", attempt.pk)


@login_required
@require_safe
def attempt_page(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    """Back to the attempt: its first unanswered question (or the first)."""
    attempt = _open_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _finished_redirect(attempt)
    slots = selectors.attempt_slots(attempt=attempt)
    if any(s["answered"] for s in slots):
        services.attempt_resumed(attempt=attempt, user=request.user)
    position = next((s["position"] for s in slots if not s["answered"]), slots[0]["position"] if slots else 1)
    return redirect("assessment:question-page", attempt.pk, position)


def _navigation(attempt: Attempt, slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`slots` (`selectors.attempt_slots`) with each question's address (one reverse, not one a question: the
    navigation shows on every question page)."""
    head = reverse("assessment:question-page", args=[attempt.pk, 1]).removesuffix("1/")
    for slot in slots:
        slot["url"] = f"{head}{slot['position']}/"
    return slots


def _question_links(slots: list[dict[str, Any]], current: int) -> SafeString:
    """The `<li>` of each question in the navigation, built here rather than by a template loop: the question
    page shows it on every request of an exam, and the loop of 20 questions was a third of the page's
    rendering. Only the translated words need escaping (positions are numbers, addresses come from
    `reverse`). attempt.js updates `.qh-answered` and `.qh-nav-state` as answers are saved."""
    answered, unanswered, flagged = escape(_("answered")), escape(_("not answered")), escape(_("marked for review"))
    items = []
    for slot in slots:
        position = slot["position"]
        classes = "qh-nav-link" + (" qh-answered" if slot["answered"] else "")
        classes += " qh-flagged" if slot["flagged"] else ""
        current_mark = ' aria-current="page"' if position == current else ""
        flag_mark, flag_text = ('<span aria-hidden="true">⚑</span>', f", {flagged}") if slot["flagged"] else ("", "")
        state = answered if slot["answered"] else unanswered
        items.append(
            f'<li><a class="{classes}" id="qh-nav-{position}" data-position="{position}" href="{slot["url"]}"'
            f'{current_mark}>{position}{flag_mark}<span class="visually-hidden">, <span class="qh-nav-state">'
            f"{state}</span>{flag_text}</span></a></li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 - numbers, reversed addresses and escaped words


def _question_context(question: AttemptQuestion) -> dict[str, Any]:
    """What the page shows of one question: ids and texts in the attempt's order, and the saved answer —
    never a fraction, a right answer or an option's feedback."""
    data = question.version.data or {}
    layout = question.layout or {}
    answer = question.answer if isinstance(question.answer, dict) else {}
    qtype = question.type
    context: dict[str, Any] = {"qtype": qtype, "stem": display.html(question.version.stem)}
    math = [question.version.stem]
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = display.option_texts(data)
        chosen = {answer.get("choice")} if qtype == QuestionType.SINGLE else set(answer.get("choices") or [])
        order = layout.get("options") or list(texts)
        context["options"] = [
            {"id": oid, "html": display.html(texts.get(oid, "")), "checked": oid in chosen}
            for oid in order
            if oid in texts
        ]
        math += list(texts.values())
    elif qtype == QuestionType.TRUE_FALSE:
        context["value"] = answer.get("value")
    elif qtype == QuestionType.MATCHING:
        lefts = {str(p.get("id")): p.get("left", "") for p in data.get("pairs") or [] if isinstance(p, dict)}
        rights = display.right_texts(data)
        matched: dict[str, Any] = answer.get("pairs") or {}
        context["rows"] = [
            {"id": pid, "html": display.html(lefts[pid]), "value": matched.get(pid, "")}
            for pid in layout.get("left") or list(lefts)
            if pid in lefts
        ]
        context["choices"] = [
            {"id": rid, "text": nh3.clean(str(rights[rid]), tags=set())}
            for rid in layout.get("right") or list(rights)
            if rid in rights
        ]
        math += list(lefts.values())
    elif qtype == QuestionType.ORDERING:
        texts = {str(i.get("id")): i.get("text", "") for i in data.get("items") or [] if isinstance(i, dict)}
        shown = answer.get("order")
        order = shown if isinstance(shown, list) else layout.get("items") or list(texts)
        context["items"] = [{"id": iid, "html": display.html(texts[iid])} for iid in order if iid in texts]
        context["ordered"] = "order" in answer
        math += list(texts.values())
    elif qtype in (QuestionType.SHORT, QuestionType.NUMERIC):
        context["text"] = answer.get("text", "")
    elif qtype == QuestionType.ESSAY:
        context["text"] = answer.get("text", "") or data.get("template", "")
        context["min_words"] = data.get("min_words") or 0
        context["max_words"] = data.get("max_words") or 0
    elif qtype == QuestionType.CLOZE:
        context["segments"] = _cloze_segments(data, layout, answer.get("gaps") or {})
        math.append(data.get("text", ""))
    context["has_math"] = _has_math(*math)
    return context


def _cloze_segments(data: dict[str, Any], layout: dict[str, Any], given: dict[str, Any]) -> list[dict[str, Any]]:
    gaps = {str(g.get("id")): g for g in data.get("gaps") or [] if isinstance(g, dict)}
    shown = layout.get("gaps") or {}
    text = nh3.clean(str(data.get("text", "")))
    segments: list[dict[str, Any]] = []
    position = 0
    number = 0
    for match in GAP.finditer(text):
        gap = gaps.get(match.group(1))
        if gap is None:
            continue
        number += 1
        segments.append({"html": mark_safe(text[position : match.start()])})  # noqa: S308 - nh3 output
        entry: dict[str, Any] = {"id": match.group(1), "number": number, "value": given.get(match.group(1), "")}
        if gap.get("kind") == "choice":
            texts = {str(o.get("id")): o.get("text", "") for o in gap.get("options") or [] if isinstance(o, dict)}
            order = shown.get(match.group(1)) or list(texts)
            entry["options"] = [
                {"id": oid, "text": nh3.clean(str(texts[oid]), tags=set())} for oid in order if oid in texts
            ]
        else:
            entry["numeric"] = gap.get("kind") == "numeric"
        segments.append({"gap": entry})
        position = match.end()
    segments.append({"html": mark_safe(text[position:])})  # noqa: S308 - nh3 output
    return segments


@lru_cache(maxsize=8)
def _messages_script(language: str) -> SafeString:
    """The texts attempt.js shows, translated here (the script has no catalog of its own), as the page's
    `<script id="qh-messages">`: built once per language (`language` is the active one), not on every
    question page."""
    texts = {
        "saved": _("Saved at %(time)s"),
        "saving": _("Saving…"),
        "unsent": _("Not saved yet: the answer is kept in this browser and will be sent when the connection returns."),
        "refused": _("The answer was not saved: %(reason)s"),
        "closed": _("The attempt is finished; your saved answers were submitted."),
        "offline": _("No connection. Your answers are kept in this browser and will be sent when it returns."),
        "online": _("Connected again; unsent answers are being sent."),
        "leave": _("Some answers are not saved yet."),
        "remaining": _("Time left: %(time)s"),
        "five": _("Five minutes left."),
        "one": _("One minute left."),
        "timeup": _("Time is up: the attempt is being submitted."),
        "words": _("Words: %(count)s"),
        "moved": _("%(item)s moved to place %(place)s of %(count)s."),
        "answered": _("answered"),
        "unanswered": _("not answered"),
    }
    return json_script(texts, "qh-messages")


@login_required
@require_http_methods(["GET", "POST"])
def question_page(request: AuthedRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of the attempt (POST: flag or unflag it for review, then back here)."""
    page = access_own_question_page(user=request.user, attempt_id=attempt_id, position=position)
    attempt = services.attempt_touch(page.attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _finished_redirect(attempt)
    question = page.question
    if question is None:
        raise Http404
    if request.method == "POST":
        try:
            services.question_flag(attempt=attempt, position=position, flagged=request.POST.get("flagged") == "1")
        except ValidationError:
            return _finished_redirect(attempt)
        return redirect("assessment:question-page", attempt.pk, position)
    slots = _navigation(attempt, page.slots)
    context = {
        "attempt": attempt,
        "question": question,
        "q": _question_context(question),
        "question_links": _question_links(slots, position),
        "count": len(slots),
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(slots) else None,
        "server_now": timezone.now().isoformat(),
        "messages_script": _messages_script(get_language()),
        "save_url": reverse("assessment:answer-save", args=[attempt.pk, position]),
    }
    return render(request, "assessment/attempts/question.html", context)


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


@require_POST
def answer_save(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """POST JSON {"seq": n, "answer": …} → 200 {"seq", "saved_at"}; refusals {"code", "message"} with 404
    (not yours / missing), 410 (closed, deadline), 409 (stale, conflict), 400 (invalid)."""
    user = request.user
    if not user.is_authenticated:
        return _json_error("not_found", _("Sign in again to save answers."), 404)
    try:
        body = json.loads(request.body)
        seq = body["seq"]
        answer = body.get("answer")
    except (ValueError, KeyError, TypeError):
        return _json_error("invalid", _("The save request is not valid JSON with a sequence number."), 400)
    try:
        ack = services.answer_save(attempt_id=attempt_id, user_id=user.pk, position=position, seq=seq, answer=answer)
    except services.AnswerRefused as refusal:
        return _json_error(refusal.code, refusal.message, SAVE_STATUS.get(refusal.code, 400))
    return JsonResponse({"seq": ack.seq, "saved_at": ack.saved_at.isoformat()})


@require_POST
def event_log(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """POST JSON {"kind": one of CLIENT_EVENTS} → 204 (404 not yours, 400 another kind)."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    try:
        body = json.loads(request.body)
        kind = str(body["kind"])
    except (ValueError, KeyError, TypeError):
        return _json_error("invalid", _("The event is not valid JSON with a kind."), 400)
    try:
        services.attempt_event(attempt_id=attempt_id, user_id=user.pk, kind=kind, detail=body.get("detail"))
    except ValidationError:
        return _json_error("invalid", _("Unknown event."), 400)
    return HttpResponse(status=204)


def _summary_context(attempt: Attempt) -> dict[str, Any]:
    """The summary page before submitting: every question answered or not, flagged or not."""
    slots = _navigation(attempt, selectors.attempt_slots(attempt=attempt))
    return {
        "attempt": attempt,
        "test": attempt.test,
        "slots": slots,
        "unanswered": sum(1 for s in slots if not s["answered"]),
        "flagged": sum(1 for s in slots if s["flagged"]),
        "server_now": timezone.now().isoformat(),
        "messages_script": _messages_script(get_language()),
    }


@login_required
@require_safe
def attempt_summary(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = _open_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _finished_redirect(attempt)
    return render(request, "assessment/attempts/summary.html", _summary_context(attempt))


@login_required
@require_POST
def attempt_submit(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    """Submit (with the confirmation box ticked, or by the page itself at the deadline: "auto")."""
    attempt = _open_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        if request.POST.get("confirm") != "1" and request.POST.get("auto") != "1":
            context = _summary_context(attempt) | {
                "confirm_error": _("Tick the box to confirm that you want to submit."),
            }
            return render(request, "assessment/attempts/summary.html", context, status=400)
        services.attempt_submit(attempt=attempt, actor=request.user)
    return _finished_redirect(attempt)


# --- The result and its review ---------------------------------------------------------------------


def _feedback(question: AttemptQuestion) -> list[SafeString]:
    data = question.version.data or {}
    answer = question.answer if isinstance(question.answer, dict) else {}
    lines: list[SafeString] = []
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        chosen = {answer.get("choice")} | set(answer.get("choices") or [])
        lines += [
            display.html(o["feedback"])
            for o in data.get("options") or []
            if o.get("id") in chosen and o.get("feedback")
        ]
    if question.type == QuestionType.TRUE_FALSE and isinstance(answer.get("value"), bool):
        text = data.get("feedback_true" if answer["value"] else "feedback_false")
        if text:
            lines.append(display.html(text))
    if question.version.feedback:
        lines.append(display.html(question.version.feedback))
    if question.feedback:
        lines.append(escape(question.feedback))
    return lines


@login_required
@require_safe
def attempt_result(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = _open_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect("assessment:attempt-page", attempt.pk)
    test = attempt.test
    show = results.student_review(test=test, attempt=attempt)
    rows = []
    has_math = False
    if show.responses or show.correct or show.feedback:
        for question in selectors.attempt_questions(attempt=attempt):
            data = question.version.data or {}
            rows.append(
                {
                    "question": question,
                    "stem": display.html(question.version.stem),
                    "response": display.describe(question.type, data, question.answer),
                    "right": display.describe(question.type, data, right_answer(question.type, data))
                    if show.correct
                    else [],
                    "feedback": _feedback(question) if show.feedback else [],
                }
            )
            has_math = has_math or _has_math(question.version.stem, json.dumps(data))
    context = {
        "attempt": attempt,
        "test": test,
        "review_when": test.review_when,
        "show": show,
        "rows": rows,
        "has_math": has_math,
        "test_url": reverse("assessment:test-for-item", args=[test.item_id]),
    }
    return render(request, "assessment/attempts/result.html", context)
