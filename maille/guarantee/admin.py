"""The guarantee policy in the admin: admins add and change it (history kept); staff read it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from maille.guarantee import rules
from maille.guarantee.models import ClientExclusion, GuaranteePolicy


class _AdminsOnly(SimpleHistoryAdmin):  # type: ignore[misc]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a policy is history: add a newer one instead

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


@admin.register(GuaranteePolicy)
class GuaranteePolicyAdmin(_AdminsOnly):
    list_display = (
        "valid_from",
        "delay_working_days",
        "advance_share",
        "client_limit",
        "member_limit",
        "coverage_floor",
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class PolicyForm(form):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                problems = rules.policy_problems(
                    valid_from=data.get("valid_from"),
                    delay_working_days=data.get("delay_working_days"),
                    advance_share=data.get("advance_share"),
                    client_limit=data.get("client_limit"),
                    member_limit=data.get("member_limit"),
                    coverage_floor=data.get("coverage_floor"),
                    risk_watch_on_time=data.get("risk_watch_on_time") or Decimal(0),
                    risk_risky_on_time=data.get("risk_risky_on_time") or Decimal(0),
                    risk_watch_days_late=data.get("risk_watch_days_late") or 0,
                    risk_risky_days_late=data.get("risk_risky_days_late") or 0,
                )
                if problems:
                    raise ValidationError(
                        {f: messages for f, messages in problems.items() if f in self.fields}
                        or [m for ms in problems.values() for m in ms]
                    )
                return data

        return PolicyForm


@admin.register(ClientExclusion)
class ClientExclusionAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("client", "reason", "excluded_on", "lifted_on")
    readonly_fields = ("created_by",)
