from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.core import collation
from qashyq.core.iin import validate_iin
from qashyq.core.models import TimeStampedModel
from qashyq.records.data import Disability, Funding, OrderKind, OrderStatus, Sex, StudentStatus


class Student(TimeStampedModel):
    """A student's record in the contingent database (rule 9). Changed only by orders in force."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="student"
    )
    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=300, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="KZ")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    programme = models.ForeignKey("academics.Programme", on_delete=models.PROTECT, related_name="students")
    group = models.ForeignKey(
        "academics.StudyGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="students"
    )
    form_of_study = models.CharField(_("form of study"), max_length=20)
    language = models.CharField(_("language of instruction"), max_length=2)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    bolashak = models.BooleanField(_("Bolashak scholar"), default=False)
    disability = models.CharField(_("disability"), max_length=20, blank=True, choices=Disability.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.APPLICANT
    )
    course_year = models.PositiveSmallIntegerField(_("course year"), default=1)
    # Lower-case names in Cyrillic and in plain Latin letters, kept by the services that write names:
    # the search "in any script" that is case-insensitive on SQLite too (its LIKE folds ASCII only).
    search_text = models.CharField(max_length=1000, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "id"]
        # The list is in name order: one index for it alone and one per filter, each ending in the whole
        # ordering, so a page is read from an index instead of sorting every match (docs/benchmarks.md).
        # PostgreSQL also has a trigram index on search_text (migration 0003).
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="student_name_order_idx"),
            models.Index(fields=["status", "last_name", "first_name", "id"], name="student_status_order_idx"),
            models.Index(fields=["group", "last_name", "first_name", "id"], name="student_group_order_idx"),
            models.Index(fields=["programme", "last_name", "first_name", "id"], name="student_programme_order_idx"),
            models.Index(fields=["form_of_study", "last_name", "first_name", "id"], name="student_form_order_idx"),
            models.Index(fields=["programme", "status"], name="student_programme_idx"),
            models.Index(fields=["name_latin"], name="student_latin_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def name_key(self) -> tuple:
        """Where the student stands in a list by name, in the Kazakh alphabet (core.collation)."""
        return collation.name_key(self.last_name, self.first_name, self.patronymic)


class OrderNumberCounter(models.Model):
    """The last order number given in a year: orders are numbered without gaps or duplicates."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Order(TimeStampedModel):
    """A contingent order of the head. Drafted by the administration service, signed by the head,
    in force on its effective date; a signed order is never edited, only cancelled by another order."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrderKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_label = models.CharField(_("number"), max_length=30, blank=True)  # "137-ОД", set at signing
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500)
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    basis_kk = models.TextField(_("basis (Kazakh)"), blank=True)
    basis_ru = models.TextField(_("basis (Russian)"), blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    effective_date = models.DateField(_("in force from"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    cancels = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancelled_by")

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="order_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(number__isnull=False, signed_by__isnull=False),
                name="order_signed_has_number_and_signer",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_date"], name="order_due_idx")]

    def __str__(self) -> str:
        return self.number_label or str(_("draft"))


class OrderItem(TimeStampedModel):
    """One student in an order, with what the order does to them (`changes`) and, once applied,
    what the record held before (`before`): the student's history is the list of their items."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="items")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="order_items")
    position = models.PositiveSmallIntegerField(default=1)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")
        ordering = ["order", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "student"], name="order_item_student_unique")]
