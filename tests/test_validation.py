"""Every kind of bad input is refused with a message that names the field, the rule, the value
and the fix (style.md, "Errors"), all problems at once, and never a traceback in the CLI.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from optimizer import CaseError, case_from_bytes, check_case, load_case
from optimizer.cli import main

VALID: dict[str, Any] = {
    "name": "validation base",
    "currency": "JPY",
    "requirement": {"amount": 10_000_000_000},
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05},
        {
            "id": "xl-1",
            "kind": "insurance",
            "counterparty": "Syndicate 1",
            "attachment": 2_000_000_000,
            "limit": 5_000_000_000,
            "premium_rate": 0.03,
        },
        {"id": "lc-1", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.012, "max_amount": 1_000_000_000},
    ],
}

VALID_YAML = """\
name: validation base
currency: JPY
requirement:
  amount: 10_000_000_000
instruments:
  - {id: cash, kind: cash, cost_rate: 0.05}
  - {id: xl-1, kind: insurance, counterparty: Syndicate 1, attachment: 2_000_000_000,
     limit: 5_000_000_000, premium_rate: 0.03}
"""


def _base() -> dict[str, Any]:
    return copy.deepcopy(VALID)


def _problems(data: Any) -> list[str]:
    with pytest.raises(CaseError) as caught:
        check_case(data)
    return [str(problem) for problem in caught.value.problems]


def _only_problem(data: Any) -> str:
    problems = _problems(data)
    assert len(problems) == 1, problems
    return problems[0]


def _bytes_problem(raw: bytes, fmt: str | None = None) -> str:
    with pytest.raises(CaseError) as caught:
        case_from_bytes(raw, "upload.case", fmt)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert str(caught.value).startswith("upload.case has 1 problem:")
    return str(caught.value.problems[0])


def test_the_base_case_is_valid():
    # The bad inputs below are this case with one thing wrong.
    assert check_case(_base()).instrument("xl-1").limit == 5e9
    assert case_from_bytes(VALID_YAML.encode()).requirement.amount == 1e10


# --- fields --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "field", "path", "suggestion"),
    [
        ((), "nmae", "nmae", "name"),
        (("instruments", 1), "premum_rate", "instruments[1].premum_rate", "premium_rate"),
        (("instruments", 0), "cost_rat", "instruments[0].cost_rat", "cost_rate"),
        (("requirement",), "amont", "requirement.amont", "amount"),
    ],
)
def test_unknown_field_is_named_with_a_did_you_mean(where, field, path, suggestion):
    data = _base()
    node: Any = data
    for part in where:
        node = node[part]
    node[field] = 1
    with pytest.raises(CaseError, match=rf"  - {re.escape(path)} is not a field of .* did you mean '{suggestion}'\?"):
        check_case(data)


def test_unknown_field_far_from_any_known_one_asks_to_remove_it():
    data = _base()
    data["instruments"][0]["colour"] = "green"
    message = _only_problem(data)
    assert message.startswith("instruments[0].colour is not a field of cash instruments (got 'green')")
    assert "remove it or fix the spelling" in message
    assert "Known fields: " in message and "cost_rate" in message


@pytest.mark.parametrize(
    ("index", "field", "value", "expected"),
    [
        (0, "max_amount", -5, r"instruments\[0\]\.max_amount must be an amount of money of zero or more \(got -5"),
        (1, "attachment", -1, r"instruments\[1\]\.attachment must be an amount of money of zero or more \(got -1"),
        (1, "limit", -1e9, r"instruments\[1\]\.limit must be an amount of money above zero \(got -1000000000"),
        (1, "limit", 0, r"instruments\[1\]\.limit must be an amount of money above zero \(got 0"),
        (0, "cost_rate", -0.01, r"instruments\[0\]\.cost_rate must be between 0 and 1 \(got -0\.01\)"),
    ],
)
def test_negative_amounts_and_wrong_signs_are_refused(index, field, value, expected):
    data = _base()
    data["instruments"][index][field] = value
    assert re.match(expected, _only_problem(data))


def test_negative_requirement_is_refused():
    data = _base()
    data["requirement"]["amount"] = -1e10
    with pytest.raises(CaseError, match=r"requirement\.amount must be an amount of money above zero \(got -1"):
        check_case(data)


def test_rate_given_as_a_percentage_says_what_the_fraction_is():
    data = _base()
    data["instruments"][1]["premium_rate"] = 3.5
    with pytest.raises(CaseError, match=r"instruments\[1\]\.premium_rate must be between 0 and 1 \(got 3\.5\)"):
        check_case(data)
    assert "3.5% is 0.035" in _only_problem(data)


def test_rate_as_a_percent_string_is_refused_with_the_fraction_hint():
    data = _base()
    data["instruments"][2]["fee_rate"] = "1.2%"
    message = _only_problem(data)
    assert message.startswith("instruments[2].fee_rate must be a number (got '1.2%')")
    assert "3.5% is 0.035" in message


def test_share_above_one_is_refused():
    data = _base()
    data["instruments"][1]["max_share"] = 1.5
    with pytest.raises(CaseError, match=r"instruments\[1\]\.max_share must be between 0 and 1 \(got 1\.5\)"):
        check_case(data)
    data["instruments"][1]["max_share"] = 250
    assert _only_problem(data) == "instruments[1].max_share must be between 0 and 1 (got 250.0)"


def test_min_share_above_max_share_is_refused():
    data = _base()
    data["instruments"][1].update(max_share=0.3, min_share=0.5)
    assert _only_problem(data) == (
        "instruments[1].min_share must not exceed max_share 0.3 (got 0.5); lower min_share or raise max_share"
    )


def test_duplicate_ids_name_both_places():
    data = _base()
    data["instruments"][2]["id"] = "cash"
    assert _only_problem(data) == (
        "instruments[2].id must be unique (got 'cash', already used by instruments[0]); rename one of them"
    )


def test_missing_counterparty_is_required_for_cover():
    data = _base()
    del data["instruments"][1]["counterparty"]
    assert _only_problem(data) == (
        "instruments[1].counterparty is required for insurance instruments (got nothing); "
        "name the bank, insurer or dealer that pays"
    )


def test_unknown_instrument_kind_lists_the_kinds():
    data = _base()
    data["instruments"][0]["kind"] = "bond"
    message = _only_problem(data)
    assert message.startswith("instruments[0] needs `kind` to be one of cash, guarantee, insurance, parametric")
    assert "(got 'bond')" in message


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinite_numbers_are_refused(value):
    data = _base()
    data["instruments"][1]["limit"] = value
    with pytest.raises(CaseError, match=r"instruments\[1\]\.limit must be a finite number \(got -?(nan|inf)\)"):
        check_case(data)


def test_yaml_nan_and_inf_are_refused():
    text = VALID_YAML.replace("amount: 10_000_000_000", "amount: .nan").replace("cost_rate: 0.05", "cost_rate: .inf")
    with pytest.raises(CaseError) as caught:
        case_from_bytes(text.encode(), "upload.yaml", "yaml")
    assert [str(p) for p in caught.value.problems] == [
        "requirement.amount must be a finite number (got nan); write the amount as plain digits",
        "instruments[0].cost_rate must be a finite number (got inf); write the amount as plain digits",
    ]


def test_json_nan_and_infinity_are_refused():
    text = json.dumps(_base()).replace("10000000000", "NaN").replace("0.05", "Infinity")
    with pytest.raises(CaseError) as caught:
        case_from_bytes(text.encode(), "upload.json", "json")
    assert [str(p) for p in caught.value.problems] == [
        "requirement.amount must be a finite number (got nan); write the amount as plain digits",
        "instruments[0].cost_rate must be a finite number (got inf); write the amount as plain digits",
    ]


def test_empty_instrument_list_is_refused():
    data = _base()
    data["instruments"] = []
    assert _only_problem(data) == (
        "instruments must list at least one instrument (got an empty list); add the cash, guarantees or layers on offer"
    )


def test_requirement_given_both_ways_is_refused():
    data = _base()
    data["requirement"]["regime"] = "jp-fsa-draft"
    problems = _problems(data)
    assert problems[0] == (
        "requirement must give exactly one of amount and regime "
        "(got amount=10000000000 and regime='jp-fsa-draft'); keep the one that should set R"
    )


def test_requirement_given_neither_way_is_refused():
    data = _base()
    data["requirement"] = {}
    assert _only_problem(data) == (
        "requirement must give exactly one of amount and regime (got neither); "
        "add `amount: <R in the case currency>` or `regime: <rulebook id>`"
    )


def test_top_level_list_is_not_a_case():
    with pytest.raises(
        CaseError, match=r"must be a mapping with name, currency, requirement and instruments \(got list\)"
    ):
        check_case([VALID])
    assert "(got list)" in _bytes_problem(b"- name: x\n- currency: JPY\n")


def test_empty_file_is_not_a_case():
    assert "(got an empty file)" in _bytes_problem(b"")


# --- files ---------------------------------------------------------------------------------


def test_malformed_yaml_names_line_and_column():
    message = _bytes_problem(b"name: x\n  currency: JPY\n", "yaml")
    assert message.startswith("the file is not valid YAML: mapping values are not allowed here at line 2 column 11")
    assert "check the indentation and colons there" in message


def test_malformed_json_names_line_and_column():
    message = _bytes_problem(b'{"name": "x",\n "currency": }', "json")
    assert message == "the file is not valid JSON: Expecting value at line 2 column 14"


def test_non_utf8_file_names_the_byte():
    raw = VALID_YAML.encode().replace(b"validation base", b"valid\xe9")  # Latin-1 e-acute
    assert _bytes_problem(raw) == (
        "the file is not UTF-8 text (byte 0xe9 at position 11); save it as UTF-8 and try again"
    )


def test_utf8_byte_order_mark_is_accepted():
    assert case_from_bytes(b"\xef\xbb\xbf" + VALID_YAML.encode()).name == "validation base"


def test_duplicate_keys_in_yaml_are_refused_with_both_lines():
    text = VALID_YAML.replace("currency: JPY\n", "currency: JPY\ncurrency: EUR\n")
    assert _bytes_problem(text.encode(), "yaml") == (
        "the file is not a valid case: key 'currency' appears twice in one mapping (lines 2 and 3); keep one"
    )


def test_duplicate_keys_in_json_are_refused():
    text = json.dumps(_base()).replace('"currency": "JPY"', '"currency": "JPY", "currency": "EUR"')
    assert _bytes_problem(text.encode(), "json") == (
        "the file is not a valid case: key 'currency' appears twice in one object; keep one"
    )


def test_load_case_reports_a_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CaseError, match="cannot read the file: No such file or directory") as caught:
        load_case(missing)
    assert caught.value.source == str(missing)


# --- all at once ---------------------------------------------------------------------------


def test_five_problems_are_reported_together():
    data = _base()
    data["instruments"][0]["cost_rat"] = 0.05  # 1. unknown field (and so ...
    del data["instruments"][0]["cost_rate"]  # ... 2. the real one is missing)
    data["instruments"][1]["premium_rate"] = 3.5  # 3. a percentage
    data["instruments"][2]["id"] = "xl-1"  # 4. a duplicate id
    del data["instruments"][2]["counterparty"]  # 5. no counterparty
    with pytest.raises(CaseError) as caught:
        check_case(data)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 5, problems
    text = str(caught.value)
    assert text.startswith("the case has 5 problems:\n")
    for start in (
        "instruments[0].cost_rat is not a field of cash instruments",
        "instruments[0].cost_rate is required (got nothing)",
        "instruments[1].premium_rate must be between 0 and 1 (got 3.5); rates are fractions, so 3.5% is 0.035",
        "instruments[2].id must be unique (got 'xl-1', already used by instruments[1])",
        "instruments[2].counterparty is required for guarantee instruments",
    ):
        assert f"  - {start}" in text, start


# --- the command line ----------------------------------------------------------------------


def test_cli_validate_bad_file_exits_2_with_every_message_and_no_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID_YAML.replace("premium_rate: 0.03", "premium_rate: 3.5, colour: red"), encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{bad} has 2 problems:")
    assert "instruments[1].premium_rate must be between 0 and 1 (got 3.5)" in captured.err
    assert "instruments[1].colour is not a field of insurance instruments" in captured.err
    assert "Traceback" not in captured.err


def test_cli_validate_good_file_exits_0(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(VALID_YAML, encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert "valid case 'validation base' (2 instruments, JPY)" in capsys.readouterr().out


def test_cli_validate_non_utf8_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(VALID_YAML.encode().replace(b"validation base", b"valid\xe9"))
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "the file is not UTF-8 text (byte 0xe9" in err
    assert "Traceback" not in err


def test_cli_solve_missing_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main(["solve", str(missing), "--format", "json"]) == 2
    captured = capsys.readouterr()
    answer = json.loads(captured.out)  # scripts read every outcome on stdout (issue #8, item 13)
    assert answer["status"] == "invalid" and answer["source"] == str(missing)
    assert answer["errors"][0].startswith("cannot read the file")
    assert f"{missing} has 1 problem:" in captured.err
    assert "cannot read the file" in captured.err
    assert "Traceback" not in captured.err


def test_cli_schema_prints_the_case_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "instruments" in schema["properties"]
    assert set(schema["required"]) >= {"name", "currency", "requirement", "instruments"}
