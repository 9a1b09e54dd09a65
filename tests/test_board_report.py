"""The board report (#12 item 14): HTML and PDF from the same blocks, from the app and the CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optimizer import check_case, load_case, optimize
from optimizer.cli import main
from optimizer.workbench.audit import audit_record
from optimizer.workbench.board_report import LadderChart, board_report, case_sha256, ticks
from optimizer.workbench.report_html import report_html
from optimizer.workbench.report_pdf import report_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
WHEN = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def solved(name):
    case = load_case(EXAMPLES / name)
    return case, optimize(case)


def test_the_html_report_has_every_section_and_the_audit_hash():
    case, solution = solved("jp-midsize-regime.yaml")
    html = report_html(board_report(case, solution, "en", generated=WHEN))
    for text in ("Liability reserve: ", "The requirement and how it was computed", "R = min(cap, max(floor",
                 "The cheapest compliant mix", "Coverage ladder", "What binds", "Audit", "2026-03-31 09:00 UTC",
                 "¥350m", "¥8.0bn", "https://jinacoin.ne.jp/"):
        assert text in html, text
    # The hash is the one the audit record of the same case carries.
    canonical = json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), default=str)
    record = audit_record(case, canonical.encode(), solution, WHEN, WHEN, "test")
    assert case_sha256(case) == record["case_sha256"] in html
    assert html.count("<polygon") == len([item for item in solution.allocations if item.amount > 0])
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_japanese_report_in_oku_units():
    case, solution = solved("jp-midsize.yaml")
    html = report_html(board_report(case, solution, "ja", generated=WHEN))
    assert '<html lang="ja">' in html and "責任準備金" in html and "2.74億円" in html and "100億円" in html
    western = report_html(board_report(case, solution, "ja", generated=WHEN, oku=False))
    assert "¥274m" in western and "億円" not in western.split("<h2>")[1]


def test_user_text_is_escaped():
    raw = load_case(EXAMPLES / "jp-midsize.yaml").model_dump(mode="json")
    raw["name"] = '<script>alert(1)</script> & "x"'
    case = check_case(raw)
    html = report_html(board_report(case, optimize(case), "en", generated=WHEN))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in html


def test_an_infeasible_case_reports_its_diagnosis_and_fixes():
    case, solution = solved("jp-midsize-infeasible.yaml")
    html = report_html(board_report(case, solution, "en", generated=WHEN))
    assert "Why no mix meets the requirement" in html and "raise lc-bank-a" in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_pdf_is_a_pdf_with_its_fonts(language):
    case, solution = solved("jp-midsize.yaml")
    pdf = report_pdf(board_report(case, solution, language, generated=WHEN))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 4000
    assert (b"HeiseiKakuGo-W5" in pdf) == (language == "ja")


def test_axis_ticks_are_round():
    assert ticks(8.4) == [0, 2, 4, 6, 8, 10]
    assert ticks(105.0) == [0, 50, 100, 150]
    assert ticks(0.0) == [0.0, 1.0]


def test_the_ladder_chart_stacks_what_was_bought():
    case, solution = solved("jp-midsize.yaml")
    blocks = board_report(case, solution, generated=WHEN).blocks
    chart = next(block for block in blocks if isinstance(block, LadderChart))
    assert [name for name, _ in chart.bands] == [item.id for item in solution.allocations if item.amount > 0]
    assert chart.requirement == pytest.approx(10.0)  # ¥10bn in ¥bn


def test_the_command_line_writes_html_and_pdf(tmp_path, capsys):
    case = EXAMPLES / "jp-midsize.yaml"
    assert main(["report", str(case), "--out", str(tmp_path / "r.html")]) == 0
    assert "Mid-size Japanese crypto-asset exchange" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["report", str(case), "--out", str(tmp_path / "r.pdf"), "--lang", "ja"]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert main(["report", str(EXAMPLES / "jp-midsize-infeasible.yaml"), "--out", str(tmp_path / "i.html")]) == 3
    assert main(["report", str(case), "--out", str(tmp_path / "r.txt")]) == 2
    assert "--out must end in .html or .pdf" in capsys.readouterr().err
    copy = tmp_path / "case.html"  # a case file with an unlucky name: never overwritten by its report
    copy.write_bytes(case.read_bytes())
    assert main(["report", str(copy), "--out", str(copy)]) == 2
    assert "refusing to write the report" in capsys.readouterr().err
    assert hashlib.sha256(copy.read_bytes()).digest() == hashlib.sha256(case.read_bytes()).digest()
