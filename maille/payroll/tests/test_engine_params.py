"""Year parameter files: data with sources, loaded as Decimal, refused when wrong."""

import datetime as dt
from decimal import Decimal
from importlib import resources

import pytest

from maille.payroll.engine import PayrollParamsError, available_years, load_params
from maille.payroll.engine.params import load_params_file, parse_params

YEAR_FILE = resources.files("maille.payroll.engine.years").joinpath("2026.toml")


def test_2026_has_a_parameter_file():
    assert 2026 in available_years()


def test_2026_parameters_hold_the_guides_figures_as_decimals():
    params = load_params(2026)
    assert params.valid_from == dt.date(2026, 1, 1)
    assert params.qpp.max_contribution == Decimal("4479.30")
    assert params.qpp.max_second_additional == Decimal("416.00")
    assert params.ei.max_employee_premium == Decimal("895.70")
    assert params.qpip.max_employer_premium == Decimal("620.06")
    assert params.federal.brackets[1].threshold == Decimal("58523")
    assert params.federal.brackets[1].rate == Decimal("0.205")
    assert params.quebec.brackets[-1].rate == Decimal("0.2575")
    assert params.quebec.basic_personal_amount == Decimal("18952")
    assert isinstance(params.qpp.rate, Decimal)


def test_every_section_names_its_source():
    params = load_params(2026)
    assert params.source("qpp").startswith("TP-1015.F 2026")
    assert params.source("federal").startswith("T4127")
    assert params.source("cnt").startswith("LE-39.0.2")


def test_figures_from_secondary_sources_are_flagged_to_check():
    assert set(load_params(2026).to_check) == {"cnesst", "vacation"}


def test_a_year_without_a_file_raises_a_clear_error():
    with pytest.raises(PayrollParamsError, match=r"No payroll parameters for 1999.*1999\.toml"):
        load_params(1999)


def test_a_file_with_missing_values_lists_every_problem():
    text = YEAR_FILE.read_text(encoding="utf-8")
    text = text.replace("max_contribution = 4479.30", "").replace("rate = 0.0006", 'rate = "x"')
    with pytest.raises(PayrollParamsError) as error:
        parse_params(text)
    assert "qpp.max_contribution must be a number" in error.value.problems
    assert "cnt.rate must be a number" in error.value.problems


def test_a_section_without_a_source_is_refused():
    text = YEAR_FILE.read_text(encoding="utf-8")
    start = text.index('source = "LE-39.0.2')
    end = text.index("\n", start)
    with pytest.raises(PayrollParamsError, match=r"section \[cnt\] has no source"):
        parse_params(text[:start] + text[end:])


def test_adding_a_year_is_adding_a_file(tmp_path):
    text = YEAR_FILE.read_text(encoding="utf-8")
    draft = tmp_path / "2027.toml"
    draft.write_text(text.replace("year = 2026", "year = 2027"), encoding="utf-8")
    assert load_params_file(draft).year == 2027


def test_the_derived_constants_are_computed_once_per_year():
    params = load_params(2026)
    assert params.qpp_maxima[6].contribution == Decimal("2239.65")
    assert params.worker_deduction_cap[26] == Decimal("55.77")
    assert load_params(2026) is params
