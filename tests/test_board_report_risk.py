"""The board report's risk figures and frontier (#12 item 14): equal to the modules', both languages."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optimizer import load_case, optimize
from optimizer.case.money import money, percent, short_money
from optimizer.cli import main
from optimizer.risk.build import case_scenarios
from optimizer.risk.figures import risk_report
from optimizer.workbench.board_report import Figures, FrontierChart, Paragraph, Table
from optimizer.workbench.frontier import trace_frontier
from optimizer.workbench.report_html import report_html
from optimizer.workbench.report_pdf import report_pdf
from optimizer.workbench.report_risk import DEFAULT_POINTS, gather_risk, risk_board_report, solve_and_report
from optimizer.workbench.risk_view import mix_risk, solution_mix

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
WHEN = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def reported(name, language="en", points=None):
    case = load_case(EXAMPLES / name)
    solution, report = solve_and_report(case, language, generated=WHEN, base_dir=EXAMPLES, points=points)
    return case, solution, report


def after(blocks, start):
    """The blocks of the section whose heading starts with ``start``, up to the next heading."""
    found, section = False, []
    for block in blocks:
        if type(block).__name__ == "Heading":
            if found:
                break
            found = block.text.startswith(start)
        elif found:
            section.append(block)
    return section


def test_the_risk_figures_are_the_risk_pages_for_the_same_years_and_seed():
    case, solution, report = reported("jp-midsize-cvar.yaml")
    # Independently: the Risk page's path (mix_risk) over the case's own years (200,000, seed 2026).
    expected = mix_risk(case, solution_mix(solution), EXAMPLES)
    assert expected.years == 200_000 and expected.seed == 2026
    section = after(report.blocks, "Risk:")
    figures = dict(next(block for block in section if isinstance(block, Figures)).items)
    cur = case.currency
    assert figures == {
        "Expected annual loss": short_money(expected.expected_loss, cur),
        "Expected uncovered loss a year": short_money(expected.expected_uncovered, cur),
        "Probability of any uncovered loss in a year": percent(expected.probability_uncovered),
        "VaR 99% of the uncovered loss": short_money(expected.var, cur),
        "CVaR 99% of the uncovered loss": short_money(expected.cvar, cur),
    }
    # The evidence behind the blocks holds the same numbers exactly, not only to three figures.
    evidence = gather_risk(case, solution, EXAMPLES)
    assert evidence.report is not None
    assert (evidence.report.cvar, evidence.report.var, evidence.report.expected_uncovered) == (
        expected.cvar, expected.var, expected.expected_uncovered)
    tables = [block for block in section if isinstance(block, Table)]
    periods = next(table for table in tables if table.columns[0] == "return period")
    assert [row[0] for row in periods.rows] == [f"1 in {row.years:,} years" for row in expected.return_periods]
    assert [row[2] for row in periods.rows] == [short_money(row.uncovered, cur) for row in expected.return_periods]
    limits = next(table for table in tables if table.columns[0] == "limit under risk:")
    # The optimum sits on its CVaR limit: reported as met (to the 1e-9 the optimum is verified to).
    assert [row[1:] for row in limits.rows] == [
        [money(15e9, cur), money(expected.cvar, cur), "met"],
        [money(300e6, cur), money(expected.expected_uncovered, cur), "met"],
    ]
    recovery = next(table for table in tables if table.columns[0] == "instrument")
    bought = {name for name, amount in expected.mix.items() if amount > 0}
    assert {row[0] for row in recovery.rows} == bought
    assert all(row[2] == short_money(expected.expected_recovery[row[0]], cur) for row in recovery.rows)
    # Loss ratios as the Risk page shows them: percent, two decimals; "—" where none applies.
    for row in recovery.rows:
        ratio = expected.loss_ratio.get(row[0])
        assert row[3] == ("—" if ratio is None else f"{ratio * 100:.2f}%"), row
    assert any(row[3].endswith("%") for row in recovery.rows)
    stress = next(table for table in tables if table.columns[0] == "date")
    assert len(stress.rows) == 10 and stress.rows[0][1] == "Bybit"  # the largest first
    html = report_html(report)
    assert "the case&#x27;s own scenarios" in html and "default loss model" not in html
    assert "NOT met" not in html


def test_the_frontier_points_are_the_frontier_modules():
    case, _, report = reported("jp-midsize-cvar.yaml")
    scenarios, _ = case_scenarios(case, EXAMPLES)
    frontier = trace_frontier(case, DEFAULT_POINTS, "cvar", scenarios, EXAMPLES)
    section = after(report.blocks, "Cost against tail risk")
    chart = next(block for block in section if isinstance(block, FrontierChart))
    optimal = [point for point in frontier.points if point.status == "optimal"]
    assert len(chart.points) == len(optimal) == DEFAULT_POINTS
    # The chart is in ¥bn (CVaR) and ¥m (cost): the module's numbers divided by the unit.
    assert chart.x_label.endswith("(¥bn)") and chart.y_label.endswith("(¥m)")
    for (x, y), point in zip(chart.points, optimal, strict=True):
        assert x == pytest.approx(point.value / 1e9, rel=1e-12)
        assert y == pytest.approx(point.total_cost / 1e6, rel=1e-12)
    assert chart.limit == pytest.approx(15.0)  # risk.max_cvar in ¥bn
    assert chart.current == pytest.approx((frontier.current.value / 1e9, frontier.current.total_cost / 1e6))
    table = next(block for block in section if isinstance(block, Table))
    costs = [row[1] for row in table.rows]
    for point in frontier.points:
        assert money(point.total_cost, case.currency) in costs
    assert sum("(this case)" in row[-1] for row in table.rows) == 1
    # The last point is the least reachable CVaR: its dual is not a price of lowering it further.
    assert table.rows[-1][4] == "—" and "the least any mix reaches" in table.rows[-1][-1]
    assert table.rows[1][4] == short_money(frontier.points[1].price * 1e9, "JPY")  # ¥1bn less CVaR
    html = report_html(report)
    assert html.count("<polyline") == 1 and html.count('r="3.5"') == DEFAULT_POINTS


def test_a_case_without_scenarios_or_risk_uses_the_labelled_default_model_and_no_frontier():
    case, solution, report = reported("jp-midsize.yaml")
    section = after(report.blocks, "Risk:")
    first = section[0]
    assert isinstance(first, Paragraph) and "calibrated default loss model" in first.text
    assert "100,000 simulated years with seed 0" in first.text
    expected = mix_risk(case, solution_mix(solution), EXAMPLES)  # the Risk page without scenarios:
    figures = dict(next(block for block in section if isinstance(block, Figures)).items)
    assert figures["CVaR 99% of the uncovered loss"] == short_money(expected.cvar, "JPY")
    assert any(isinstance(b, Paragraph) and "sets no risk limits" in b.text for b in section)
    frontier = after(report.blocks, "Cost against tail risk")
    assert len(frontier) == 1 and "sets no risk appetite" in frontier[0].text
    # Asked for, a frontier is drawn for any case.
    _, _, asked = reported("jp-midsize.yaml", points=5)
    assert sum(isinstance(block, FrontierChart) for block in asked.blocks) == 1


def test_no_mix_and_no_rate_say_why_instead_of_figures():
    case = load_case(EXAMPLES / "jp-midsize-infeasible.yaml")
    report = risk_board_report(case, optimize(case), generated=WHEN, base_dir=EXAMPLES, points=5)
    assert "No risk figures: no mix meets the requirement" in report_html(report)
    assert "No cost-risk frontier: no mix meets the requirement" in report_html(report)
    _, _, euro = reported("eu-casp-small.yaml", points=5)  # EUR: no fx.USD, no default rate
    html = report_html(euro)
    assert "No risk figures: the case has 1 problem" in html and "fx.USD" in html
    assert "No cost-risk frontier: the case has 1 problem" in html


def test_the_japanese_report_has_japanese_headings_and_oku_units():
    case, solution, report = reported("jp-midsize-cvar.yaml", "ja")
    html = report_html(report)
    for words in ("リスク：事故が起きたときにこの組み合わせが支払う額", "コストとテールリスク：フロンティア",
                  "再現期間", "損失モデルとその前提", "年間期待未補填損失", "（このケース）", "100 年に1度"):
        assert words in html, words
    expected = mix_risk(case, solution_mix(solution), EXAMPLES)
    assert "150億円" in html and re.search(r"未補填損失の CVaR 99%</div><div class=\"value\">150億円", html)
    chart = next(block for block in report.blocks if isinstance(block, FrontierChart))
    assert chart.x_label.endswith("（億円）") and chart.limit == pytest.approx(150.0)
    assert expected.cvar == pytest.approx(15e9, rel=1e-9)


def pdf_pages(pdf):
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_pdf_has_the_risk_sections(language, tmp_path):
    _, _, report = reported("jp-midsize-cvar.yaml", language)
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf_pages(pdf) >= 4  # the risk and frontier sections add pages to the 2 of a plain report
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the text check needs it")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if language == "en":
        for text in ("Risk: what the mix pays when the hack comes", "Cost against tail risk: the frontier",
                     "CVaR 99% of the uncovered annual loss (¥bn)", "1 in 1,000 years", "Bybit"):
            assert text in words, text
    else:
        for text in ("リスク：事故が起きたときにこの組み合わせが支払う額", "コストとテールリスク：フロンティア",
                     "億円"):
            assert text in words, text


def test_the_command_line_frontier_option(tmp_path, capsys):
    case = str(EXAMPLES / "jp-midsize.yaml")
    assert main(["report", case, "--out", str(tmp_path / "none.html")]) == 0
    assert "<polyline" not in (tmp_path / "none.html").read_text(encoding="utf-8")
    assert main(["report", case, "--out", str(tmp_path / "five.html"), "--frontier", "5"]) == 0
    html = (tmp_path / "five.html").read_text(encoding="utf-8")
    assert html.count("<polyline") == 1 and "at 5 evenly spaced limits" in html
    cvar = str(EXAMPLES / "jp-midsize-cvar.yaml")
    assert main(["report", cvar, "--out", str(tmp_path / "off.html"), "--frontier", "0"]) == 0
    assert "frontier was left out of this report (--frontier 0)" in (tmp_path / "off.html").read_text(encoding="utf-8")
    for bad in ("1", "101", "x"):
        assert main(["report", case, "--out", str(tmp_path / "bad.html"), "--frontier", bad]) == 2
        assert "must be 0 (no frontier) or a whole number from 2 to 100" in capsys.readouterr().err
    assert not (tmp_path / "bad.html").exists()


def test_the_report_solves_with_the_years_the_limits_hold_over():
    case, solution, _ = reported("jp-midsize-cvar.yaml")
    scenarios, spec = case_scenarios(case, EXAMPLES)
    same = optimize(case, scenarios=scenarios, base_dir=EXAMPLES)
    assert solution.total_cost == pytest.approx(same.total_cost, rel=1e-9)
    assert risk_report(case, scenarios, spec, solution_mix(solution)).cvar <= 15e9 * (1 + 1e-9)


HAND_TABLE = """
name: hand table
currency: JPY
requirement: {amount: 1000}
instruments:
  - {id: cash, kind: cash, cost_rate: 0.05}
  - {id: xl, kind: insurance, counterparty: Ins A, attachment: 10, limit: 20, premium_rate: 0.1}
scenarios: {years: 10, events: events.csv}
risk: {level: 0.85, max_cvar: 50}
"""


def test_an_events_table_report_shows_its_years_and_only_the_return_periods_they_resolve(tmp_path):
    (tmp_path / "case.yaml").write_text(HAND_TABLE)
    (tmp_path / "events.csv").write_text("year,loss\n2,30\n1,5\n4,100\n2,20\n7,8\n")
    case = load_case(tmp_path / "case.yaml")
    solution, report = solve_and_report(case, generated=WHEN, base_dir=tmp_path, points=0)
    evidence = gather_risk(case, solution, tmp_path, points=0)
    # By hand: annual losses 5, 50, 100, 8 in 10 years; cash ¥1,000 (the ladder to R) pays them all.
    assert evidence.report is not None and evidence.spec is None
    assert evidence.report.expected_loss == pytest.approx(16.3, abs=1e-12) and evidence.report.cvar == 0
    section = after(report.blocks, "Risk:")
    tables = [block for block in section if isinstance(block, Table)]
    periods = next(table for table in tables if table.columns[0] == "return period")
    assert [row[0] for row in periods.rows] == ["1 in 2 years", "1 in 5 years", "1 in 10 years"]
    assert [row[1] for row in periods.rows] == ["¥0", "¥8", "¥50"]  # the 5th and 10th largest of 10 years
    assert any(isinstance(b, Paragraph) and "longer than the 10 years" in b.text for b in section)
    assumptions = next(table for table in tables if table.columns[0] == "assumption")
    items = {row[0]: row[1:] for row in assumptions.rows}
    assert items["Year-event loss table"] == ["events.csv, 10 years", "the case (scenarios.events)"]
    assert items["VaR / CVaR level"] == ["85%", "the case (risk.level)"]
    assert "Simulated years" not in items and "Incidents a year (Poisson mean)" not in items
