from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.core.models import TimeStampedModel


class Document(TimeStampedModel):
    """An issued PDF (order, extract, plan...) that anyone holding a copy can verify by its code."""

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issuer = models.CharField(_("issued by (institution)"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on"))
    language = models.CharField(_("language"), max_length=8)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["target_type", "target_id"], name="documents_target_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.verification_code})"
