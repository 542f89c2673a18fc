"""System checks: the co-op's registration numbers must be valid before any invoice goes out."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from maille.contracts.coop import coop_registration_problems


@register()
def coop_registration_numbers(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(
            problem,
            hint="Set MAILLE_COOP_GST_NUMBER / MAILLE_COOP_QST_NUMBER.",
            id="invoicing.E001",
        )
        for problem in coop_registration_problems()
    ]
