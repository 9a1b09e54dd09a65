"""The README's main command works on every shipped example."""

import json
from pathlib import Path

import pytest

from optimizer.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


@pytest.mark.parametrize("name", ["jp-midsize", "eu-casp-small", "hk-platform"])
def test_examples_solve_to_a_verified_optimum(name, capsys):
    assert main(["solve", str(EXAMPLES / f"{name}.yaml"), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "optimal"
    assert answer["verified"] is True
    assert answer["total_cost"] > 0


def test_infeasible_example_exits_3_with_a_diagnosis(capsys):
    assert main(["solve", str(EXAMPLES / "jp-midsize-infeasible.yaml"), "--format", "json"]) == 3
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "infeasible"
    assert answer["diagnosis"][0]["shortfall"] > 0
