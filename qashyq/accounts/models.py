from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from qashyq.core.iin import validate_iin


class User(AbstractUser):
    """A person who signs in. Roles are groups (`accounts.data.Role`)."""

    # Unique, or none at all (students without e-mail sign in by username).
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)  # type: ignore[assignment]
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, unique=True, null=True, blank=True, validators=[validate_iin])
    language = models.CharField(_("interface language"), max_length=8, blank=True)
    high_contrast = models.BooleanField(_("high contrast"), default=False)
    large_text = models.BooleanField(_("larger text"), default=False)
    # Raised whenever the user's groups (roles) change (receivers.on_groups_changed): a session keeps the
    # roles it read with the version they had (accounts/sessions.py), so a request needs no roles query.
    roles_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("view_student_dashboard", "Can open the student dashboard"),
            ("view_teacher_dashboard", "Can open the teacher dashboard"),
            ("view_tutor_dashboard", "Can open the tutor dashboard"),
            ("view_administration_dashboard", "Can open the administration service dashboard"),
            ("view_didactics_dashboard", "Can open the didactic-means service dashboard"),
            ("view_it_support_dashboard", "Can open the IT support dashboard"),
            ("view_head_dashboard", "Can open the head's dashboard"),
            ("manage_roles", "Can grant and revoke roles"),
        ]

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p) or self.get_username()
