"""Pure rules of DLT applications (rules 10, 11; R35, R36): whether a student belongs to the category they apply
in, and what a complete application holds. No database here: the services gather the facts and call these.

Each problem is a `Problem(field, message)`: `field` is the application's field the message is about ("" for the
application as a whole), `message` a translated sentence that names what is missing or wrong."""

from collections.abc import Collection, Iterable
from datetime import date
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qashyq.academics.data import FormOfStudy, ShortenedBasis
from qashyq.dlt.data import Category, DltType, DocumentType

# A business trip abroad makes a student eligible only when it lasts more than this many months (rule 10).
BUSINESS_TRIP_MIN_MONTHS = 4

# The document each category rests on (rule 11): the application is accompanied by it.
CATEGORY_DOCUMENT: dict[str, DocumentType] = {
    Category.SHORTENED: DocumentType.PRIOR_EDUCATION,
    Category.DISABILITY: DocumentType.DISABILITY,
    Category.EXCHANGE: DocumentType.EXCHANGE,
    Category.MILITARY: DocumentType.MILITARY,
    Category.BUSINESS_TRIP: DocumentType.BUSINESS_TRIP,
}


class Problem(NamedTuple):
    """Why an application cannot go on: the field it is about ("" for the whole application) and a message."""

    field: str
    message: str


def problems_by_field(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """The problems as a ValidationError's dict: by field, the whole application's under NON_FIELD_ERRORS."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field or NON_FIELD_ERRORS, []).append(problem.message)
    return errors


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def trip_length(start: date, end: date) -> relativedelta:
    """How long a stay from `start` to `end` lasts, in calendar months and days."""
    return relativedelta(end, start)


def length_label(start: date, end: date) -> str:
    """A stay's length as a reader says it: "3 months", "4 months and 1 day", "12 days"."""
    length = trip_length(start, end)
    months = length.years * 12 + length.months
    month_part = ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    day_part = ngettext("%(count)d day", "%(count)d days", length.days) % {"count": length.days}
    if months and length.days:
        return _("%(months)s and %(days)s") % {"months": month_part, "days": day_part}
    return month_part if months else day_part


def lasts_more_than_months(start: date, end: date, months: int) -> bool:
    """Whether a stay from `start` to `end` lasts more than `months` calendar months: ending exactly `months`
    months after it starts is not more; a day later is."""
    return end > start + relativedelta(months=months)


def _document_missing(document_types: Collection[str], needed: str) -> Problem | None:
    if needed in document_types:
        return None
    return Problem(
        "documents",
        _("Attach the supporting document of this category: “%(type)s”.") % {"type": DocumentType(needed).label},
    )


def _dates_problems(abroad_from: date | None, abroad_until: date | None, *, trip: bool) -> list[Problem]:
    """The dates abroad: both given, the end after the start (of a business trip, or else of an exchange)."""
    problems: list[Problem] = []
    if abroad_from is None:
        message = _("Give the date the business trip starts.") if trip else _("Give the date the stay abroad starts.")
        problems.append(Problem("abroad_from", message))
    if abroad_until is None:
        message = _("Give the date the business trip ends.") if trip else _("Give the date the stay abroad ends.")
        problems.append(Problem("abroad_until", message))
    if abroad_from is not None and abroad_until is not None and abroad_until <= abroad_from:
        values = {"until": _day(abroad_until), "from": _day(abroad_from)}
        if trip:
            message = _("The business trip ends on %(until)s, which is not after its start on %(from)s.") % values
        else:
            message = _("The stay abroad ends on %(until)s, which is not after its start on %(from)s.") % values
        problems.append(Problem("abroad_until", message))
    return problems


def eligibility_problems(
    *,
    category: str,
    programme_code: str = "",
    programme_shortened: bool = False,
    shortened_basis: str = "",
    disability: str = "",
    bolashak: bool = False,
    form_of_study: str = "",
    host_institution: str = "",
    host_country: str = "",
    abroad_from: date | None = None,
    abroad_until: date | None = None,
    document_types: Collection[str] = (),
) -> list[Problem]:
    """Every reason why a student does not belong to `category` (rule 10), each with its own message; an empty
    list means they do. The facts come from the student's record (disability, Bolashak, form of study), their
    programme (shortened, on which basis) and the application (host, dates abroad, the types of the attached
    documents)."""
    problems: list[Problem] = []
    if category not in Category.values:
        return [Problem("category", _("Choose one of the five categories of rule 10."))]
    if category == Category.SHORTENED:
        if not programme_shortened:
            problems.append(
                Problem(
                    "category",
                    _(
                        "Your programme %(code)s is not a shortened programme: this category is for students of a "
                        "programme shortened on the basis of TVET, post-secondary or higher education."
                    )
                    % {"code": programme_code},
                )
            )
        elif shortened_basis not in ShortenedBasis.values:
            problems.append(
                Problem(
                    "category",
                    _(
                        "Your programme %(code)s is shortened, but not on the basis of TVET, post-secondary or "
                        "higher education: it does not give this category."
                    )
                    % {"code": programme_code},
                )
            )
    elif category == Category.DISABILITY:
        if not disability:
            problems.append(
                Problem(
                    "category",
                    _(
                        "Your student record holds no disability: the registrar's office records it from the "
                        "certificate before you can apply in this category."
                    ),
                )
            )
    elif category == Category.EXCHANGE:
        if bolashak:
            problems.append(
                Problem(
                    "category",
                    _(
                        "Bolashak scholars are excluded by rule 10: a student abroad on the Bolashak scholarship "
                        "cannot study by DLT as an exchange student."
                    ),
                )
            )
        if not host_institution.strip():
            problems.append(Problem("host_institution", _("Name the host institution of the exchange programme.")))
        if not host_country.strip():
            problems.append(Problem("host_country", _("Name the country of the host institution.")))
        problems += _dates_problems(abroad_from, abroad_until, trip=False)
    elif category == Category.MILITARY:
        if form_of_study != FormOfStudy.CORRESPONDENCE:
            label = FormOfStudy(form_of_study).label if form_of_study in FormOfStudy.values else form_of_study
            problems.append(
                Problem(
                    "category",
                    _(
                        "Students called up for military service study by DLT only in correspondence "
                        "(extramural) study; your form of study is “%(form)s”."
                    )
                    % {"form": label},
                )
            )
    elif category == Category.BUSINESS_TRIP:
        dates = _dates_problems(abroad_from, abroad_until, trip=True)
        problems += dates
        if (
            not dates
            and abroad_from is not None
            and abroad_until is not None
            and not lasts_more_than_months(abroad_from, abroad_until, BUSINESS_TRIP_MIN_MONTHS)
        ):
            problems.append(
                Problem(
                    "abroad_until",
                    _(
                        "The business trip from %(from)s to %(until)s lasts %(length)s: this category is for a "
                        "business trip abroad of more than %(months)d months."
                    )
                    % {
                        "from": _day(abroad_from),
                        "until": _day(abroad_until),
                        "length": length_label(abroad_from, abroad_until),
                        "months": BUSINESS_TRIP_MIN_MONTHS,
                    },
                )
            )
    missing = _document_missing(document_types, CATEGORY_DOCUMENT[category])
    if missing is not None:
        problems.append(missing)
    return problems


def period_problems(*, starts_on: date | None, ends_on: date | None, today: date | None = None) -> list[Problem]:
    """The DLT period: both dates, the end after the start, and (when `today` is given: at submission) a start
    that is not in the past."""
    problems: list[Problem] = []
    if starts_on is None:
        problems.append(Problem("starts_on", _("Give the date you ask to study by DLT from.")))
    elif today is not None and starts_on < today:
        problems.append(
            Problem(
                "starts_on",
                _("The period starts on %(date)s, which has passed: choose today or a later date.")
                % {"date": _day(starts_on)},
            )
        )
    if ends_on is None:
        problems.append(Problem("ends_on", _("Give the date you ask to study by DLT until.")))
    if starts_on is not None and ends_on is not None and ends_on <= starts_on:
        problems.append(
            Problem(
                "ends_on",
                _("The period ends on %(until)s, which is not after its start on %(from)s.")
                % {"until": _day(ends_on), "from": _day(starts_on)},
            )
        )
    return problems


def dlt_types_problems(dlt_types: Collection[str]) -> list[Problem]:
    """At least one DLT type, each one of rule 2's (TV, network, case)."""
    if not dlt_types:
        return [Problem("dlt_types", _("Choose at least one DLT type: TV, network or case technology."))]
    unknown = sorted(set(dlt_types) - set(DltType.values))
    if unknown:
        return [Problem("dlt_types", _("Unknown DLT type: %(types)s.") % {"types": ", ".join(unknown)})]
    return []


def application_problems(
    *,
    justification: str,
    dlt_types: Collection[str],
    starts_on: date | None,
    ends_on: date | None,
    document_count: int,
    today: date | None = None,
) -> list[Problem]:
    """What every application needs before it is submitted (rule 11): a reasoned justification, at least one
    DLT type, the period, and at least one supporting document."""
    problems: list[Problem] = []
    if not justification.strip():
        problems.append(Problem("justification", _("Write the justification: why you ask to study by DLT.")))
    problems += dlt_types_problems(dlt_types)
    problems += period_problems(starts_on=starts_on, ends_on=ends_on, today=today)
    if document_count < 1:
        problems.append(Problem("documents", _("Attach at least one supporting document.")))
    return problems
