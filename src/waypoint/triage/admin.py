from django.contrib import admin
from django.utils import timezone

from waypoint.triage.models import SymptomReport, WorkerHeartbeat


@admin.register(SymptomReport)
class SymptomReportAdmin(admin.ModelAdmin[SymptomReport]):
    """Read-only, and without names or symptoms: admins watch that the response clock works (a
    report marked nobody reachable means the escalation chain ran out of people); clinicians act
    on reports in the triage pages, where every read is audited."""

    list_display = (
        "id",
        "team",
        "level",
        "status",
        "received_at",
        "respond_by",
        "escalation_step",
        "nobody_reachable",
    )
    list_filter = (
        "status",
        "level",
        ("nobody_reachable_at", admin.EmptyFieldListFilter),
        "team",
    )
    fields = (
        "id",
        "team",
        "source",
        "level",
        "rules_version",
        "thresholds_fingerprint",
        "status",
        "received_at",
        "respond_by",
        "acknowledged_at",
        "escalation_step",
        "next_escalation_at",
        "nobody_reachable_at",
    )
    readonly_fields = fields
    list_select_related = ("team",)
    ordering = ("-received_at",)

    @admin.display(description="Nobody reachable", ordering="nobody_reachable_at")
    def nobody_reachable(self, obj: SymptomReport) -> str:
        if obj.nobody_reachable_at is None:
            return "–"
        return (
            f"Nobody reachable since {timezone.localtime(obj.nobody_reachable_at):%d %b %Y %H:%M}"
        )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    """Each running worker and when it last finished a pass: read-only, written by the workers.
    A failed job shows here by name and kind; its traceback is in the worker's log."""

    list_display = (
        "worker_id",
        "host",
        "pid",
        "started_at",
        "last_pass_at",
        "passes",
        "job_failures",
        "last_error",
        "last_error_at",
    )
    fields = list_display
    readonly_fields = list_display
    ordering = ("-last_pass_at",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
