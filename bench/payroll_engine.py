"""Benchmark of the payroll engine: calculations and inverse solves per second.

Run from the repository root:

    python bench/payroll_engine.py [--calculations 50000] [--solves 2000] [--profile]

It builds varied inputs (every pay frequency, year-to-date from real
preceding periods, claims, pension, lump sums on one pay in ten, co-op
rates), then times one process doing :func:`calculate`, then
:func:`gross_for_budget` and :func:`gross_for_net`. The target is 10 000
calculations per second. Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maille.payroll.engine import (
    EmployerRates,
    FssSector,
    PayInput,
    calculate,
    gross_for_budget,
    gross_for_net,
    load_params,
    year_table,
)

PERIODS = (52, 53, 26, 27, 24, 12)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def varied_inputs(count: int, seed: int = 2026) -> list[PayInput]:
    """``count`` inputs; the year-to-date of each comes from a real year table."""
    rng = random.Random(seed)
    params = load_params(2026)
    # 120 salary histories, each a full year of periods with its year-to-date.
    histories: list[tuple[Decimal, list[PayInput]]] = []
    for _ in range(120):
        p = rng.choice(PERIODS)
        salary = _money(rng, 300, 12000 if p <= 27 else 5000)
        base = PayInput(periods_per_year=p, gross=salary)
        rows = year_table(base, params)
        periods = [base] + [
            dataclasses.replace(base, period=r.period + 1, ytd=r.ytd) for r in rows[:-1]
        ]
        histories.append((salary, periods))
    inputs: list[PayInput] = []
    while len(inputs) < count:
        salary, periods = rng.choice(histories)
        start = rng.choice(periods)
        inputs.append(
            dataclasses.replace(
                start,
                gross=salary + _money(rng, 0, 200),
                lump_sum=_money(rng, 100, 20000) if rng.random() < 0.1 else Decimal("0"),
                pension_contribution=_money(rng, 0, 150),
                union_dues=_money(rng, 0, 40),
                fonds_ftq=_money(rng, 0, 50) if rng.random() < 0.2 else Decimal("0"),
                federal_claim=rng.choice([None, _money(rng, 16452, 30000)]),
                quebec_claim=rng.choice([None, _money(rng, 18952, 30000)]),
                vacation_rate=rng.choice([None, Decimal("0.06")]),
                employer=EmployerRates(
                    total_payroll=_money(rng, 0, 9_000_000),
                    fss_sector=rng.choice(list(FssSector)),
                    cnesst_rate=rng.choice([None, _money(rng, 0, 5)]),
                ),
            )
        )
    return inputs


def _rate(count: int, seconds: float) -> str:
    each = seconds / count * 1e6
    return f"{count / seconds:>10,.0f} /s  ({count:,} in {seconds:.2f} s, {each:.1f} µs each)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calculations", type=int, default=50_000)
    parser.add_argument("--solves", type=int, default=2_000)
    parser.add_argument("--profile", action="store_true", help="profile the calculations")
    args = parser.parse_args()

    params = load_params(2026)
    inputs = varied_inputs(args.calculations)
    for pay in inputs[:100]:  # warm-up, and inputs are valid
        calculate(pay, params)

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    for pay in inputs:
        calculate(pay, params)
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
    print(f"calculate         {_rate(len(inputs), elapsed)}")

    rng = random.Random(7)
    solves = inputs[: args.solves]
    # A budget always covers the lump sum of the period and its costs.
    budgets = [pay.lump_sum * 2 + _money(rng, 0, 15000) for pay in solves]
    start = time.perf_counter()
    for pay, budget in zip(solves, budgets, strict=True):
        gross_for_budget(budget, pay, params)
    print(f"gross_for_budget  {_rate(len(solves), time.perf_counter() - start)}")

    wishes = [_money(rng, 0, 8000) for _ in solves]
    start = time.perf_counter()
    for pay, wish in zip(solves, wishes, strict=True):
        gross_for_net(wish, pay, params)
    print(f"gross_for_net     {_rate(len(solves), time.perf_counter() - start)}")

    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
