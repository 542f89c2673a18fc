"""The guarantee policy in the admin: admins add and change it (history kept); staff read it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from maille.core.admin_tools import AdminsEditAdmin, SafeHistoryAdmin
from maille.guarantee import rules
from maille.guarantee.models import ClientExclusion, GuaranteePolicy


@admin.register(GuaranteePolicy)
class GuaranteePolicyAdmin(AdminsEditAdmin):  # a policy is history: add a newer one
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
class ClientExclusionAdmin(SafeHistoryAdmin):
    list_display = ("client", "reason", "excluded_on", "lifted_on")
    readonly_fields = ("created_by",)
