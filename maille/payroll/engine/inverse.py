"""Inverse calculations: the gross pay that fits a budget, or that gives a net pay.

In the co-op an activity's budget is converted into salary: the largest
regular gross pay ``g`` such that

    total_cost(g) = g + lump sum + vacation pay + all employer contributions <= budget

and one more cent of gross would exceed the budget. Every other input (lump
sum, year-to-date, claims, co-op rates) is taken from the given
:class:`PayInput`; only ``gross`` varies, so the year-to-date maxima are
respected exactly as in the forward calculation.

Algorithm: a bracketing estimate from the marginal rates (budget divided by
1 + vacation rate and the employer rates), widened until it brackets the
answer, then a binary search on integer cents using the forward calculation
itself. ``total_cost`` is non-decreasing in the gross (each employer
contribution is a rounded non-decreasing function of the pay) and rises by at
least a cent per cent of gross, so the binary search is exact.

Net pay is not monotone at the cent: several amounts rounded separately can
each gain a cent when the gross gains one. :func:`gross_for_net` therefore
finds the boundary by binary search (``net(g) >= wished`` and
``net(g - 0.01) < wished``), then walks down from it while the net is still
within rounding noise of the wish, keeping the smallest gross that reaches it.
Below that, the net of regular pay only falls (the marginal deduction rate is
well under 100 %), so the result is the smallest such gross. With a lump sum
in the same period the 7 % / 10 % small-income rules can make the net jump by
more than the noise; the boundary property still holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from .calc import calculate_unchecked, fss_rate
from .errors import PayrollInputError
from .model import PayInput, PayResult
from .params import Params
from .rounding import CENT, ZERO
from .validation import input_problems

#: Walking down from the boundary stops once the net is this far below the wish:
#: well above the sum of the half-cent roundings of six amounts plus the
#: 0.01 minimum of three contributions.
_NET_NOISE = Decimal("0.10")
_MAX_WALK_CENTS = 500
_MAX_DOUBLINGS = 60


def _validated(pay: PayInput, params: Params, wish_name: str, wish: Decimal) -> None:
    problems = input_problems(dataclasses.replace(pay, gross=ZERO), params)
    if not isinstance(wish, Decimal) or not wish.is_finite() or wish < ZERO:
        problems.append(f"{wish_name} must be a Decimal amount >= 0 (got {wish!r})")
    if problems:
        raise PayrollInputError(problems)


def _cents(amount: Decimal) -> int:
    return int((amount / CENT).to_integral_value(rounding=ROUND_CEILING))


def _at(pay: PayInput, params: Params, cents: int) -> PayResult:
    return calculate_unchecked(dataclasses.replace(pay, gross=Decimal(cents) * CENT), params)


def _first_true(ok: Callable[[int], bool], lo: int, hi: int) -> int:
    """Smallest n in (lo, hi] with ok(n), given not ok(lo) and ok(hi)."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _bracket(ok: Callable[[int], bool], estimate: int) -> tuple[int, int]:
    """(lo, hi) around the estimate with not ok(lo) and ok(hi), given not ok(0).

    The step starts at 2 % of the estimate and doubles, so a good estimate
    leaves a narrow interval for the binary search.
    """
    estimate = max(estimate, 1)
    step = max(estimate // 50, 1)
    if ok(estimate):
        hi = estimate
        lo = max(hi - step, 0)
        while ok(lo):
            hi, step = lo, step * 2
            lo = max(lo - step, 0)
        return lo, hi
    lo = estimate
    for _ in range(_MAX_DOUBLINGS):
        hi = lo + step
        if ok(hi):
            return lo, hi
        lo, step = hi, step * 2
    raise PayrollInputError(["the amount asked for is out of reach"])  # pragma: no cover


def _employer_load(pay: PayInput, params: Params) -> Decimal:
    """The sum of the marginal employer rates, for the first estimate only."""
    cnesst = pay.employer.cnesst_rate
    if cnesst is None:
        cnesst = params.cnesst.default_rate_per_100
    return (
        params.qpp.rate
        + params.ei.employee_rate * params.ei.employer_multiplier
        + params.qpip.employer_rate
        + fss_rate(params, pay.employer) / 100
        + params.cnt.rate
        + cnesst / 100
    )


def gross_for_budget(budget: Decimal, pay: PayInput, params: Params) -> PayResult:
    """The result for the largest gross whose total cost fits in ``budget``.

    ``pay.gross`` is ignored. Raise :class:`PayrollInputError` if even a zero
    gross (the lump sum and its costs alone) exceeds the budget.
    """
    _validated(pay, params, "budget", budget)

    def fits(cents: int) -> bool:
        return _at(pay, params, cents).total_cost <= budget

    if not fits(0):
        raise PayrollInputError(
            [f"budget {budget} does not cover the lump sum and its costs with a zero gross"]
        )
    rate = pay.vacation_rate if pay.vacation_rate is not None else params.vacation.default_rate
    load = (1 + rate) * (1 + _employer_load(pay, params))
    estimate = _cents((budget - pay.lump_sum) / load)

    def exceeds(cents: int) -> bool:
        return not fits(cents)

    # Largest fitting gross = smallest exceeding gross − 1 cent.
    best = _first_true(exceeds, *_bracket(exceeds, estimate)) - 1
    return _at(pay, params, best)


def gross_for_net(net: Decimal, pay: PayInput, params: Params) -> PayResult:
    """The result for the smallest gross whose net pay is at least ``net``.

    ``pay.gross`` is ignored. A wished net the deductions fixed in ``pay``
    (pension, union dues, lump sum) already give at zero gross returns a zero
    gross.
    """
    _validated(pay, params, "net", net)

    def reaches(cents: int) -> bool:
        return _at(pay, params, cents).net >= net

    if reaches(0):
        return _at(pay, params, 0)
    # Deductions on a modest salary are about a third of the gross.
    estimate = _cents((net - pay.lump_sum) * Decimal("1.5"))
    best = _first_true(reaches, *_bracket(reaches, estimate))
    # Walk down past the rounding noise for a smaller gross that also reaches it.
    floor = net - _NET_NOISE
    cents = best - 1
    while cents >= 0 and best - cents <= _MAX_WALK_CENTS:
        result = _at(pay, params, cents)
        if result.net >= net:
            best = cents
        elif result.net < floor:
            break
        cents -= 1
    return _at(pay, params, best)
