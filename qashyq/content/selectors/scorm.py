"""Reads of SCORM: which package an item launches, the learner's stored runtime, scores for the gradebook."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from qashyq.content import scorm
from qashyq.content.models import Enrolment, Item, ScormPackage, ScormRuntime
from qashyq.content.selectors import items as item_selectors


@dataclass(frozen=True)
class Launch:
    """What the launch page shows: the package, whether it is a preview, and why it is closed ("": open)."""

    package: ScormPackage | None
    preview: bool
    lock: str = ""


def scorm_launch_for(*, item: Item, enrolment: Enrolment | None) -> Launch:
    """A student launches the published version's package (if it is open to them now); staff without an
    enrolment preview the draft's package (the published one when the draft has none)."""
    if enrolment is None:
        package_id = item.scorm_package_id
        if package_id is None and item.live_version_id is not None:
            package_id = (item.live_version.data or {}).get("scorm_package_id")  # type: ignore[union-attr]
        return Launch(package=_package(package_id), preview=True)
    data: dict[str, Any] = item.live_version.data if item.live_version_id else {}  # type: ignore[union-attr]
    package = _package(data.get("scorm_package_id"))
    return Launch(
        package=package, preview=False, lock=item_selectors.student_lock(item=item, data=data, enrolment=enrolment)
    )


def _package(package_id: object) -> ScormPackage | None:
    if package_id is None:
        return None
    return ScormPackage.objects.filter(pk=int(str(package_id))).first()


def item_title(*, item: Item, published: bool) -> str:
    """The item's name as a student sees it (the published version's) or as staff do (the draft's)."""
    if published and item.live_version_id is not None:
        return item_selectors.data_title(item.live_version.data or {}) or item.name  # type: ignore[union-attr]
    return item.name


def scorm_package_get(*, package_id: int) -> ScormPackage | None:
    """The columns serving a file needs (not the manifest)."""
    return ScormPackage.objects.only("id", "root", "version", "launch").filter(pk=package_id).first()


def scorm_runtime_get(*, item_id: int, enrolment_id: int) -> ScormRuntime | None:
    return ScormRuntime.objects.filter(item_id=item_id, enrolment_id=enrolment_id).first()


def resume_state(runtime: ScormRuntime | None) -> scorm.ResumeState:
    if runtime is None:
        return scorm.ResumeState()
    cmi = runtime.cmi if isinstance(runtime.cmi, dict) else {}
    core = cmi.get("core")
    exit_value = str((core if isinstance(core, dict) else cmi).get("exit") or "")
    return scorm.ResumeState(
        completion_status=runtime.completion_status,
        success_status=runtime.success_status,
        score_raw=runtime.score_raw,
        score_min=runtime.score_min,
        score_max=runtime.score_max,
        score_scaled=runtime.score_scaled,
        location=runtime.location,
        suspend_data=runtime.suspend_data,
        total_seconds=runtime.total_seconds,
        exit=exit_value,
        started=True,
    )


def runtime_score(runtime: ScormRuntime | None) -> Decimal | None:
    if runtime is None:
        return None
    return scorm.score_percent(
        raw=runtime.score_raw, minimum=runtime.score_min, maximum=runtime.score_max, scaled=runtime.score_scaled
    )


def learner(*, user_id: int) -> tuple[str, str]:
    """(learner id, learner name "Last, First") as the SCO receives them."""
    user = get_user_model().objects.filter(pk=user_id).only("username", "first_name", "last_name").first()
    if user is None:
        return str(user_id), ""
    name = ", ".join(part for part in (user.last_name, user.first_name) if part) or user.username
    return user.username, name


def scorm_scores(*, item_id: int, enrolment_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """{enrolment id: score percentage} for the learners of a SCORM item who reported a score."""
    rows = ScormRuntime.objects.filter(item_id=item_id)
    if enrolment_ids is not None:
        rows = rows.filter(enrolment_id__in=list(enrolment_ids))
    result: dict[int, Decimal] = {}
    for enrolment_id, raw, low, high, scaled in rows.values_list(
        "enrolment_id", "score_raw", "score_min", "score_max", "score_scaled"
    ):
        score = scorm.score_percent(raw=raw, minimum=low, maximum=high, scaled=scaled)
        if score is not None:
            result[enrolment_id] = score
    return result
