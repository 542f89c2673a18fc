"""``maille payroll calc``: one pay computed by the engine, on the command line.

Staff and accountants script it; it is also how the co-op checks the engine
against the official calculators (Revenu Québec's WebRAS, the CRA's PDOC)::

    maille payroll calc --year 2026 --periods 26 --gross 2500.00 --json
    maille payroll calc --periods 26 --gross 4000 --rpp 200 --tp10153 21830 --ftq 100
    maille payroll calc --periods 26 --budget 3000.00          # the gross a budget pays
    maille payroll calc --periods 26 --net 1500.00             # the gross a net pay takes
    maille payroll calc --periods 26 --gross 4000 --year-table # watch the maxima being reached
    maille payroll calc --periods 12 --gross 5000 --lang en

Defaults: the current year; 26 pays a year; the first pay of the year with
nothing paid before it; the basic personal amounts (no TD1, no TP-1015.3);
vacation pay at the year's default rate (4 %).

**The co-op's figures** (CNESST rate, total payroll and sector for the
Health Services Fund, whether the training fund applies) are the payroll
settings in force on the pay date (``EmployerPayrollSettings``, set by the
admins): ``--pay-date``, by default today, or January 1 of ``--year`` when
that is another year. ``--cnesst-rate``, ``--total-payroll`` and
``--fss-sector`` override them one by one. Without settings in the database,
the built-in defaults: the year file's CNESST rate and the Health Services
Fund rate of an employer whose total payroll is under 1 M$ (1.65 %). A year
table uses the figures of its pay date for every pay.

**Year-to-date.** Give the contributions already withheld this year with
``--ytd-qpp``, ``--ytd-qpp2``, ``--ytd-ei`` and ``--ytd-qpip`` (as WebRAS and
PDOC ask for them). The engine also needs the earnings behind them (QPP2
starts above the YMPE; CNT and CNESST stop at 103 000 $) and the employer's
QPIP premiums. Give them with ``--ytd-earnings`` (all pay this year),
``--ytd-pensionable`` (QPP pensionable earnings, if they differ) and
``--ytd-qpip-employer``. Otherwise they are estimated from the
contributions by the engine's rule (``engine.year_to_date_before_pay``, the
one pay runs use), and the output says so:

- pensionable earnings = YMPE + QPP2 / 4 % if QPP2 was withheld, else
  QPP / 6.30 % + one basic exemption per earlier pay;
- earnings = the pensionable earnings, or EI / 1.30 % or QPIP / 0.430 % if
  one of them implies more;
- employer QPIP = employee QPIP × 0.602 / 0.430, up to its maximum.

Errors (a negative amount, ``--periods 7``, ``--gross`` with ``--budget``,
a year without parameters, a year-to-date above its maximum) are printed on
stderr with exit code 2, every problem at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.core.money import babel_locale, format_money, money_str
from maille.payroll import runcli
from maille.payroll.engine import (
    ALLOWED_PERIODS_PER_YEAR,
    EmployerRates,
    FssSector,
    Params,
    PayInput,
    PayResult,
    PayrollInputError,
    PayrollParamsError,
    YearToDate,
    calculate,
    gross_for_budget,
    gross_for_net,
    load_params,
    year_table,
    year_to_date_before_pay,
)
from maille.payroll.selectors import employer_rates_on
from maille.payroll.simulator import (
    CENT,
    EMPLOYER_LABELS,
    PAY_LABELS,
    parse_amount,
    simulation_year,
)
from maille.payroll.simulator import (
    calc_json as _as_json,
)
from maille.payroll.simulator import (
    maxima_reached as _maxima_reached,
)

_HUNDRED = Decimal("100")
#: No single input of a pay is anywhere near this; it keeps the solvers' work bounded.
_MAX_AMOUNT = Decimal("100000000.00")

#: Money options of ``calc``: flag, PayInput field, help.
_PAY_AMOUNTS: tuple[tuple[str, str, str], ...] = (
    ("--bonus", "lump_sum", "bonus, retroactive pay or other lump sum paid in the period"),
    ("--rpp", "pension_contribution", "RPP/RRSP/PRPP contribution withheld from regular pay"),
    ("--bonus-rpp", "pension_contribution_on_lump_sum", "RPP/RRSP contribution on the bonus"),
    ("--union-dues", "union_dues", "union dues withheld (deductible federally)"),
    ("--ftq", "fonds_ftq", "Fonds de solidarité FTQ shares bought this period"),
    ("--fondaction", "fondaction", "Fondaction shares bought this period"),
    ("--qc-deductions", "quebec_deductions", "TP-1015.3 line 19 deductions, annual (J)"),
    ("--qc-authorized-deductions", "quebec_authorized_deductions", "TP-1016, annual (J1)"),
    ("--qc-authorized-credits", "quebec_authorized_credits", "TP-1016 credits, annual (K1)"),
    ("--fed-authorized-deductions", "federal_authorized_deductions", "annual (F1)"),
    ("--fed-authorized-credits", "federal_authorized_credits", "annual (K3)"),
    ("--extra-federal-tax", "additional_federal_tax", "additional federal tax per pay (TD1)"),
    ("--extra-quebec-tax", "additional_quebec_tax", "additional Québec tax per pay (TP-1017)"),
)
#: Year-to-date options: flag, help. ``None`` when not given.
_YTD_AMOUNTS: tuple[tuple[str, str], ...] = (
    ("--ytd-qpp", "QPP (base + first additional) withheld this year before this pay"),
    ("--ytd-qpp2", "QPP2 (second additional) withheld this year before this pay"),
    ("--ytd-ei", "EI premiums withheld this year before this pay"),
    ("--ytd-qpip", "QPIP premiums withheld this year before this pay"),
    ("--ytd-qpip-employer", "employer QPIP premiums paid this year (default: estimated)"),
    ("--ytd-earnings", "all pay this year before this pay (default: estimated)"),
    ("--ytd-pensionable", "QPP pensionable earnings this year (default: --ytd-earnings)"),
)


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


class Command(BaseCommand):
    help = "Payroll on the command line: `maille payroll calc --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        calc = actions.add_parser(
            "calc",
            help="compute one pay (or a whole year) with the payroll engine",
            usage="maille payroll calc (--gross | --budget | --net) AMOUNT [options]",
            epilog="Defaults: the current year, the first pay of the year, basic personal "
            "amounts, 4 % vacation pay, the co-op's payroll settings in force on the pay "
            "date (CNESST rate, total payroll, FSS sector; each option overrides one). "
            "Year-to-date: "
            "give the contributions withheld (--ytd-qpp, --ytd-qpp2, --ytd-ei, --ytd-qpip); "
            "the earnings behind them are estimated from them unless --ytd-earnings "
            "(and --ytd-pensionable) say them, and the estimate is printed on stderr. "
            "Errors exit with code 2.",
            description="Compute one pay with the payroll engine: source deductions, "
            "employer contributions, vacation pay, net pay and total cost. Amounts are in "
            "dollars, '2500.00' or '2 500,00'; annual figures are annual, the others per pay.",
        )
        what = calc.add_mutually_exclusive_group(required=True)
        what.add_argument("--gross", metavar="AMOUNT", help="regular gross pay of the period")
        what.add_argument(
            "--budget",
            metavar="AMOUNT",
            help="solve the largest gross whose total cost (employer contributions and "
            "vacation pay included) fits in this budget",
        )
        what.add_argument(
            "--net", metavar="AMOUNT", help="solve the smallest gross that pays this net pay"
        )
        calc.add_argument(
            "--year", type=int, help="tax year (default: the year of --pay-date, else this year)"
        )
        calc.add_argument(
            "--pay-date",
            metavar="YYYY-MM-DD",
            help="the pay date: the co-op's payroll settings in force on it apply "
            "(default: today, or January 1 of --year when that is another year)",
        )
        calc.add_argument(
            "--periods",
            type=int,
            default=26,
            choices=sorted(ALLOWED_PERIODS_PER_YEAR),
            help="pays per year (default: 26)",
        )
        calc.add_argument(
            "--period-number", type=int, default=1, metavar="N", help="which pay (default: 1)"
        )
        calc.add_argument(
            "--months",
            type=int,
            default=12,
            metavar="PM",
            help="months of the year the employee contributes to the QPP (default: 12)",
        )
        calc.add_argument("--td1", metavar="AMOUNT", help="TD1 total claim amount (federal)")
        calc.add_argument("--tp10153", metavar="AMOUNT", help="TP-1015.3 line 10 (Québec)")
        for flag, _field, text in _PAY_AMOUNTS:
            calc.add_argument(flag, metavar="AMOUNT", help=text)
        for flag, text in _YTD_AMOUNTS:
            calc.add_argument(flag, metavar="AMOUNT", help=text)
        calc.add_argument(
            "--vacation-rate",
            metavar="PERCENT",
            help="vacation pay in percent, e.g. 6 (default: the year's rate, 4)",
        )
        calc.add_argument(
            "--vacation-paid",
            action="store_true",
            help="the vacation pay is paid with each pay (taxed with it, in the net), "
            "not accrued for later",
        )
        calc.add_argument(
            "--cnesst-rate",
            metavar="RATE",
            help="CNESST rate in dollars per 100 $ of pay (default: the co-op's payroll "
            "settings, else the year's average)",
        )
        calc.add_argument(
            "--total-payroll",
            metavar="AMOUNT",
            help="the employer's total payroll, for the FSS rate and the WSDRF "
            "(default: the co-op's payroll settings, else under 1 M$)",
        )
        calc.add_argument(
            "--fss-sector",
            choices=[s.value for s in FssSector],
            help="employer sector for the Health Services Fund rate (default: the "
            "co-op's payroll settings, else general)",
        )
        calc.add_argument(
            "--year-table",
            action="store_true",
            help="every pay from --period-number to the end of the year, with the "
            "year-to-date amounts",
        )
        calc.add_argument("--json", action="store_true", help="print JSON instead of a table")
        calc.add_argument(
            "--lang", choices=["fr", "en"], default="fr", help="language of the table"
        )

        runcli.add_arguments(actions)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            if options["action"] == "run":
                runcli.handle_run(self, options)
            elif options["action"] == "bank-file":
                runcli.handle_bank_file(self, options)
            else:
                self._calc(options)

    # ------------------------------------------------------------------ calc

    def _calc(self, options: dict[str, Any]) -> None:
        problems: list[str] = []

        def amount(flag: str, *, maximum: Decimal = _MAX_AMOUNT) -> Decimal | None:
            text = options[_dest(flag)]
            if text is None:
                return None
            try:
                value = parse_amount(str(text))
            except ValueError:
                problems.append(
                    _("%(flag)s: not an amount: %(text)s") % {"flag": flag, "text": text}
                )
                return None
            if value < 0:
                problems.append(_("%(flag)s must not be negative.") % {"flag": flag})
            elif value != value.quantize(CENT):
                problems.append(_("%(flag)s: at most two decimals.") % {"flag": flag})
            elif value > maximum:
                problems.append(_("%(flag)s is too large.") % {"flag": flag})
            else:
                return value
            return None

        pay_date = _pay_date(options["pay_date"], options["year"], problems)
        year = options["year"] or (pay_date.year if pay_date else simulation_year())
        try:
            params = load_params(year)
        except PayrollParamsError as exc:
            raise CommandError(str(exc), returncode=2) from exc

        wished = {flag: amount(flag) for flag in ("--gross", "--budget", "--net")}
        fields = {field: amount(flag) for flag, field, _text in _PAY_AMOUNTS}
        ytd = {flag: amount(flag) for flag, _text in _YTD_AMOUNTS}
        federal_claim, quebec_claim = amount("--td1"), amount("--tp10153")
        total_payroll = amount("--total-payroll", maximum=Decimal("1E12"))
        vacation = amount("--vacation-rate", maximum=Decimal("99.99"))
        if vacation is not None and 0 < vacation < 1:
            problems.append(_("--vacation-rate is in percent: 4 for 4 %."))
        cnesst = amount("--cnesst-rate", maximum=_HUNDRED)
        periods, months = options["periods"], options["months"]
        if not 1 <= options["period_number"] <= periods:
            problems.append(
                _("--period-number must be between 1 and %(periods)s.") % {"periods": periods}
            )
        if not 1 <= months <= 12:
            problems.append(_("--months must be between 1 and 12."))
        if problems:
            raise CommandError("\n".join(problems), returncode=2)

        estimated: list[str] = []
        overrides: dict[str, Any] = {}
        if total_payroll is not None:
            overrides["total_payroll"] = total_payroll
        if cnesst is not None:
            overrides["cnesst_rate"] = cnesst
        if options["fss_sector"] is not None:
            overrides["fss_sector"] = FssSector(options["fss_sector"])
        employer = dataclasses.replace(
            self._employer_rates(pay_date or _default_pay_date(year)), **overrides
        )
        pay = PayInput(
            periods_per_year=periods,
            period=options["period_number"],
            gross=wished["--gross"] or Decimal("0.00"),
            federal_claim=federal_claim,
            quebec_claim=quebec_claim,
            months_of_employment=months,
            vacation_rate=None if vacation is None else vacation / _HUNDRED,
            vacation_paid=bool(options.get("vacation_paid")),
            ytd=_year_to_date(ytd, params, periods, options["period_number"], months, estimated),
            employer=employer,
            **{name: value for name, value in fields.items() if value is not None},
        )
        solve = _solver(wished["--budget"], wished["--net"], params)
        try:
            if options["year_table"]:
                results = year_table(pay, params, adjust=solve)
            else:
                results = [calculate(solve(pay) if solve else pay, params)]
        except PayrollInputError as exc:
            raise CommandError("\n".join(exc.problems), returncode=2) from exc

        extra: dict[str, object] = {"year": year}
        if wished["--budget"] is not None:
            extra["budget"] = money_str(wished["--budget"])
        if wished["--net"] is not None:
            extra["wished_net"] = money_str(wished["--net"])
        for note in estimated:
            self.stderr.write(note)
        if options["json"]:
            rows = [_as_json(result, extra, params, months) for result in results]
            self.stdout.write(json.dumps(rows if options["year_table"] else rows[0], indent=2))
            return
        if options["year_table"]:
            text = _year_table_text(results, extra, params, months, options["lang"])
        else:
            text = _pay_text(results[0], extra, options["lang"])
        self.stdout.write(text)

    def _employer_rates(self, pay_date: dt.date) -> EmployerRates:
        """The co-op's payroll settings in force on the pay date, or the built-in defaults."""
        try:
            return employer_rates_on(pay_date)
        except DatabaseError:
            # The engine is checked against WebRAS and PDOC from a fresh
            # checkout too, before any ``migrate``: say so and go on.
            self.stderr.write(
                _("No payroll settings in the database: the built-in employer figures apply.")
            )
            return EmployerRates()


def _default_pay_date(year: int) -> dt.date:
    """Today, or January 1 of the tax year when it is another year."""
    today = timezone.localdate()
    return today if today.year == year else dt.date(year, 1, 1)


def _pay_date(text: str | None, year: int | None, problems: list[str]) -> dt.date | None:
    """``--pay-date``: an ISO date, in ``--year`` when both are given."""
    if text is None:
        return None
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(_("--pay-date: not a date (YYYY-MM-DD): %(text)s") % {"text": text})
        return None
    if year is not None and date.year != year:
        problems.append(
            _("--pay-date must fall in --year (%(year)s).") % {"year": year},
        )
        return None
    return date


def _solver(
    budget: Decimal | None, net: Decimal | None, params: Params
) -> Callable[[PayInput], PayInput] | None:
    """For --budget and --net: replace the gross by the one the engine solves for."""
    if budget is not None:
        return lambda pay: dataclasses.replace(
            pay, gross=gross_for_budget(budget, pay, params).gross
        )
    if net is not None:
        return lambda pay: dataclasses.replace(pay, gross=gross_for_net(net, pay, params).gross)
    return None


def _year_to_date(
    given: dict[str, Decimal | None],
    params: Params,
    periods: int,
    period: int,
    months: int,
    estimated: list[str],
) -> YearToDate:
    """The year-to-date before this pay (the engine's rule), each estimate noted for stderr."""
    zero = Decimal("0.00")
    result = year_to_date_before_pay(
        params=params,
        periods_per_year=periods,
        period=period,
        months_of_employment=months,
        qpp=given["--ytd-qpp"] or zero,
        qpp2=given["--ytd-qpp2"] or zero,
        ei=given["--ytd-ei"] or zero,
        qpip=given["--ytd-qpip"] or zero,
        earnings=given["--ytd-earnings"],
        pensionable_earnings=given["--ytd-pensionable"],
        qpip_employer=given["--ytd-qpip-employer"],
    )
    if result.estimated_pensionable_earnings is not None:
        estimated.append(
            _("QPP pensionable earnings this year estimated at %(amount)s (--ytd-pensionable).")
            % {"amount": money_str(result.estimated_pensionable_earnings)}
        )
    if result.estimated_earnings is not None:
        estimated.append(
            _("Earnings this year estimated at %(amount)s (--ytd-earnings).")
            % {"amount": money_str(result.estimated_earnings)}
        )
    return result.ytd


# --------------------------------------------------------------------------- output


def _pay_text(result: PayResult, extra: dict[str, object], language: str) -> str:
    """One pay as a two-column table: label, amount (``1 234,56 $`` in French)."""
    rows: list[tuple[str, Decimal | None]] = []
    if "budget" in extra:
        rows.append((_("Budget"), Decimal(str(extra["budget"]))))
    if "wished_net" in extra:
        rows.append((_("Wished net pay"), Decimal(str(extra["wished_net"]))))
    rows.append((str(PAY_LABELS["gross"]), result.gross))
    if result.lump_sum:
        rows.append((str(PAY_LABELS["lump_sum"]), result.lump_sum))
    rows.append((_("Deductions"), None))
    deductions = ("qpp", "qpp2", "ei", "qpip", "federal_tax", "quebec_tax")
    rows.extend(("  " + str(PAY_LABELS[key]), getattr(result, key)) for key in deductions)
    if result.other_deductions:
        rows.append(("  " + str(PAY_LABELS["other_deductions"]), result.other_deductions))
    rows.append((str(PAY_LABELS["net"]), result.net))
    rows.append((str(PAY_LABELS["vacation_pay"]), result.vacation_pay))
    rows.append((_("Employer contributions"), None))
    rows.extend(
        ("  " + str(EMPLOYER_LABELS[key]), value)
        for key, value in result.employer.as_dict().items()
    )
    rows.append(
        (
            "  " + str(PAY_LABELS["vacation_pay_employer_contributions"]),
            result.vacation_pay_employer_contributions,
        )
    )
    rows.append((str(PAY_LABELS["total_cost"]), result.total_cost))
    texts = [("" if value is None else format_money(value, language)) for _label, value in rows]
    label_width = max(len(label) for label, _value in rows)
    amount_width = max(len(text) for text in texts)
    title = _("Pay %(period)s of %(periods)s, %(year)s") % {
        "period": result.period,
        "periods": result.periods_per_year,
        "year": extra["year"],
    }
    lines = [title, ""]
    for (label, _value), text in zip(rows, texts, strict=True):
        lines.append(f"{label:<{label_width}}  {text:>{amount_width}}".rstrip())
    return "\n".join(lines)


def _year_table_text(
    results: list[PayResult], extra: dict[str, object], params: Params, months: int, language: str
) -> str:
    """Every pay of the year, one line each, with the year-to-date contributions."""
    names = {"qpp": _("QPP"), "qpp2": _("QPP2"), "ei": _("EI"), "qpip": _("QPIP")}
    headers = [
        _("Pay"),
        _("Gross"),
        names["qpp"],
        names["qpp2"],
        names["ei"],
        names["qpip"],
        _("Fed. tax"),
        _("QC tax"),
        _("Net"),
        _("Cost"),
        _("%(name)s YTD") % {"name": names["qpp"]},
        _("%(name)s YTD") % {"name": names["qpp2"]},
        _("%(name)s YTD") % {"name": names["ei"]},
        _("%(name)s YTD") % {"name": names["qpip"]},
        _("Maximum reached"),
    ]
    locale = babel_locale(language)

    def number(value: Decimal) -> str:
        return str(format_decimal(value, format="#,##0.00", locale=locale))

    table = [headers]
    for r in results:
        amounts = (
            r.gross + r.lump_sum,
            r.qpp,
            r.qpp2,
            r.ei,
            r.qpip,
            r.federal_tax,
            r.quebec_tax,
            r.net,
            r.total_cost,
            r.ytd.qpp,
            r.ytd.qpp2,
            r.ytd.ei,
            r.ytd.qpip,
        )
        reached = ", ".join(names[key] for key in _maxima_reached(r, params, months))
        table.append([str(r.period), *(number(a) for a in amounts), reached])
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    title = _("Pays %(first)s to %(last)s of %(year)s, in dollars") % {
        "first": results[0].period,
        "last": results[-1].period,
        "year": extra["year"],
    }
    lines = [title, ""]
    for row in table:
        cells = [cell.rjust(width) for cell, width in zip(row[:-1], widths[:-1], strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
