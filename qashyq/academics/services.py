"""Every change to the academic structure: programmes, disciplines, curricula, years, periods, calendars,
study groups and teaching assignments. Each validates, writes in one transaction and records an audit
event with the values before and after; bad input raises ValidationError and changes nothing."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import rules
from qashyq.academics.data import EventKind, FormOfStudy, Language, ShortenedBasis, TeachingRole
from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.accounts.api import Role, user_roles
from qashyq.audit import api as audit_api

PROGRAMME_FIELDS = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "level",
    "forms_offered",
    "languages",
    "periods",
    "shortened",
    "shortened_basis",
)
DISCIPLINE_FIELDS = ("code", "name_kk", "name_ru", "name_en", "credits")
ENTRY_FIELDS = ("programme", "discipline", "period_number", "credits", "cycle", "component", "final_control")
GROUP_FIELDS = ("code", "programme", "admission_year", "language", "form_of_study", "capacity", "closed")
GROUP_CHANGEABLE = ("code", "capacity", "closed")
MAX_PERIODS = 16


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple):
        return list(value)
    return value


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _json(getattr(obj, name)) for name in fields}


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _set_fields(obj: models.Model, fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Set `fields` on `obj`; return the values of all `allowed` fields as they were before."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = _values(obj, allowed)
    for name, value in fields.items():
        setattr(obj, name, value)
    return before


def _save_changes(actor: Any, action: str, obj: models.Model, before: dict[str, Any]) -> None:
    """Save the fields of `obj` that differ from `before` and audit them; do nothing if none differ."""
    after = _values(obj, tuple(before))
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return
    obj.save(update_fields=[*changed, "updated_at"])
    audit_api.record(
        actor=actor,
        action=action,
        target=obj,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )


def _choices_in_order(values: Any, choices: type[models.TextChoices]) -> list[str]:
    chosen = {str(v) for v in (values or [])}
    return [v for v in choices.values if v in chosen]


# --- Programmes ----------------------------------------------------------------------------------


def _programme_validate(programme: Programme) -> None:
    errors: dict[str, str] = {}
    programme.code = programme.code.strip().upper()
    if problem := rules.programme_code_problem(programme.code, programme.level):
        errors["code"] = problem
    elif Programme.objects.filter(code=programme.code).exclude(pk=programme.pk).exists():
        errors["code"] = _("A programme with the code %(code)s already exists.") % {"code": programme.code}
    raw_forms, raw_languages = list(programme.forms_offered or []), list(programme.languages or [])
    programme.forms_offered = _choices_in_order(raw_forms, FormOfStudy)
    programme.languages = _choices_in_order(raw_languages, Language)
    if not programme.forms_offered or len(programme.forms_offered) != len(set(map(str, raw_forms))):
        errors["forms_offered"] = _("Choose one or more forms of study: full-time, part-time, correspondence.")
    if not programme.languages or len(programme.languages) != len(set(map(str, raw_languages))):
        errors["languages"] = _("Choose one or more languages of instruction: Kazakh, Russian, English.")
    if not 1 <= (programme.periods or 0) <= MAX_PERIODS:
        errors["periods"] = _("A programme has 1 to %(max)s academic periods.") % {"max": MAX_PERIODS}
    if programme.shortened and programme.shortened_basis not in ShortenedBasis.values:
        errors["shortened_basis"] = _(
            "A shortened programme needs its basis: technical and vocational, post-secondary or higher education."
        )
    elif not programme.shortened and programme.shortened_basis:
        errors["shortened_basis"] = _(
            "Only a shortened programme has a basis: clear it or mark the programme shortened."
        )
    if errors:
        raise ValidationError(errors)
    programme.full_clean()


def programme_create(
    *,
    actor: Any,
    code: str,
    name_kk: str,
    level: str,
    forms_offered: list[str],
    languages: list[str],
    name_ru: str = "",
    name_en: str = "",
    periods: int = 8,
    shortened: bool = False,
    shortened_basis: str = "",
) -> Programme:
    programme = Programme(
        code=code,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        level=level,
        forms_offered=list(forms_offered),
        languages=list(languages),
        periods=periods,
        shortened=shortened,
        shortened_basis=shortened_basis,
    )
    with transaction.atomic():
        _programme_validate(programme)
        programme.save()
        audit_api.record(
            actor=actor,
            action="academics.programme_created",
            target=programme,
            after=_values(programme, PROGRAMME_FIELDS),
        )
    return programme


def programme_update(*, actor: Any, programme: Programme, **fields: Any) -> Programme:
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        before = _set_fields(programme, fields, PROGRAMME_FIELDS)
        _programme_validate(programme)
        for group in programme.groups.order_by("code"):
            if group.form_of_study not in programme.forms_offered:
                raise ValidationError(
                    {
                        "forms_offered": _("Group %(group)s studies in the form “%(form)s”: keep it offered.")
                        % {"group": group.code, "form": group.get_form_of_study_display()}
                    }
                )
            if group.language not in programme.languages:
                raise ValidationError(
                    {
                        "languages": _("Group %(group)s studies in %(language)s: keep that language.")
                        % {"group": group.code, "language": group.get_language_display()}
                    }
                )
        last = programme.curriculum.aggregate(last=models.Max("period_number"))["last"]
        if last and last > programme.periods:
            raise ValidationError(
                {"periods": _("The curriculum has disciplines in academic period %(number)s.") % {"number": last}}
            )
        _save_changes(actor, "academics.programme_updated", programme, before)
    return programme


# --- Disciplines and curricula -------------------------------------------------------------------


def _discipline_validate(discipline: Discipline) -> None:
    discipline.code = discipline.code.strip()
    if Discipline.objects.filter(code=discipline.code).exclude(pk=discipline.pk).exists():
        raise ValidationError(
            {"code": _("A discipline with the code %(code)s already exists.") % {"code": discipline.code}}
        )
    if not 1 <= (discipline.credits or 0) <= 60:
        raise ValidationError({"credits": _("A discipline has 1 to 60 credits.")})
    discipline.full_clean()


def discipline_create(
    *, actor: Any, code: str, name_kk: str, credits: int, name_ru: str = "", name_en: str = ""
) -> Discipline:
    discipline = Discipline(code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en, credits=credits)
    with transaction.atomic():
        _discipline_validate(discipline)
        discipline.save()
        audit_api.record(
            actor=actor,
            action="academics.discipline_created",
            target=discipline,
            after=_values(discipline, DISCIPLINE_FIELDS),
        )
    return discipline


def discipline_update(*, actor: Any, discipline: Discipline, **fields: Any) -> Discipline:
    with transaction.atomic():
        discipline = Discipline.objects.select_for_update().get(pk=discipline.pk)
        before = _set_fields(discipline, fields, DISCIPLINE_FIELDS)
        _discipline_validate(discipline)
        _save_changes(actor, "academics.discipline_updated", discipline, before)
    return discipline


def curriculum_entry_add(
    *,
    actor: Any,
    programme: Programme,
    discipline: Discipline,
    period_number: int,
    cycle: str,
    component: str,
    final_control: str,
    credits: int | None = None,
) -> CurriculumEntry:
    """Put a discipline into a programme's curriculum in one academic period (its own credits unless given)."""
    if not 1 <= period_number <= programme.periods:
        raise ValidationError(
            {
                "period_number": _("Programme %(code)s has %(periods)s academic periods: choose 1 to %(periods)s.")
                % {"code": programme.code, "periods": programme.periods}
            }
        )
    credits = discipline.credits if credits is None else credits
    if not 1 <= credits <= 60:
        raise ValidationError({"credits": _("A discipline has 1 to 60 credits.")})
    entry = CurriculumEntry(
        programme=programme,
        discipline=discipline,
        period_number=period_number,
        credits=credits,
        cycle=cycle,
        component=component,
        final_control=final_control,
    )
    with transaction.atomic():
        if CurriculumEntry.objects.filter(
            programme=programme, discipline=discipline, period_number=period_number
        ).exists():
            raise ValidationError(
                {
                    "discipline": _("%(discipline)s is already in academic period %(number)s of this curriculum.")
                    % {"discipline": f"{discipline.code} {discipline.name}", "number": period_number}
                }
            )
        entry.full_clean()
        entry.save()
        audit_api.record(
            actor=actor, action="academics.curriculum_entry_added", target=entry, after=_values(entry, ENTRY_FIELDS)
        )
    return entry


def curriculum_entry_remove(*, actor: Any, entry: CurriculumEntry) -> None:
    with transaction.atomic():
        entry = CurriculumEntry.objects.select_for_update().get(pk=entry.pk)
        before = _values(entry, ENTRY_FIELDS)
        target = ("academics.curriculumentry", str(entry.pk))
        entry.delete()
        audit_api.record(actor=actor, action="academics.curriculum_entry_removed", target=target, before=before)


# --- Academic years, periods and calendars -------------------------------------------------------


def academic_year_create(*, actor: Any, title: str, start_date: date, end_date: date) -> AcademicYear:
    title = title.strip()
    if end_date <= start_date:
        raise ValidationError({"end_date": _("The academic year must end after it starts.")})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": _("An academic year lasts at most one year.")})
    year = AcademicYear(title=title, start_date=start_date, end_date=end_date)
    with transaction.atomic():
        if AcademicYear.objects.filter(title=title).exists():
            raise ValidationError({"title": _("The academic year %(title)s already exists.") % {"title": title}})
        overlapping = AcademicYear.objects.filter(start_date__lte=end_date, end_date__gte=start_date).first()
        if overlapping is not None:
            raise ValidationError(
                {"start_date": _("These dates overlap the academic year %(title)s.") % {"title": overlapping.title}}
            )
        year.full_clean()
        year.save()
        audit_api.record(
            actor=actor,
            action="academics.academic_year_created",
            target=year,
            after={"title": title, "start_date": start_date.isoformat(), "end_date": end_date.isoformat()},
        )
    return year


def academic_period_create(
    *, actor: Any, year: AcademicYear, kind: str, number: int, start_date: date, end_date: date
) -> AcademicPeriod:
    with transaction.atomic():
        existing = list(year.periods.select_for_update().order_by("number"))
        if any(p.number == number for p in existing):
            raise ValidationError(
                {
                    "number": _("The academic year %(title)s already has a period %(number)s.")
                    % {"title": year.title, "number": number}
                }
            )
        spans = [(p.number, rules.Span(p.kind, p.start_date, p.end_date)) for p in existing]
        problems = rules.period_problems(
            year_start=year.start_date,
            year_end=year.end_date,
            periods=[*spans, (number, rules.Span(kind, start_date, end_date))],
        )
        if problems:
            raise ValidationError(problems)
        period = AcademicPeriod(year=year, kind=kind, number=number, start_date=start_date, end_date=end_date)
        period.full_clean()
        period.save()
        audit_api.record(
            actor=actor,
            action="academics.academic_period_created",
            target=period,
            after={
                "year": year.pk,
                "kind": kind,
                "number": number,
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
            },
        )
    return period


def calendar_create(*, actor: Any, year: AcademicYear, level: str) -> AcademicCalendar:
    calendar = AcademicCalendar(year=year, level=level)
    with transaction.atomic():
        if AcademicCalendar.objects.filter(year=year, level=level).exists():
            raise ValidationError(
                {
                    "level": _("The academic year %(title)s already has a calendar for this level.")
                    % {"title": year.title}
                }
            )
        calendar.full_clean()
        calendar.save()
        audit_api.record(
            actor=actor, action="academics.calendar_created", target=calendar, after={"year": year.pk, "level": level}
        )
    return calendar


def _calendar_locked(calendar: AcademicCalendar) -> ValidationError:
    return ValidationError(
        _(
            "The academic calendar %(year)s was approved by the academic council on %(date)s (protocol № %(number)s) "
            "and cannot be changed. Reopen it for changes; it then takes effect again only after a new approval."
        )
        % {
            "year": calendar.year.title,
            "date": _day(calendar.approved_on) if calendar.approved_on else "",
            "number": calendar.protocol_number,
        },
        code="calendar_approved",
    )


def _event_values(event: CalendarEvent) -> dict[str, Any]:
    return {
        "calendar": event.calendar_id,
        "kind": event.kind,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "period": event.period_id,
    }


def calendar_event_add(
    *,
    actor: Any,
    calendar: AcademicCalendar,
    kind: str,
    start_date: date,
    end_date: date,
    period: AcademicPeriod | None = None,
) -> CalendarEvent:
    """Add a dated event; refused for an approved calendar and when the events would break the calendar rules."""
    with transaction.atomic():
        calendar = AcademicCalendar.objects.select_for_update().select_related("year").get(pk=calendar.pk)
        if calendar.approved:
            raise _calendar_locked(calendar)
        if kind not in EventKind.values:
            raise ValidationError({"kind": _("Unknown kind of event “%(value)s”.") % {"value": kind}})
        if period is not None and period.year_id != calendar.year_id:
            raise ValidationError({"period": _("The period belongs to another academic year.")})
        spans = [rules.Span(e.kind, e.start_date, e.end_date) for e in calendar.events.all()]
        problems = rules.calendar_problems(
            year_start=calendar.year.start_date,
            year_end=calendar.year.end_date,
            events=[*spans, rules.Span(kind, start_date, end_date)],
        )
        if problems:
            raise ValidationError(problems)
        event = CalendarEvent(calendar=calendar, kind=kind, start_date=start_date, end_date=end_date, period=period)
        event.full_clean()
        event.save()
        audit_api.record(actor=actor, action="academics.calendar_event_added", target=event, after=_event_values(event))
    return event


def calendar_event_remove(*, actor: Any, event: CalendarEvent) -> None:
    with transaction.atomic():
        calendar = AcademicCalendar.objects.select_for_update().select_related("year").get(pk=event.calendar_id)
        if calendar.approved:
            raise _calendar_locked(calendar)
        event = CalendarEvent.objects.get(pk=event.pk)
        remaining = [rules.Span(e.kind, e.start_date, e.end_date) for e in calendar.events.exclude(pk=event.pk)]
        # Removing the classes around a midterm week would leave the midterm outside classes.
        problems = rules.calendar_problems(
            year_start=calendar.year.start_date, year_end=calendar.year.end_date, events=remaining
        )
        if problems:
            raise ValidationError(problems)
        before = _event_values(event)
        target = ("academics.calendarevent", str(event.pk))
        event.delete()
        audit_api.record(actor=actor, action="academics.calendar_event_removed", target=target, before=before)


def calendar_approve(
    *, actor: Any, calendar: AcademicCalendar, approved_on: date, protocol_number: str
) -> AcademicCalendar:
    """Record the academic council's approval (date, protocol number): from then on the calendar is in effect."""
    protocol_number = protocol_number.strip()
    with transaction.atomic():
        calendar = AcademicCalendar.objects.select_for_update().select_related("year").get(pk=calendar.pk)
        if calendar.approved:
            raise _calendar_locked(calendar)
        if not protocol_number:
            raise ValidationError({"protocol_number": _("Give the number of the academic council's protocol.")})
        if approved_on > timezone.localdate():
            raise ValidationError(
                {"approved_on": _("The approval date %(date)s is still to come.") % {"date": _day(approved_on)}}
            )
        if not calendar.events.filter(kind=EventKind.CLASSES).exists():
            raise ValidationError(
                _("A calendar without any classes cannot be approved: add the periods of classes first.")
            )
        calendar.approved_on = approved_on
        calendar.protocol_number = protocol_number
        calendar.full_clean()
        calendar.save(update_fields=["approved_on", "protocol_number", "updated_at"])
        audit_api.record(
            actor=actor,
            action="academics.calendar_approved",
            target=calendar,
            before={"approved_on": None, "protocol_number": ""},
            after={"approved_on": approved_on.isoformat(), "protocol_number": protocol_number},
        )
    return calendar


def calendar_reopen(*, actor: Any, calendar: AcademicCalendar, reason: str) -> AcademicCalendar:
    """Take an approved calendar back for changes: it is out of effect until the council approves it again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved calendar must change.")})
    with transaction.atomic():
        calendar = AcademicCalendar.objects.select_for_update().get(pk=calendar.pk)
        if not calendar.approved or calendar.approved_on is None:
            raise ValidationError(_("The calendar is not approved: it can be changed as it is."))
        before = {"approved_on": calendar.approved_on.isoformat(), "protocol_number": calendar.protocol_number}
        calendar.approved_on = None
        calendar.protocol_number = ""
        calendar.save(update_fields=["approved_on", "protocol_number", "updated_at"])
        audit_api.record(
            actor=actor,
            action="academics.calendar_reopened",
            target=calendar,
            before=before,
            after={"approved_on": None, "protocol_number": ""},
            reason=reason.strip(),
        )
    return calendar


# --- Study groups and teaching assignments -------------------------------------------------------


def _group_validate(group: StudyGroup) -> None:
    errors: dict[str, str] = {}
    group.code = group.code.strip()
    programme = group.programme
    if StudyGroup.objects.filter(code=group.code).exclude(pk=group.pk).exists():
        errors["code"] = _("A group with the code %(code)s already exists.") % {"code": group.code}
    if group.form_of_study not in programme.forms_offered:
        offered = ", ".join(str(FormOfStudy(f).label) for f in programme.forms_offered if f in FormOfStudy.values)
        errors["form_of_study"] = _(
            "Programme %(code)s is not offered in the form “%(form)s” (offered: %(offered)s)."
        ) % {
            "code": programme.code,
            "form": dict(FormOfStudy.choices).get(group.form_of_study, group.form_of_study),
            "offered": offered,
        }
    if group.language not in programme.languages:
        taught = ", ".join(str(Language(v).label) for v in programme.languages if v in Language.values)
        errors["language"] = _("Programme %(code)s is not taught in %(language)s (taught in: %(taught)s).") % {
            "code": programme.code,
            "language": dict(Language.choices).get(group.language, group.language),
            "taught": taught,
        }
    this_year = timezone.localdate().year
    if not 2000 <= group.admission_year <= this_year + 1:
        errors["admission_year"] = _("The year of admission is between 2000 and %(year)s.") % {"year": this_year + 1}
    if not 1 <= group.capacity <= 500:
        errors["capacity"] = _("A group has 1 to 500 places.")
    if errors:
        raise ValidationError(errors)
    group.full_clean()


def group_create(
    *,
    actor: Any,
    code: str,
    programme: Programme,
    admission_year: int,
    language: str,
    form_of_study: str,
    capacity: int = 30,
    closed: bool = False,
) -> StudyGroup:
    group = StudyGroup(
        code=code,
        programme=programme,
        admission_year=admission_year,
        language=language,
        form_of_study=form_of_study,
        capacity=capacity,
        closed=closed,
    )
    with transaction.atomic():
        _group_validate(group)
        group.save()
        audit_api.record(
            actor=actor, action="academics.group_created", target=group, after=_values(group, GROUP_FIELDS)
        )
    return group


def group_update(*, actor: Any, group: StudyGroup, **fields: Any) -> StudyGroup:
    """Change a group's code, places or whether it is closed; its programme, language and form of study stay
    (students move between those only by orders)."""
    with transaction.atomic():
        group = StudyGroup.objects.select_for_update().select_related("programme").get(pk=group.pk)
        before = _set_fields(group, fields, GROUP_CHANGEABLE)
        _group_validate(group)
        _save_changes(actor, "academics.group_updated", group, before)
    return group


def teaching_assignment_add(
    *, actor: Any, user: Any, discipline: Discipline, role: str, group: StudyGroup | None = None
) -> TeachingAssignment:
    """A teacher or tutor serves a discipline, for one group or (group None) for every group that studies it."""
    if role not in TeachingRole.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    needed = Role.TEACHER if role == TeachingRole.TEACHER else Role.TUTOR
    if needed not in user_roles(user):
        raise ValidationError(
            {"user": _("%(name)s does not hold the role “%(role)s”.") % {"name": user.full_name, "role": needed.label}}
        )
    with transaction.atomic():
        if (
            group is not None
            and not CurriculumEntry.objects.filter(programme_id=group.programme_id, discipline=discipline).exists()
        ):
            raise ValidationError(
                {
                    "group": _("%(discipline)s is not in the curriculum of group %(group)s.")
                    % {"discipline": f"{discipline.code} {discipline.name}", "group": group.code}
                }
            )
        if TeachingAssignment.objects.filter(user=user, discipline=discipline, group=group, role=role).exists():
            raise ValidationError(_("%(name)s already has this assignment.") % {"name": user.full_name})
        assignment = TeachingAssignment(user=user, discipline=discipline, group=group, role=role)
        assignment.full_clean()
        assignment.save()
        audit_api.record(
            actor=actor,
            action="academics.teaching_assignment_added",
            target=assignment,
            after={"user": user.pk, "discipline": discipline.pk, "group": group.pk if group else None, "role": role},
        )
    return assignment


def teaching_assignment_remove(*, actor: Any, assignment: TeachingAssignment) -> None:
    with transaction.atomic():
        assignment = TeachingAssignment.objects.select_for_update().get(pk=assignment.pk)
        before = {
            "user": assignment.user_id,
            "discipline": assignment.discipline_id,
            "group": assignment.group_id,
            "role": assignment.role,
        }
        target = ("academics.teachingassignment", str(assignment.pk))
        assignment.delete()
        audit_api.record(actor=actor, action="academics.teaching_assignment_removed", target=target, before=before)
