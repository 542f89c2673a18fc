from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from maille.collection.models import DunningPolicy, DunningStep, LegalParameters


class DunningStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DunningStep
    extra = 0


@admin.register(DunningPolicy)
class DunningPolicyAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
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
class LegalParametersAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = (
        "valid_from",
        "legal_interest_rate",
        "small_claims_ceiling",
        "small_claims_max_employees",
        "prescription_years",
    )
