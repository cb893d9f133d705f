from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.accounts.api import Role
from qashyq.core.i18n import TrilingualName
from qashyq.core.models import TimeStampedModel


class Ownership(models.TextChoices):
    STATE = "state", _("State")
    PRIVATE = "private", _("Private")
    JOINT_STOCK = "joint_stock", _("Joint-stock company with state participation")
    INTERNATIONAL = "international", _("International")


class EducationLevel(models.TextChoices):
    TVET = "tvet", _("Technical and vocational education")
    POST_SECONDARY = "post_secondary", _("Post-secondary education")
    HIGHER = "higher", _("Higher education")
    POSTGRADUATE = "postgraduate", _("Postgraduate education")


class Institution(TrilingualName, TimeStampedModel):
    """The educational organization that runs Qashyq (one per installation)."""

    bin = models.CharField(_("BIN"), max_length=12)
    ownership = models.CharField(_("form of ownership"), max_length=20, choices=Ownership.choices)
    subordination = models.CharField(_("departmental subordination"), max_length=300)
    education_levels = models.JSONField(_("levels of education provided"), default=list)
    city_kk = models.CharField(_("city (Kazakh)"), max_length=100)
    city_ru = models.CharField(_("city (Russian)"), max_length=100, blank=True)
    licence_number = models.CharField(_("education licence number"), max_length=50)
    licence_date = models.DateField(_("education licence date"))
    licence_issuer = models.CharField(_("licence issued by"), max_length=300)
    dlt_permission_number = models.CharField(_("DLT permission number"), max_length=50, blank=True)
    dlt_permission_date = models.DateField(_("DLT permission date"), null=True, blank=True)
    dlt_permission_valid_until = models.DateField(_("DLT permission valid until"), null=True, blank=True)
    order_number_suffix = models.CharField(_("suffix of order numbers"), max_length=20, default="ОД")

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")


class UnitKind(models.TextChoices):
    DLT_UNIT = "dlt_unit", _("DLT unit")
    ADMINISTRATION = "administration", _("Learning-process administration service")
    DIDACTICS = "didactics", _("Didactic-means development service")
    IT_SUPPORT = "it_support", _("Information and technical support service")
    FACULTY = "faculty", _("Faculty")
    DEPARTMENT = "department", _("Department")
    OTHER = "other", _("Other unit")


class Unit(TrilingualName, TimeStampedModel):
    """A structural unit: the DLT unit and its three services, faculties, departments (rule 15)."""

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("structural unit")
        verbose_name_plural = _("structural units")
        ordering = ["kind", "name_kk"]


class Position(TrilingualName, TimeStampedModel):
    """A post in a unit; holding it grants a role (R13), e.g. the administration service's methodologist."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    grants_role = models.CharField(_("role it grants"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    @property
    def grants_role_label(self) -> str:
        """The translated name of the role the position grants ("" for none)."""
        return str(Role(self.grants_role).label) if self.grants_role in Role.values else ""


class StaffMember(TimeStampedModel):
    """A person holding a position, from a date and possibly until one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_positions")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holders")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="staff_member_end_after_start",
            )
        ]
