from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qashyq.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from qashyq.accounts import receivers, services

        receivers.connect()
        # Roles are groups with permission sets; they are (re)made after every migrate and flush.
        post_migrate.connect(services.roles_sync_after_migrate, sender=self)
