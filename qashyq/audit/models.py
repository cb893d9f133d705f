from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One entry of the append-only, hash-chained audit ledger (rule 28).

    The table is created and protected by this app's migrations (a trigger per database vendor
    rejects UPDATE and DELETE), not by Django's schema management: `managed = False` also keeps
    `flush` from emptying it. See docs/decisions/0002-audit-ledger.md.
    """

    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        managed = False
        db_table = "audit_event"
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"
