from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from qashyq.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Roles are read-only here: they change on the audited roles page (accounts:user_roles)."""

    readonly_fields = ("groups", "user_permissions", "last_login", "date_joined")
    list_display = ("username", "email", "last_name", "first_name", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("last_name", "first_name", "patronymic", "email", "iin")}),
        (_("Preferences"), {"fields": ("language", "high_contrast", "large_text")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
