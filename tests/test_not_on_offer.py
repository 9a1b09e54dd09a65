"""An instrument offered with zero capacity has no entry price (issue #8.14).

It was said to "enter at 5% or less": no price makes an instrument enter a mix when none of
it is on offer. The answer lists it apart, in the JSON and the table.
"""

from __future__ import annotations

import json

from optimizer import Status, check_case, optimize
from optimizer.workbench.report import render_table

BN = 1e9


def test_zero_capacity_instruments_get_no_entry_price():
    # R = 10 (face). Cash at 5% unbounded; a guarantee at 2% but max_amount 0; parametric
    # cover at 1% of its payout but max_units 0; a guarantee at 6% with room (a real
    # break-even: it would enter at 5%, the price of the cash it would replace).
    data = {
        "name": "zero capacity",
        "currency": "JPY",
        "requirement": {"amount": 10 * BN},
        "coverage": "face",
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05},
            {"id": "lc-none", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.02, "max_amount": 0},
            {
                "id": "cat-none",
                "kind": "parametric",
                "counterparty": "Dealer D",
                "trigger": 0,
                "payout": 1 * BN,
                "premium": 0.01 * BN,
                "max_units": 0,
            },
            {"id": "lc-dear", "kind": "guarantee", "counterparty": "Bank B", "fee_rate": 0.06},
        ],
    }
    solution = optimize(check_case(data))
    assert solution.status is Status.OPTIMAL
    assert solution.total_cost == 0.5 * BN
    assert solution.not_on_offer == ("lc-none", "cat-none")
    assert [signal.id for signal in solution.not_bought] == ["lc-dear"]
    answer = json.loads(json.dumps(solution.to_dict()))
    assert answer["not_on_offer"] == ["lc-none", "cat-none"]
    table = render_table(solution)
    assert "lc-dear (guarantee): fee_rate 6% now; enters at fee_rate 5% or less" in table
    assert "Offered with zero capacity, so they cannot be bought and have no entry price:" in table
    assert "  - lc-none\n  - cat-none" in table
    assert "lc-none (guarantee)" not in table and "cat-none (parametric)" not in table
