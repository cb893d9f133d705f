from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the rules (glossary codes). A user may hold several."""

    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    TUTOR = "tutor", _("Tutor")
    ADMINISTRATION = "administration", _("Learning-process administration service")
    DIDACTICS = "didactics", _("Didactic-means development service")
    IT_SUPPORT = "it_support", _("Information and technical support service")
    HEAD = "head", _("Head of the organization")


if TYPE_CHECKING:
    from qashyq.accounts.models import User


class AuthedRequest(HttpRequest):
    """For type checking only: the request of a view behind login_required, whose user is an account."""

    user: "User"
