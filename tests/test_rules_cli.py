"""`reserve-opt rules`: candidate rules as a grid, failed points recorded; and `incidents`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from optimizer.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
JP_TWIN = str(EXAMPLES / "jp-midsize-regime.yaml")
HEADER = "status,requirement,total_cost,cost_to_requirement,binds,detail"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_sixteen_combinations_on_the_japanese_example(capsys):
    code, out, err = run(
        capsys, "rules", JP_TWIN, "--vary", "insurance_share=0,0.25,0.5,0.75",
        "--vary", "custody_rate=0.005,0.01,0.03,0.06", "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == f"insurance_share,custody_rate,{HEADER}"
    grid = rows(out)
    assert len(grid) == 16
    assert {row["status"] for row in grid} == {"optimal"}
    by_point = {(row["insurance_share"], row["custody_rate"]): row for row in grid}
    # custody 1% x ¥800bn = ¥8bn; 6% x ¥800bn = ¥48bn, capped at ¥40bn; 0.5% x ¥800bn = ¥4bn < volume ¥6bn
    assert float(by_point[("0.5", "0.01")]["requirement"]) == 8e9
    assert by_point[("0.5", "0.06")]["binds"] == "cap"
    assert by_point[("0.5", "0.005")]["binds"] == "volume"
    # with no insurance allowed, everything is cash at 5%
    assert float(by_point[("0", "0.01")]["total_cost"]) == pytest.approx(0.05 * 8e9)
    # cost never rises as insurance may replace more of the reserve
    for custody in ("0.005", "0.01", "0.03", "0.06"):
        costs = [float(by_point[(share, custody)]["total_cost"]) for share in ("0", "0.25", "0.5", "0.75")]
        assert costs == sorted(costs, reverse=True)


def test_table_format_and_csv_file(capsys, tmp_path):
    target = tmp_path / "grid.csv"
    code, out, _ = run(capsys, "rules", JP_TWIN, "--vary", "insurance_share=0,0.5", "--csv", str(target))
    assert code == 0
    header = ["insurance_share", "R", "annual", "cost", "cost/R", "R", "set", "by", "status"]
    assert out.splitlines()[0].split() == header
    assert "2 combinations; 2 solved." in out
    assert len(rows(target.read_text(encoding="utf-8"))) == 2


def test_case_constraints_can_vary_too(capsys):
    code, out, _ = run(
        capsys, "rules", JP_TWIN, "--vary", "constraints.max_insurance_fraction=0.1,0.4", "--format", "csv"
    )
    assert code == 0
    assert [row["constraints.max_insurance_fraction"] for row in rows(out)] == ["0.1", "0.4"]


def test_infeasible_point_is_recorded_not_raised(capsys, tmp_path):
    data = yaml.safe_load((EXAMPLES / "jp-midsize-regime.yaml").read_text(encoding="utf-8"))
    data["instruments"][0]["max_amount"] = 3_000_000_000  # cash capped at ¥3bn
    path = tmp_path / "capped.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(capsys, "rules", str(path), "--vary", "insurance_share=0.25,0.75", "--format", "csv")
    assert code == 0
    low, high = rows(out)
    # R = ¥8bn: ¥3bn cash + 25% x ¥8bn = ¥5bn of cover is not enough; 75% is
    assert (low["status"], low["total_cost"]) == ("infeasible", "")
    assert low["requirement"] == "8000000000.00"
    assert high["status"] == "optimal"


def test_invalid_combination_is_recorded(capsys):
    # each value is valid on its own; floor ¥30bn above cap ¥20bn together is not
    code, out, _ = run(capsys, "rules", JP_TWIN, "--vary", "floor=3e10", "--vary", "cap=2e10,4e10", "--format", "csv")
    assert code == 0
    bad, good = rows(out)
    assert bad["status"] == "invalid"
    assert "at or below the cap" in bad["detail"]
    assert (good["status"], good["requirement"]) == ("optimal", "30000000000.00")


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ("insurance_share", "--vary 'insurance_share' must look like NAME=v1,v2,..."),
        ("insurance_share=0,lots", "--vary insurance_share: 'lots' is not a number"),
        ("insurance_shares=0.5", "--vary insurance_shares: not a name this case can vary; choose from cap,"),
        ("insurance_share=1.5", "--vary insurance_share=1.5: requirement.assumptions.insurance_share must be between"),
        ("constraints.min_cash_fraction=2", "--vary constraints.min_cash_fraction=2: constraints.min_cash_fraction"),
    ],
)
def test_bad_vary_input_exits_2_with_a_message(capsys, vary, message):
    code, out, err = run(capsys, "rules", JP_TWIN, "--vary", vary)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_rules_without_vary_exits_2(capsys):
    code, _, err = run(capsys, "rules", JP_TWIN)
    assert code == 2
    assert "give at least one --vary" in err


def test_rules_on_a_case_with_a_given_requirement_offers_only_constraints(capsys):
    code, _, err = run(capsys, "rules", str(EXAMPLES / "jp-midsize.yaml"), "--vary", "insurance_share=0.5")
    assert code == 2
    assert "choose from constraints.min_cash_fraction, constraints.max_counterparty_fraction" in err


def test_incidents_command_prints_the_summary(capsys):
    code, out, _ = run(capsys, "incidents")
    assert code == 0
    assert out.splitlines()[0].split()[1] == "incidents,"
    assert "By vector:" in out
