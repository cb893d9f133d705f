from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Funding(models.TextChoices):
    STATE_GRANT = "state_grant", _("State educational grant")
    PAID = "paid", _("Paid by the student")
    EMPLOYER = "employer", _("Paid by an employer")


class Disability(models.TextChoices):
    NONE = "", _("None")
    GROUP_1 = "group_1", _("Disability group I")
    GROUP_2 = "group_2", _("Disability group II")
    GROUP_3 = "group_3", _("Disability group III")
    SINCE_CHILDHOOD = "since_childhood", _("Disabled since childhood")
    TEMPORARY = "temporary", _("Temporary health limitation")


class StudentStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Studying")
    ACADEMIC_LEAVE = "academic_leave", _("On academic leave")
    EXPELLED = "expelled", _("Expelled")
    GRADUATED = "graduated", _("Graduated")


class OrderKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    TRANSFER = "transfer", _("Transfer")
    REINSTATEMENT = "reinstatement", _("Reinstatement")
    EXPULSION = "expulsion", _("Expulsion")
    ACADEMIC_LEAVE = "academic_leave", _("Academic leave")
    RETURN_FROM_LEAVE = "return_from_leave", _("Return from academic leave")
    DLT = "dlt", _("Study by distance learning technologies")
    CANCELLATION = "cancellation", _("Cancellation of an order")


class DltType(models.TextChoices):
    """The three DLT types of rule 2 (R4): a DLT order states one of them for each student."""

    TV = "tv", _("TV technology")
    NETWORK = "network", _("Network technology")
    CASE = "case", _("Case technology")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    CANCELLED = "cancelled", _("Cancelled")


class ExpulsionReason(models.TextChoices):
    OWN_WISH = "own_wish", _("At the student's own request")
    ACADEMIC_FAILURE = "academic_failure", _("Academic failure")
    NON_PAYMENT = "non_payment", _("Breach of the tuition contract")
    DISCIPLINE = "discipline", _("Breach of the internal rules")
    TRANSFER_OUT = "transfer_out", _("Transfer to another institution")
    GRADUATION = "graduation", _("Completion of studies")
    OTHER = "other", _("Other reason")


@dataclass(frozen=True)
class StudentData:
    """A student's record as other apps see it. `iin` is the full number and `disability` is
    sensitive: a caller shows them only to whom records.permissions allows (can_see_iin,
    can_see_disability)."""

    id: int
    user_id: int | None
    iin: str
    last_name: str
    first_name: str
    patronymic: str
    name_latin: str
    full_name: str
    birth_date: date
    sex: str
    programme_id: int
    group_id: int | None
    form_of_study: str
    language: str
    funding: str
    bolashak: bool
    disability: str
    status: str
    course_year: int


@dataclass(frozen=True)
class OrderData:
    """A contingent order as other apps see it."""

    id: int
    kind: str
    status: str
    number_label: str
    order_date: date | None
    effective_date: date
    title_kk: str
    title_ru: str
    signed_by_id: int | None
    # Filled by `order_detail` / `order_list` (records.api); the defaults elsewhere.
    basis_kk: str = ""
    basis_ru: str = ""
    status_label: str = ""
    created_at: datetime | None = None
    signed_at: datetime | None = None
    prepared_by_name: str = ""
    signed_by_name: str = ""
    student_count: int = 0


@dataclass(frozen=True)
class OrderItemData:
    """One student of an order and what the order does to them (`changes`, as stored)."""

    id: int
    order_id: int
    student_id: int
    position: int
    changes: dict[str, Any]
