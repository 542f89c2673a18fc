from django.contrib import admin

from maille.collection.models import DunningPolicy, DunningStep, LegalParameters
from maille.core.admin_tools import SafeHistoryAdmin


class DunningStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DunningStep
    extra = 0


@admin.register(DunningPolicy)
class DunningPolicyAdmin(SafeHistoryAdmin):
    list_display = (
        "valid_from",
        "run_at",
        "contact_from",
        "contact_until",
        "interest_to_activity",
        "source",
    )
    inlines = [DunningStepInline]


@admin.register(LegalParameters)
class LegalParametersAdmin(SafeHistoryAdmin):
    list_display = (
        "valid_from",
        "legal_interest_rate",
        "small_claims_ceiling",
        "small_claims_max_employees",
        "prescription_years",
    )
