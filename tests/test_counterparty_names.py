"""One counterparty however its name is spelled (issue #8.3).

"Bank A", "bank a", "Bank A ", " BANK  A" and "Bank A" with a non-breaking space each got a
cap of their own: 100% of R from one bank, no warning. They are now one counterparty for the
cap rows, for verify_solution's re-check, for premium scales by counterparty, and the answer
(JSON and table) lists the spellings it treated as one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import decisions_of

from optimizer import Status, check_case, optimize, requirement_basis, verify_solution
from optimizer.case.names import counterparty_groups, counterparty_key, merged_spellings, tidy_name
from optimizer.cli import main
from optimizer.workbench.report import render_table
from optimizer.workbench.variants import Levers, Target, TargetKind, apply_levers, premium_targets

BN = 1e9
FIVE = ("Bank A", "bank a", "Bank A ", " BANK  A", "Bank\u00a0A")


def _case(names: tuple[str, ...], cap: float = 0.2) -> dict[str, Any]:
    # R = 10 (face); cash at 5% unbounded; one guarantee at 1% per spelling, unbounded.
    return {
        "name": "spellings",
        "currency": "JPY",
        "requirement": {"amount": 10 * BN},
        "coverage": "face",
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05},
            *(
                {"id": f"lc-{index}", "kind": "guarantee", "counterparty": name, "fee_rate": 0.01}
                for index, name in enumerate(names)
            ),
        ],
        "constraints": {"max_counterparty_fraction": cap},
    }


@pytest.mark.parametrize(
    "spelling",
    [*FIVE, "BANK A", "Bank\u2003A", "Bank\u200b A", "\ufeffBank A", "Ｂａｎｋ Ａ", "Bank\tA\n"],
)
def test_spellings_of_one_name_share_one_key(spelling):
    # NFKC (no-break, em and full-width forms), case folding, Cf characters, whitespace runs.
    assert counterparty_key(spelling) == counterparty_key("Bank A") == "bank a"


@pytest.mark.parametrize("other", ["Bank A Ltd", "Bank B", "BankA", "Bank-A", "Bank Á"])
def test_different_names_stay_different(other):
    assert counterparty_key(other) != counterparty_key("Bank A")


def test_case_folding_is_unicode_aware():
    assert counterparty_key("STRASSE Bank") == counterparty_key("Straße bank")


def test_groups_keep_every_spelling_in_case_order_and_show_the_first_tidied():
    [group, other] = counterparty_groups([" BANK  A", None, "Bank A", "Bank B", "bank a", "Bank A"])
    assert (group.name, group.spellings) == ("BANK A", (" BANK  A", "Bank A", "bank a"))
    assert (other.name, other.spellings) == ("Bank B", ("Bank B",))
    assert merged_spellings(["Bank B", "Bank B"]) == {}
    assert tidy_name("Bank\u00a0A ") == "Bank A"


def test_the_cap_holds_across_all_five_spellings():
    # One bank may give at most 20% of R = 2, whatever the spelling: the other 8 is cash.
    #   Cost: 2 x 0.01 + 8 x 0.05 = 0.42 (it was 10 x 0.01 = 0.10, all from "one" bank).
    case = check_case(_case(FIVE))
    solution = optimize(case)
    assert solution.status is Status.OPTIMAL
    bank = sum(item.credited for item in solution.allocations if item.counterparty)
    assert bank == pytest.approx(2 * BN)
    assert solution.total_cost == pytest.approx(0.42 * BN)
    # The same as a case that spells the bank one way throughout.
    assert optimize(check_case(_case(("Bank A",) * 5))).total_cost == pytest.approx(solution.total_cost)
    [cap] = [item for item in solution.binding if item.family == "counterparty_cap"]
    assert cap.text.startswith("Bank A may provide at most 20%")


def test_the_answer_says_which_spellings_were_treated_as_one():
    solution = optimize(check_case(_case((*FIVE, "Bank B"))))
    answer = json.loads(json.dumps(solution.to_dict()))
    assert answer["merged_counterparties"] == {"Bank A": list(FIVE)}
    table = render_table(solution)
    assert "one counterparty" in table
    assert "'Bank A', 'bank a', 'Bank A ', ' BANK  A', 'Bank\\xa0A' (one cap for all)" in table
    assert "Bank B:" not in table


def test_a_case_with_one_spelling_per_name_has_no_note():
    solution = optimize(check_case(_case(("Bank A", "Bank B"))))
    assert solution.to_dict()["merged_counterparties"] == {}
    assert "one counterparty" not in render_table(solution)


def test_verify_solution_counts_every_spelling_against_one_cap():
    # 2 from each of the five spellings: 10 from one bank, five times its cap.
    case = check_case(_case(FIVE))
    basis = requirement_basis(case)
    mix = {"cash": 0.0, **{f"lc-{index}": 2 * BN for index in range(5)}}
    problems = verify_solution(case, basis, mix)
    assert len(problems) == 1
    assert "'Bank A' credits 10,000,000,000.00, above its cap 2,000,000,000.00" in problems[0]
    # The optimum passes the same re-check.
    solution = optimize(case)
    assert verify_solution(case, basis, decisions_of(solution), solution.total_cost) == []


def test_an_infeasible_case_names_the_counterparty_once():
    # No cash; the only cover is Bank A's, spelled five ways: at most 20% of R. The least
    # fix is a cap of 100%, not 20% per spelling.
    data = _case(FIVE)
    data["instruments"] = data["instruments"][1:]
    solution = optimize(check_case(data))
    assert solution.status is Status.INFEASIBLE
    [fix] = solution.fixes
    assert (fix.field, fix.proposed) == ("constraints.max_counterparty_fraction", pytest.approx(1.0))
    assert "(so Bank A can provide more)" in fix.change
    assert solution.to_dict()["merged_counterparties"] == {"Bank A": list(FIVE)}
    assert "one cap for all" in render_table(solution)


def test_a_premium_scale_by_counterparty_applies_to_every_spelling():
    case = check_case(_case((*FIVE, "Bank B")))
    parties = [target for target in premium_targets(case) if target.by is TargetKind.COUNTERPARTY]
    assert [target.name for target in parties] == ["Bank A", "Bank B"]
    levers = Levers(premium_scale={Target(TargetKind.COUNTERPARTY, "bank a"): 2.0})
    scaled = apply_levers(case.model_dump(mode="json"), levers)
    rates = {item["id"]: item["fee_rate"] for item in scaled["instruments"] if item["kind"] == "guarantee"}
    assert rates == {"lc-0": 0.02, "lc-1": 0.02, "lc-2": 0.02, "lc-3": 0.02, "lc-4": 0.02, "lc-5": 0.01}


def test_validate_and_solve_say_which_spellings_are_one(tmp_path, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case(FIVE)), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    note = "'Bank A', 'bank a', 'Bank A ', ' BANK  A', 'Bank\\xa0A' are one counterparty, Bank A"
    assert note in capsys.readouterr().out
    assert main(["solve", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["merged_counterparties"] == {"Bank A": list(FIVE)}
