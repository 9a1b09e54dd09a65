"""Issue #8, items 4, 5, 8, 11 and 14: input that once crashed, hung or was misread gets exit 2
and a message naming the field (or line), the rule, the value and the fix; never a traceback.

One test per class of input; each pins the message a user sees.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from optimizer import CaseError, case_from_bytes, check_case, requirement_basis
from optimizer.case.errors import MAX_SHOWN, Problem, shown
from optimizer.case.loading import MAX_CASE_BYTES
from optimizer.case.schema import Case
from optimizer.cli import main
from optimizer.workbench.market_table import instruments_from_csv

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
CASE_YAML = """\
name: limits
currency: JPY
requirement: {amount: AMOUNT}
instruments:
  - {id: cash, kind: cash, cost_rate: 0.05}
"""


def _yaml_case(amount: str = "10_000_000_000", before: str = "") -> bytes:
    return (before + CASE_YAML.replace("AMOUNT", amount)).encode()


def _problems(raw: bytes, fmt: str | None = None) -> list[str]:
    with pytest.raises(CaseError) as caught:
        case_from_bytes(raw, "case", fmt)
    return [str(problem) for problem in caught.value.problems]


def _only(raw: bytes, fmt: str | None = None) -> str:
    problems = _problems(raw, fmt)
    assert len(problems) == 1, problems
    return problems[0]


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def _data_problems(data: Any) -> list[str]:
    with pytest.raises(CaseError) as caught:
        check_case(data)
    return [str(problem) for problem in caught.value.problems]


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# --- item 4: YAML 1.1 readings a person would not make ------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("010", ("`010` is octal notation in YAML 1.1 (read as 8), which other YAML readers take differently; "
                "if you mean the decimal number 10, write 10 (no leading zero), or put it in quotes if it is text")),
        ("1:30", ("`1:30` is base 60 (sexagesimal) notation in YAML 1.1 (read as 90), which other YAML readers take "
                 "differently; write the number in plain decimal digits (a time or a ratio goes in quotes), "
                 "or put it in quotes if it is text")),
        ("0b1010", ("`0b1010` is binary notation in YAML 1.1 (read as 10), which other YAML readers take "
                   "differently; write the number in plain decimal digits, or put it in quotes if it is text")),
        ("0x10", "`0x10` is hexadecimal notation in YAML 1.1 (read as 16)"),
        ("1:30.5", "`1:30.5` is base 60 (sexagesimal) notation in YAML 1.1 (read as 90.5)"),
        ("-007", ("`-007` is octal notation in YAML 1.1 (read as -7), which other YAML readers take differently; "
                 "if you mean the decimal number -7, write -7")),
    ],
)  # fmt: skip
def test_yaml_1_1_numbers_are_refused_with_the_line_and_the_fix(written, expected):
    message = _only(_yaml_case(written))
    assert message.startswith("the file is not a valid case: line 3: ")
    assert expected in message


def test_quoted_or_decimal_forms_of_the_same_numbers_are_read_plainly():
    assert case_from_bytes(_yaml_case("10_000_000_000")).requirement.amount == 1e10
    text = CASE_YAML.replace("AMOUNT", "1e10").replace("name: limits", "name: '010'\ndescription: 1:30 2025-01-01")
    case = case_from_bytes(text.encode())
    assert case.name == "010"  # quoted: text, as written
    assert case.description == "1:30 2025-01-01"  # not a time, not a date: text


def test_a_date_stays_text_instead_of_becoming_a_date_no_field_takes():
    case = case_from_bytes(_yaml_case(before="description: 2025-01-01\n"))
    assert case.description == "2025-01-01"


def test_csv_with_a_repeated_column_is_refused_like_a_duplicate_key():
    with pytest.raises(CaseError) as caught:
        instruments_from_csv(b"id,kind,cost_rate,cost_rate\ncash,cash,0.05,0.5\n", "quotes.csv")
    assert [str(p) for p in caught.value.problems] == [
        (
            "column 'cost_rate' appears twice in the header (columns 3 and 4); "
            "keep one, as a key may appear only once in a case file"
        )
    ]


def test_csv_with_an_overlong_cell_is_refused_not_raised():
    with pytest.raises(CaseError, match=r"line 2 cannot be read as CSV \(field larger than field limit"):
        instruments_from_csv(b"id,kind\ncash," + b"x" * 200_000 + b"\n")


# --- item 5: billion laughs, and the length of messages ------------------------------------------

LAUGHS = "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9) if level else ', '.join(['lol'] * 9)}]\n"
    for level in range(9)
)


def test_nested_aliases_are_refused_by_their_expanded_size_without_expanding_them():
    raw = _yaml_case(before=LAUGHS.replace("l8: &l8", "name: &l8"))
    raw = raw.replace(b"name: limits\n", b"")
    assert len(raw) < 1000
    assert _only(raw) == (
        "the file expands to 490,329,079 values, more than the 500,000 a case may hold (YAML aliases such as "
        "*name count each time they are used); write the case out without nested aliases"
    )


def test_a_message_quotes_at_most_about_200_characters_of_a_value():
    small_laughs = LAUGHS.split("l3:")[0].replace("l2: &l2", "name: &l2")
    problems = _problems(_yaml_case(before=small_laughs).replace(b"name: limits\n", b""))
    assert problems[0].startswith("name must be text (got [[['lol', 'lol', 'lol', 'lol', 'lol', 'lol', ...], ")
    for problem in problems:
        assert len(problem) < MAX_SHOWN + 300, problem
    assert len(shown("x" * 10_000)) == MAX_SHOWN
    assert shown(10**5000) == "<a 5,001-digit number>"


def test_a_structure_that_contains_itself_is_refused():
    raw = _yaml_case(before="loop: &loop [1, *loop]\n")
    assert _only(raw) == "loop[1] contains itself (a YAML alias inside its own anchor); a case cannot be circular"


def test_describe_lists_the_first_hundred_problems_and_counts_the_rest():
    text = CaseError([Problem(f"f{i}", "is wrong") for i in range(250)], "big.yaml").describe()
    assert text.splitlines()[0] == "big.yaml has 250 problems:"
    assert text.splitlines()[-1] == "  ... and 150 more; fix these first"
    assert len(text.splitlines()) == 102


# --- item 8: tracebacks where a message belongs ---------------------------------------------


def test_regime_that_yields_r_zero_is_refused_by_validate(tmp_path, capsys):
    data = _example("jp-midsize-regime.yaml")
    data["exchange"].update(trading_volume=0, client_crypto_hot=0, client_crypto_cold=0)
    data["requirement"]["assumptions"] = {"floor": 0}
    path = tmp_path / "zero.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = _cli(capsys, "validate", str(path))
    assert (code, out) == (2, "")
    assert (
        "requirement.regime gives R = ¥0 (computed by jp-fsa-draft: R = min(cap, max(floor, max(volume, custody))) "
        "with volume ¥0, custody ¥0, floor ¥0, cap ¥40,000,000,000); R must be at least ¥1,000, because tolerances are "
        "one unit of currency and a reserve of (nearly) nothing needs no optimising: check the exchange figures and "
        "assumptions the rule uses, or give `requirement.amount`"
    ) in err
    assert _cli(capsys, "solve", str(path))[0] == 2


def test_rules_records_a_point_whose_r_is_zero_instead_of_crashing(capsys):
    code, out, err = _cli(
        capsys, "rules", str(EXAMPLES / "jp-midsize-regime.yaml"), "--vary", "floor=0,2000000000",
        "--vary", "custody_rate=0", "--vary", "volume_rate=0", "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith('0,0,0,invalid,,,,,"requirement.regime gives R = ¥0 (computed by jp-fsa-draft')
    assert lines[2].startswith("2e+09,0,0,optimal,2000000000.00,")


def test_requirement_basis_refuses_r_zero_for_a_case_built_in_code():
    valid = check_case(_example("jp-midsize-regime.yaml"))
    data = valid.model_dump()
    data["exchange"].update(trading_volume=0.0, client_crypto_hot=0.0, client_crypto_cold=0.0)
    data["requirement"]["assumptions"] = {"floor": 0.0}
    built = Case.model_validate(data)  # no check_case: built in code
    with pytest.raises(CaseError, match=r"requirement\.regime gives R = ¥0"):
        requirement_basis(built)


def test_an_fx_rate_that_makes_r_huge_is_refused():
    data = _example("eu-casp-small-regime.yaml")
    data["currency"], data["fx"] = "JPY", {"EUR": 1e17}
    assert _data_problems(data) == [
        (
            "requirement.regime gives R = ¥1.25e22 (computed by eu-mica-art67: R = max(class_2_minimum, overheads) "
            "with class_2_minimum ¥1.25e22, overheads ¥300,000), above the largest amount a case may hold, 1e18; "
            "check the digits of the figures R is computed from (and the fx rate)"
        )
    ]


def test_profile_figures_past_the_largest_number_are_refused_before_any_sum_overflows():
    data = _example("jp-midsize-regime.yaml")
    data["exchange"].update(client_crypto_hot=1e308, client_crypto_cold=1e308)
    assert _data_problems(data) == [
        (
            "exchange.client_crypto_hot must be at most 1e18 in size (got 1e+308); no amount, rate or count in a "
            "reserve case comes near it, and past it sums cannot be kept to one unit of currency. Check the digits"
        ),
        (
            "exchange.client_crypto_cold must be at most 1e18 in size (got 1e+308); no amount, rate or count in a "
            "reserve case comes near it, and past it sums cannot be kept to one unit of currency. Check the digits"
        ),
    ]


@pytest.mark.parametrize(
    ("index", "field", "value", "expected"),
    [
        (3, "limit", 1e-300, ("instruments[3].limit must be between 1e-12 and 1e6 times R, so from ¥0.01 to "
                             "¥1e16 here (got ¥1e-300, below that); amounts further from R cannot be solved "
                             "reliably, as the model works in units of R with tolerances near 1e-9. Check the digits, "
                             "and that every amount is in the case currency")),
        (7, "payout", 1e17, ("instruments[7].payout must be between 1e-12 and 1e6 times R, so from ¥0.01 to ¥1e16 "
                            "here (got ¥1e17, above that)")),
        (1, "max_amount", 1e17, "Leave max_amount out if it means 'no limit', or check the digits"),
    ],
)  # fmt: skip
def test_amounts_far_from_r_are_refused_naming_field_value_bound_and_why(index, field, value, expected):
    data = _example("jp-midsize.yaml")
    data["instruments"][index][field] = value
    (problem,) = _data_problems(data)
    assert expected in problem


def test_a_tiny_requirement_is_refused():
    assert _only(_yaml_case("1e-300")) == (
        "requirement.amount gives R = ¥1e-300 (given in the case); R must be at least ¥1,000, because tolerances "
        "are one unit of currency and a reserve of (nearly) nothing needs no optimising: check the digits"
    )


def test_a_payout_of_1e15_against_a_small_r_is_refused():
    data = _example("jp-midsize.yaml")
    data["requirement"]["amount"] = 1_000
    data["instruments"] = [data["instruments"][0], {**data["instruments"][7], "payout": 1e15, "trigger": 0}]
    data["constraints"] = {}
    assert _data_problems(data) == [
        (
            "instruments[1].payout must be between 1e-12 and 1e6 times R, so from ¥1e-9 to ¥1,000,000,000 here (got "
            "¥1e15, above that); amounts further from R cannot be solved reliably, as the model works in units of R "
            "with tolerances near 1e-9. Check the digits, and that every amount is in the case currency"
        )
    ]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_deep_nesting_is_refused_not_a_recursion_error(fmt):
    nested = "[" * 50_000 + "]" * 50_000
    raw = f'{{"x": {nested}}}' if fmt == "json" else f"x: {nested}\n"
    message = _only(raw.encode(), fmt)
    assert "the file is nested more than 20 levels deep; a case needs 4 (case, instruments, an instrument" in message


def test_a_list_or_a_number_as_a_key_is_refused_with_what_keys_are():
    assert _only(_yaml_case(before="? [a, b]\n: 1\n")) == (
        "the file is not a valid case: line 1: a key is a list; keys are field names: write them as plain text"
    )
    assert _only(_yaml_case(before="1: x\n")) == (
        "the case has a key 1 that is not text (a number); keys are field names or currency codes: write them as text"
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("digits", [400, 5_000])
def test_integers_with_hundreds_of_digits_are_refused_by_size(fmt, digits):
    number = "9" * digits
    raw = _yaml_case(number) if fmt == "yaml" else json.dumps({"requirement": {"amount": 1}}).replace("1", number)
    message = _only(raw if isinstance(raw, bytes) else raw.encode(), fmt)
    assert f"a number with {digits:,} digits; the largest number a case may hold is 1e18 (19 digits)" in message


def test_a_lone_surrogate_is_refused_on_loading_not_when_printed(tmp_path, capsys):
    data = _example("jp-midsize.yaml")
    data["name"] = "PLACEHOLDER"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(data).replace("PLACEHOLDER", "\\ud800 bank"), encoding="utf-8")
    code, out, err = _cli(capsys, "solve", str(path), "--format", "json")
    assert code == 2
    assert out == "" or json.loads(out)["status"] == "invalid"
    assert (
        "name has text with an unpaired surrogate U+D800 at character 0 (got '\\ud800 bank'), which is not a "
        "Unicode character; fix the \\u escape (a pair such as \\ud83d\\ude00 makes one character)"
    ) in err


def test_an_endless_file_is_refused_at_the_size_limit(capsys):
    code, out, err = _cli(capsys, "validate", "/dev/zero")
    assert code == 2
    assert err == (
        "/dev/zero has 1 problem:\n  - the file is over the 4,000,000-byte limit on a case file (about 20,000 "
        "instruments); check it is the right file, or split the market into smaller cases\n"
    )
    assert _only(b" " * (MAX_CASE_BYTES + 1)).startswith("the file (4,000,001 bytes) is over the 4,000,000-byte")


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}"])
def test_yaml_tags_that_make_values_no_field_takes_are_refused(tag):
    message = _only(_yaml_case().replace(b"name: limits", f"name: {tag}".encode()))
    assert re.match(r"name is (binary data|a set) \(got .*\), which no case field takes", message)


# --- item 11: strict JSON -------------------------------------------------------------------


def _strict(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_json_answers_of_every_example_are_strict_json(name, capsys):
    code, out, _ = _cli(capsys, "solve", str(EXAMPLES / name), "--format", "json")
    assert code in (0, 3)
    assert _strict(out)["status"] in ("optimal", "infeasible")


def test_non_finite_profile_figures_are_refused_at_validation(tmp_path, capsys):
    path = tmp_path / "inf.json"
    data = _example("jp-midsize.yaml")
    data["exchange"]["client_crypto_cold"] = float("inf")
    path.write_text(json.dumps(data), encoding="utf-8")  # writes Infinity, as a careless tool would
    code, out, err = _cli(capsys, "solve", str(path), "--format", "json")
    assert code == 2
    assert "exchange.client_crypto_cold must be a finite number (got inf)" in err
    assert out == "" or _strict(out)["status"] == "invalid"


# --- item 14: clear messages ----------------------------------------------------------------


def test_thousands_separators_inside_braces_are_explained():
    assert _only(_yaml_case("10,000,000,000")) == (
        "the file is not a valid case: line 3: 'requirement: {amount: 10,000,000,000}' has a number with commas "
        "inside [ ] or { }, where commas separate entries, so it reads as several values; commas are not thousands "
        "separators in a case file: write 10_000_000_000 or 10000000000"
    )


def test_thousands_separators_in_block_style_are_explained():
    raw = _yaml_case().replace(b"requirement: {amount: 10_000_000_000}", b"requirement:\n  amount: 10,000,000,000")
    assert _only(raw) == (
        "requirement.amount must be a number (got '10,000,000,000'); commas are not thousands separators in a case "
        "file: write 10_000_000_000 or leave them out"
    )


def test_a_merge_key_is_refused_with_why():
    raw = _yaml_case(before="defaults: &d {kind: cash}\n").replace(b"- {id: cash, kind: cash,", b"- {<<: *d, id: cash,")
    assert _only(raw) == (
        "the file is not a valid case: line 6: `<<` (a YAML 1.1 merge key) is not accepted: YAML 1.2 reads it as an "
        "ordinary key, so the file would mean different things to different tools, and it lets one value silently "
        "replace another; write the fields out in each mapping (an alias *name of a whole value is fine)"
    )


def test_a_key_given_twice_still_names_both_lines():
    assert _only(_yaml_case(before="currency: EUR\n")) == (
        "the file is not a valid case: key 'currency' appears twice in one mapping (lines 1 and 3); keep one"
    )


def test_every_bad_input_above_raises_case_error_only_for_the_app():
    # The app calls case_from_bytes on uploads: anything else would end the user's session.
    inputs = [b"\xff\xfe", b"[" * 100_000, b"{" * 100_000, b"a: *undefined", b"!!python/object:os.system {}",
              b"\x00\x01", b"%YAML 9.9\n---\na: 1", b"- - - - -", b"&a [*a]"]  # fmt: skip
    for raw in inputs:
        with pytest.raises(CaseError):
            case_from_bytes(raw)


def test_check_case_on_data_built_in_code_refuses_integers_past_float_range_without_overflowing():
    # The app hands check_case data it built; 10**400 once overflowed in the floor/cap check.
    data = _example("jp-midsize-regime.yaml")
    data["requirement"]["assumptions"] = {"floor": 10**400}
    data["instruments"] = tuple(data["instruments"])
    assert _data_problems(data) == [
        ("requirement.assumptions.floor must be at most 1e18 in size (got <a 401-digit number>); no amount, rate or "
        "count in a reserve case comes near it, and past it sums cannot be kept to one unit of currency. "
        "Check the digits")
    ]
