from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import (
    Component,
    Cycle,
    EventKind,
    FinalControl,
    FormOfStudy,
    Language,
    Level,
    PeriodKind,
    ShortenedBasis,
    TeachingRole,
)
from qashyq.core.i18n import TrilingualName
from qashyq.core.models import TimeStampedModel


class Programme(TrilingualName, TimeStampedModel):
    """An educational programme, e.g. 6B01101 (rule 10 needs to know whether it is shortened)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    forms_offered = models.JSONField(_("forms of study offered"), default=list)
    languages = models.JSONField(_("languages of instruction"), default=list)
    periods = models.PositiveSmallIntegerField(_("academic periods"), default=8)
    shortened = models.BooleanField(_("shortened programme"), default=False)
    shortened_basis = models.CharField(
        _("basis of the shortened programme"), max_length=20, blank=True, choices=ShortenedBasis.choices
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shortened=False, shortened_basis="")
                | models.Q(shortened=True) & ~models.Q(shortened_basis=""),
                name="programme_shortened_has_basis",
            )
        ]

    @property
    def forms_offered_labels(self) -> list[str]:
        labels = dict(FormOfStudy.choices)
        return [str(labels.get(value, value)) for value in self.forms_offered]

    @property
    def languages_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(value, value)) for value in self.languages]


class Discipline(TrilingualName, TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    credits = models.PositiveSmallIntegerField(_("credits"))

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["code"]


class CurriculumEntry(TimeStampedModel):
    """One discipline of a programme's curriculum in one academic period."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="curriculum")
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="curriculum_entries")
    period_number = models.PositiveSmallIntegerField(_("academic period"))
    credits = models.PositiveSmallIntegerField(_("credits"))
    cycle = models.CharField(_("cycle"), max_length=20, choices=Cycle.choices)
    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    final_control = models.CharField(_("form of final control"), max_length=30, choices=FinalControl.choices)

    class Meta:
        verbose_name = _("curriculum entry")
        verbose_name_plural = _("curriculum")
        ordering = ["programme", "period_number", "discipline__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "discipline", "period_number"], name="curriculum_entry_unique"
            ),
            models.CheckConstraint(condition=models.Q(period_number__gte=1), name="curriculum_period_positive"),
        ]


class AcademicYear(TimeStampedModel):
    title = models.CharField(_("title"), max_length=20, unique=True)  # "2026–2027"
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="academic_year_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AcademicPeriod(TimeStampedModel):
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("academic period")
        verbose_name_plural = _("academic periods")
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="academic_period_unique")]


class AcademicCalendar(TimeStampedModel):
    """A year's calendar for one programme level; takes effect once the academic council approves it."""

    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="calendars")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    approved_on = models.DateField(_("approved by the academic council on"), null=True, blank=True)
    protocol_number = models.CharField(_("protocol number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("academic calendar")
        verbose_name_plural = _("academic calendars")
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="academic_calendar_unique")]

    @property
    def approved(self) -> bool:
        return self.approved_on is not None


class CalendarEvent(TimeStampedModel):
    calendar = models.ForeignKey(AcademicCalendar, on_delete=models.CASCADE, related_name="events")
    period = models.ForeignKey(AcademicPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="calendar_event_end_after_start"
            )
        ]


class StudyGroup(TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="groups")
    admission_year = models.PositiveSmallIntegerField(_("year of admission"))
    language = models.CharField(_("language of instruction"), max_length=2, choices=Language.choices)
    form_of_study = models.CharField(_("form of study"), max_length=20, choices=FormOfStudy.choices)
    capacity = models.PositiveSmallIntegerField(_("places"), default=30)
    closed = models.BooleanField(_("closed for admission and transfer"), default=False)

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class TeachingAssignment(TimeStampedModel):
    """A teacher or tutor serving a discipline, for one group or for all (rule 5)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teaching_assignments")
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey(StudyGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=TeachingRole.choices)

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "discipline", "group", "role"], name="teaching_assignment_unique")
        ]
