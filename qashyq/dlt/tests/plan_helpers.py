"""What the plan, schedule and iCal tests share: an accepted application of the DLT world with its plan and
schedule generated on TODAY, the people who open their pages, signing in, and the rows of the plan and schedule
as plain values."""

from dataclasses import dataclass
from typing import Any

from qashyq.accounts.tests.factories import UserFactory
from qashyq.dlt.data import ApplicationStatus
from qashyq.dlt.models import Application, Schedule, StudyPlan
from qashyq.dlt.services.plans import study_plan_generate
from qashyq.dlt.services.schedules import schedule_generate
from qashyq.dlt.tests.helpers import TODAY, World, dlt_world, make_application
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student


@dataclass
class Planned:
    world: World
    application: Application
    plan: StudyPlan
    schedule: Schedule


def planned(world: World | None = None, *, status: str = ApplicationStatus.ACCEPTED, **fields: Any) -> Planned:
    """The world's student with an application in `status` (accepted by default) whose plan and schedule are
    generated as of TODAY (the application runs from 01.12.2026 to 01.12.2027)."""
    world = world or dlt_world()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED, **fields)
    plan = study_plan_generate(application=application, actor=world.admin, today=TODAY)
    schedule = schedule_generate(application=application, actor=world.admin, today=TODAY)
    if status != ApplicationStatus.ACCEPTED:
        Application.objects.filter(pk=application.pk).update(status=status)
        application.refresh_from_db()
    return Planned(world=world, application=application, plan=plan, schedule=schedule)


def plan_rows(plan: StudyPlan) -> list[tuple[Any, ...]]:
    """(code, period, credits, cycle, component, control, type, course id, teacher id, tutor id, completed)."""
    return [
        (
            line.discipline.code,
            line.period_number,
            line.credits,
            line.cycle,
            line.component,
            line.final_control,
            line.dlt_type,
            line.course_id,
            line.teacher_id,
            line.tutor_id,
            line.completed,
        )
        for line in plan.lines.select_related("discipline").order_by("period_number", "discipline__code")
    ]


def entry_rows(schedule: Schedule) -> list[tuple[Any, ...]]:
    """(kind, discipline code, starts_on, ends_on, mode, source key) in date order."""
    return [
        (e.kind, e.discipline.code if e.discipline else None, e.starts_on, e.ends_on, e.mode, e.source_key)
        for e in schedule.entries.select_related("discipline").order_by("starts_on", "discipline__code", "kind")
    ]


def user_of(setup: Planned, who: str) -> Any:
    """The person `who` names: "self" (the student), "admin", "head", "teacher", "tutor" (of the plan's lines),
    "didactics", "it_support", or a new "other_student", "other_teacher" or "other_tutor"."""
    world = setup.world
    if who == "other_student":
        return make_student(world.programme, status=StudentStatus.ACTIVE, user=UserFactory(roles=["student"])).user
    if who in ("other_teacher", "other_tutor"):
        return UserFactory(roles=[who.removeprefix("other_")])
    return {
        "self": world.student_user,
        "admin": world.admin,
        "head": world.head,
        "teacher": world.teacher,
        "tutor": world.tutor,
        "didactics": world.didactics,
        "it_support": world.it_support,
    }[who]


def sign_in(client: Any, user: Any, enrol_totp: Any) -> Any:
    """Sign `user` in (with a second factor, as the staff roles require), reading English."""
    user.language = "en"
    user.save(update_fields=["language"])
    enrol_totp(user)
    client.force_login(user)
    return user
