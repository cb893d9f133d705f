"""Names users create are stored in three languages (docs/decisions/0004-multilingual-names.md)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_ORDER = ("kk", "ru", "en")


class TrilingualName(models.Model):
    """name_kk, name_ru, name_en and `name`: the one of the active language, else the first filled."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


def localized(obj: object, field: str, language: str | None = None) -> str:
    """obj.<field>_<language>, falling back through kk, ru, en to the first that is filled."""
    language = (language or translation.get_language() or "kk")[:2]
    for code in (language, *LANGUAGE_ORDER):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
