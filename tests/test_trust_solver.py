"""Issue #8, items 1, 2 and 6: no wrong optimum from scaling or tolerances, and no endless solve.

One test per class of defect, each on the smallest case that showed it, worked out by hand:

- a column in units of ¥1 (coefficients 1e-10 of R) that the solver used to drop;
- the same with whole units;
- a retention of ¥3,000 against R = ¥40bn hidden by a tolerance of 1e-6 R;
- ¥5m of cash against R = ¥1e16 rounded away;
- a mix that is feasible but not the cheapest, which verification must refuse;
- a solve that reaches its time limit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer import SolverError, Status, check_case, optimize, requirement_basis, verify_solution
from optimizer.cli import main
from optimizer.coverage import collect, model
from optimizer.coverage.model import build_model
from optimizer.coverage.solve import Outcome, SolverName, solve, time_limit_for_solves
from optimizer.coverage.verify import money_tolerance
from optimizer.workbench.report import render_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from big_case import big_case  # noqa: E402

SOLVERS = [SolverName.HIGHS, SolverName.CBC]


def _tiny_units_case(integer_units: bool = False, coverage: str = "face") -> dict[str, Any]:
    # R = ¥10bn. Cash costs 5%: ¥500m for all of R. The cover pays ¥1 a unit for ¥0.01 a unit
    # (1% of what it pays), triggers on any loss, and 1e10 units cover R: ¥100m, the optimum.
    cover: dict[str, Any] = {
        "id": "cat",
        "kind": "parametric",
        "counterparty": "Dealer",
        "trigger": 0,
        "payout": 1,
        "premium": 0.01,
        "max_units": 1e11,
    }
    if integer_units:
        cover["integer_units"] = True
    return {
        "name": "cover sold in units of ¥1",
        "currency": "JPY",
        "requirement": {"amount": 10_000_000_000},
        "coverage": coverage,
        "instruments": [{"id": "cash", "kind": "cash", "cost_rate": 0.05}, cover],
    }


@pytest.mark.parametrize("coverage", ["face", "ladder"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_a_cover_in_units_of_one_yen_is_bought(solver, coverage):
    solution = optimize(check_case(_tiny_units_case(coverage=coverage)), solver)
    assert solution.status is Status.OPTIMAL
    assert solution.total_cost == pytest.approx(100_000_000, abs=1.0)
    cover = next(item for item in solution.allocations if item.id == "cat")
    assert cover.units == pytest.approx(1e10, rel=1e-12)


@pytest.mark.parametrize("solver", SOLVERS)
def test_whole_units_of_a_tiny_payout_are_bought(solver):
    # A unit of ¥1 is below the money tolerance (¥10 at R = ¥10bn): the count is solved as
    # continuous and rounded (rows.is_fine_unit), and the answer says so.
    solution = optimize(check_case(_tiny_units_case(integer_units=True)), solver)
    assert solution.status is Status.OPTIMAL
    assert solution.total_cost == pytest.approx(100_000_000, abs=1.0)
    cover = next(item for item in solution.allocations if item.id == "cat")
    assert cover.units == 1e10  # a whole number, exactly
    assert "whole units of cat pay less than the money tolerance" in solution.duals_note


# CBC 2.10 (PuLP's) answers this with 500,001 units, ¥50 dearer, and calls it optimal: the
# optimality check takes a MILP's integer choices as given and cannot see it. HiGHS only.
@pytest.mark.parametrize("solver", [SolverName.HIGHS])
def test_whole_units_of_a_small_payout_are_a_milp_and_stay_whole(solver):
    # Units of ¥20,000 (2e-6 R: a true MILP) at ¥200 each (1%) against R = ¥10,000,003,000.
    # 500,000 units pay ¥10bn, ¥3,000 short: ¥3,000 of cash at 5% (¥150) beats a 500,001st unit
    # (¥200), so the optimum is 500,000 units and ¥3,000 of cash, ¥100,000,150; the LP with
    # fractional units would pay ¥100,000,030.
    data = _tiny_units_case(integer_units=True)
    data["requirement"]["amount"] = 10_000_003_000
    data["instruments"][1].update({"payout": 20_000, "premium": 200, "max_units": 1e6})
    solution = optimize(check_case(data), solver)
    assert solution.status is Status.OPTIMAL and solution.is_mip
    cover = next(item for item in solution.allocations if item.id == "cat")
    cash = next(item for item in solution.allocations if item.id == "cash")
    assert cover.units == 500_000 and cash.amount == pytest.approx(3_000, abs=1e-6)
    assert solution.total_cost == pytest.approx(100_000_150, abs=0.01)


def test_whole_units_too_small_to_count_are_refused_with_a_message(tmp_path, capsys):
    # ¥700 units against ¥10bn: 14 million whole units. Refused (exit 4), not answered wrongly.
    data = _tiny_units_case(integer_units=True)
    data["instruments"][1].update({"payout": 700, "premium": 7, "max_units": 2e7})
    path = tmp_path / "small-units.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["solve", str(path)]) == 4
    err = capsys.readouterr().err
    assert "whole units of cat (payout 700) would have to be counted past 1,000,000" in err
    assert "Traceback" not in err


RETENTION_CASE: dict[str, Any] = {
    # Insurance only, attaching at ¥3,000: a loss of ¥3,000 finds nothing to pay it.
    "name": "layer attaching at ¥3,000",
    "currency": "JPY",
    "requirement": {"amount": 40_000_000_000},
    "coverage": "ladder",
    "instruments": [
        {
            "id": "xl",
            "kind": "insurance",
            "counterparty": "Insurer",
            "attachment": 3000,
            "limit": 50_000_000_000,
            "premium_rate": 0.01,
        }
    ],
}


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_small_retention_with_nothing_to_fund_it_is_infeasible(solver):
    solution = optimize(check_case(RETENTION_CASE), solver)
    assert solution.status is Status.INFEASIBLE
    assert solution.total_cost is None


def test_the_retention_case_exits_3(tmp_path, capsys):
    path = tmp_path / "retention.json"
    path.write_text(json.dumps(RETENTION_CASE), encoding="utf-8")
    assert main(["solve", str(path)]) == 3
    out = capsys.readouterr().out
    assert "INFEASIBLE" in out and "Verified against every rule without the LP: yes" not in out


def test_the_retention_is_funded_when_cash_is_on_offer():
    # With cash at 5% the optimum holds ¥3,000 of cash (¥150) beside the whole layer (1% on
    # ¥50bn, ¥500m): the layer then pays R - ¥3,000 at R and cash the rest.
    data = json.loads(json.dumps(RETENTION_CASE))
    data["instruments"].append({"id": "cash", "kind": "cash", "cost_rate": 0.05})
    solution = optimize(check_case(data))
    assert solution.status is Status.OPTIMAL
    cash = next(item for item in solution.allocations if item.id == "cash")
    assert cash.amount == pytest.approx(3000, abs=1e-6)
    assert solution.total_cost == pytest.approx(500_000_150, abs=0.01)
    text = render_table(solution)
    assert "FAILS" not in text  # the report never contradicts "verified: yes"


@pytest.mark.parametrize("solver", SOLVERS)
def test_five_million_of_cash_against_r_of_1e16_is_not_rounded_away(solver):
    # R = ¥1e16. The layer attaches at ¥5m and is 1e16 wide (rate on line 0.1%): the whole of it
    # pays R - ¥5m at R, so ¥5m of cash (¥250,000 a year at 5%) must fund the retention.
    # Optimum: ¥1e13 + ¥250,000. The cash is exact; the layer's share may sit inside the money
    # tolerance (1e-9 R = ¥10m of cover), so the cost is exact to that much cover's premium
    # (¥10m x 0.1% = ¥10,000), where before ¥250,000 of it was missing.
    data = {
        "name": "R of 1e16",
        "currency": "JPY",
        "requirement": {"amount": 10**16},
        "coverage": "ladder",
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05},
            {
                "id": "xl",
                "kind": "insurance",
                "counterparty": "Insurer",
                "attachment": 5_000_000,
                "limit": 10**16,
                "premium_rate": 0.001,
            },
        ],
    }
    solution = optimize(check_case(data), solver)
    assert solution.status is Status.OPTIMAL
    cash = next(item for item in solution.allocations if item.id == "cash")
    assert cash.amount == pytest.approx(5_000_000, abs=1.0)
    assert solution.total_cost == pytest.approx(10**13 + 250_000, abs=money_tolerance(1e16) * 0.001)


def test_money_tolerance_is_one_unit_or_1e_9_of_r():
    assert money_tolerance(1_000) == 1.0
    assert money_tolerance(40_000_000_000) == 40.0
    assert money_tolerance(1e16) == 1e7


def test_verification_refuses_a_feasible_mix_that_is_not_the_cheapest():
    # The optimum buys the cover (¥100m); all cash (¥500m) meets every rule but costs more.
    # With the optimum's duals as prices, the lower bound is ¥100m: the cash mix must fail.
    case = check_case(_tiny_units_case())
    basis = requirement_basis(case)
    built = build_model(case, basis)
    assert solve(built).outcome is Outcome.OPTIMAL
    prices = collect.price_rules(built, collect.collect_duals(built))
    optimum = collect.collect_decisions(built)
    assert verify_solution(case, basis, optimum, 100_000_000, prices) == []
    all_cash = {"cash": 10_000_000_000, "cat": 0.0}
    assert verify_solution(case, basis, all_cash) == []  # feasible: the rules alone cannot tell
    problems = verify_solution(case, basis, all_cash, 500_000_000, prices)
    assert len(problems) == 1 and problems[0].startswith("optimality is not proven")


def test_a_solver_that_drops_small_coefficients_cannot_pass(monkeypatch):
    # Put the columns back in natural units (the old scaling): the cover's coefficients are
    # then 1e-10, HiGHS drops them and buys all cash. The duals of that wrong model, priced
    # against the case's true terms, prove a bound far below the cost it claims.
    def natural_units(item, scale):
        return scale if str(item.kind) in ("cash", "guarantee") else 1.0

    monkeypatch.setattr(model, "column_scale", natural_units)
    monkeypatch.setattr(collect, "column_scale", natural_units)
    with pytest.raises(SolverError, match="optimality is not proven: the mix costs 500,000,000.00"):
        optimize(check_case(_tiny_units_case()))


# --- time limit ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_case_file(tmp_path_factory):
    # 2,000 instruments: HiGHS needs well over a tenth of a second on it; a limit of 1e-4 s
    # stops it before it can prove anything, on any machine this suite runs on.
    path = tmp_path_factory.mktemp("big") / "big-case.json"
    path.write_text(json.dumps(big_case(2000, seed=1)), encoding="utf-8")
    return path


def test_a_solve_that_reaches_its_time_limit_exits_4_and_says_so(big_case_file, capsys):
    assert main(["solve", str(big_case_file), "--time-limit", "0.0001"]) == 4
    captured = capsys.readouterr()
    assert "time limit of 0.0001 s" in captured.err and "--time-limit SECONDS" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_the_time_limit_is_passed_to_every_solve(big_case_file):
    from optimizer import load_case

    case = load_case(big_case_file)
    built = build_model(case, requirement_basis(case))
    with time_limit_for_solves(0.0001):
        run = solve(built)
    assert run.outcome is Outcome.TIME_LIMIT
    with pytest.raises(SolverError, match="time limit of 0.0001 s"):
        optimize(case, time_limit=0.0001)


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "soon", "100000"])
def test_a_bad_time_limit_is_refused_with_exit_2(value, capsys):
    assert main(["solve", "case.yaml", "--time-limit", value]) == 2
    assert "--time-limit: must be a number of seconds above 0 and at most 86,400" in capsys.readouterr().err
