"""The year table: every pay period of the year, each fed the year-to-date of the previous.

It lets a person watch the annual maxima being reached (QPP in period 19 of
a 4 000 $ biweekly salary, QPP2 then, EI, QPIP) and the tax change with them,
as in the worked examples of TP-1015.F 2026 (annexes 1 and 3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .calc import calculate
from .model import PayInput, PayResult
from .params import Params


def year_table(
    pay: PayInput,
    params: Params,
    *,
    adjust: Callable[[PayInput], PayInput] | None = None,
) -> list[PayResult]:
    """Results for periods ``pay.period`` to ``pay.periods_per_year``.

    Each period starts from ``pay`` with its period number and the
    year-to-date after the previous period (the first uses ``pay.ytd``).
    ``adjust`` may change a period's input (a bonus in period 20, share
    purchases that stop after period 20); it receives the input with period
    and year-to-date already set.
    """
    results: list[PayResult] = []
    ytd = pay.ytd
    for period in range(pay.period, pay.periods_per_year + 1):
        current = dataclasses.replace(pay, period=period, ytd=ytd)
        if adjust is not None:
            current = adjust(current)
        result = calculate(current, params)
        results.append(result)
        ytd = result.ytd
    return results
