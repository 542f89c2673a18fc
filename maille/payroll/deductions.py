"""Deductions after tax: amounts apps above payroll withhold from a net pay.

The engine computes a pay's taxes and contributions; some amounts are then
withheld from what is left — share instalments deducted from pay (governance,
Cooperatives Act s. 40 and the by-laws). They change neither the gross, the
taxable income, the slips' boxes nor the total cost: only the net paid to the
bank. The engine's figures therefore stay what the official calculators give;
the payslip stores the engine's net minus these lines (``Payslip.net`` is what
the member receives, ``after_tax_deductions`` their sum, ``after_tax_lines``
each line with its label in every language).

Apps above payroll register a provider from their ``AppConfig.ready`` with
``deduction_provider_register`` (payroll never imports them). A provider

- says what is due on a pay date for a run's members in bulk
  (``deductions_due``: one or two queries for a thousand members, not one per
  member). The amount of a key is everything due on it by that date, arrears
  included: what one pay could not withhold is asked again by the next;
- is told what was withheld once the payslips are posted
  (``deductions_withheld``, in the posting's transaction: both commit or
  neither), and posts its own entry clearing *Other payroll deductions
  payable* 2230 — the payslip's entry credited it;
- is told when a payslip is reversed (``deductions_reversed``, in the
  reversal's transaction) and undoes what it recorded.

Withholding never makes the net negative: the lines are taken in order
(providers by name, then as each gives them), each at most what is left of
the net; the rest waits for the next pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.utils import translation

from maille.core.money import ZERO

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from maille.core.models import User
    from maille.payroll.models import Payslip


@dataclass(frozen=True, slots=True)
class Deduction:
    """What a provider asks to withhold from one member's net pay."""

    key: str  #: the provider's id of the obligation, e.g. ``governance:shares:member:12``
    label: _StrOrPromise  #: a lazy translation, stored in every language
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Withheld:
    """What one posted payslip withheld for one of a provider's keys."""

    payslip: Payslip
    key: str
    amount: Decimal


class DeductionProvider(Protocol):
    def deductions_due(
        self, *, member_ids: Sequence[int], pay_date: dt.date
    ) -> Mapping[int, Sequence[Deduction]]:
        """What is due by ``pay_date``, by member (members owing nothing left out)."""
        ...

    def deductions_withheld(
        self, *, withheld: Sequence[Withheld], acting_user: User | None
    ) -> None:
        """These payslips were posted with these amounts withheld: record them (idempotent)."""
        ...

    def deductions_reversed(
        self, *, payslip: Payslip, withheld: Sequence[Withheld], date: dt.date, acting_user: User
    ) -> None:
        """This payslip was reversed: undo what its withholding recorded."""
        ...


_providers: dict[str, DeductionProvider] = {}


def deduction_provider_register(name: str, provider: DeductionProvider) -> None:
    """Let an app above payroll withhold from net pays (idempotent by name)."""
    _providers[name] = provider


def deductions_due(
    member_ids: Sequence[int], pay_date: dt.date
) -> dict[int, list[tuple[str, Deduction]]]:
    """Every provider's deductions due on ``pay_date``, by member, with the provider's name."""
    out: dict[int, list[tuple[str, Deduction]]] = {}
    if not member_ids:
        return out
    for name in sorted(_providers):
        for member_id, lines in (
            _providers[name].deductions_due(member_ids=member_ids, pay_date=pay_date).items()
        ):
            out.setdefault(member_id, []).extend((name, d) for d in lines if d.amount > 0)
    return out


def _labels(label: _StrOrPromise) -> dict[str, str]:
    out = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out[code] = str(label)
    return out


def withhold(net: Decimal, due: Sequence[tuple[str, Deduction]]) -> list[dict[str, Any]]:
    """The lines a payslip withholds from the engine's ``net``, in order, each at
    most what is left of it (never a negative net). Amounts as strings (JSON)."""
    left = max(net, ZERO)
    lines = []
    for provider, deduction in due:
        amount = min(deduction.amount, left)
        if amount <= 0:
            continue
        left -= amount
        lines.append(
            {
                "provider": provider,
                "key": deduction.key,
                "label": _labels(deduction.label),
                "amount": str(amount),
            }
        )
    return lines


def lines_total(lines: Sequence[Mapping[str, Any]]) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines), ZERO)


def line_label(line: Mapping[str, Any], language: str | None = None) -> str:
    """A stored line's label in ``language`` (the active one by default), French otherwise."""
    labels: Mapping[str, str] = line.get("label") or {}
    code = (language or translation.get_language() or "fr")[:2]
    return labels.get(code) or labels.get("fr") or str(line.get("key", ""))


def _by_provider(payslips: Sequence[Payslip]) -> dict[str, list[Withheld]]:
    out: dict[str, list[Withheld]] = {}
    for payslip in payslips:
        for line in payslip.after_tax_lines or []:
            out.setdefault(line["provider"], []).append(
                Withheld(payslip=payslip, key=line["key"], amount=Decimal(line["amount"]))
            )
    return out


def payslips_withheld(payslips: Sequence[Payslip], acting_user: User | None) -> None:
    """Tell each provider what these just-posted payslips withheld for it."""
    for name, withheld in _by_provider(payslips).items():
        provider = _providers.get(name)
        if provider is None:
            raise LookupError(f"no deduction provider {name!r} for a payslip's line")
        provider.deductions_withheld(withheld=withheld, acting_user=acting_user)


def payslip_reversed(*, payslip: Payslip, date: dt.date, acting_user: User) -> None:
    """Tell each provider whose lines this reversed payslip carried."""
    for name, withheld in _by_provider([payslip]).items():
        provider = _providers.get(name)
        if provider is None:
            raise LookupError(f"no deduction provider {name!r} for a payslip's line")
        provider.deductions_reversed(
            payslip=payslip, withheld=withheld, date=date, acting_user=acting_user
        )
