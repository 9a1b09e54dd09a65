"""The market as a flat table and as CSV (optimizer/workbench/market_table.py)."""

import math
from pathlib import Path

import numpy as np
import pytest

from optimizer import CaseError, check_case, load_case
from optimizer.case.schema import Cash, Guarantee, Insurance, Parametric
from optimizer.workbench.market_table import (
    COLUMNS,
    MAX_CSV_BYTES,
    instruments_csv,
    instruments_from_csv,
    instruments_to_rows,
    problems_by_row,
    rows_to_instruments,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _data(name="jp-midsize.yaml"):
    return load_case(EXAMPLES / name).model_dump(mode="json")


def test_the_columns_are_every_instrument_field_but_kind_specific_none_missing():
    fields = set()
    for model in (Cash, Guarantee, Insurance, Parametric):
        fields |= set(model.model_fields)
    assert set(COLUMNS) == fields


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.glob("*.yaml")))
def test_rows_round_trip_to_the_same_case(name):
    data = _data(name)
    instruments, row_of = rows_to_instruments(instruments_to_rows(data["instruments"]))
    assert row_of == list(range(len(data["instruments"])))
    assert check_case({**data, "instruments": instruments}) == check_case(data)


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.glob("*.yaml")))
def test_csv_round_trips_to_the_same_case(name):
    data = _data(name)
    text = instruments_csv(data["instruments"])
    assert text.splitlines()[0] == ",".join(COLUMNS)
    instruments, _ = rows_to_instruments(instruments_from_csv(text.encode()))
    assert check_case({**data, "instruments": instruments}) == check_case(data)


def test_editor_cells_become_plain_python_values():
    # What st.data_editor hands back: numpy scalars, NaN for blank numbers, None for blank text.
    rows = [
        {
            "id": "lc",
            "kind": "guarantee",
            "counterparty": "Bank A",
            "fee_rate": np.float64(0.01),
            "max_amount": np.float64(5e8),
            "payout_days": np.float64(5.0),
            "credit": math.nan,
            "all_or_nothing": False,
            "description": None,
        },
        {column: None for column in COLUMNS},  # a row added and left empty
    ]
    instruments, row_of = rows_to_instruments(rows)
    assert instruments == [
        {
            "id": "lc",
            "kind": "guarantee",
            "counterparty": "Bank A",
            "fee_rate": 0.01,
            "max_amount": 5e8,
            "payout_days": 5,
        }
    ]
    assert type(instruments[0]["payout_days"]) is int
    assert row_of == [0]


def test_problems_are_mapped_to_rows_and_columns_past_skipped_rows():
    rows = instruments_to_rows(_data()["instruments"])
    rows.insert(1, {column: None for column in COLUMNS})  # an empty row the user added
    rows[5]["premium_rate"] = 3.5  # xl-2, now at table row 5
    instruments, row_of = rows_to_instruments(rows)
    with pytest.raises(CaseError) as raised:
        check_case({**_data(), "instruments": instruments})
    (problem,) = problems_by_row(raised.value.problems, row_of)
    assert (problem.row, problem.column) == (5, "premium_rate")
    assert "3.5% is 0.035" in problem.message


def test_text_in_a_number_cell_gets_the_case_message():
    rows = instruments_from_csv(b"id,kind,cost_rate\ncash,cash,5%\n")
    instruments, _ = rows_to_instruments(rows)
    with pytest.raises(CaseError, match=r"cost_rate must be a number \(got '5%'\); write percentages as fractions"):
        check_case({**_data(), "instruments": instruments})


def test_a_bad_csv_lists_every_problem_with_its_fix():
    with pytest.raises(CaseError) as raised:
        instruments_from_csv(b"name,kinds,fee_rte\nx,cash,0.1\n", "quotes.csv")
    text = str(raised.value)
    assert "quotes.csv has 5 problems" in text
    assert "column 'kinds' is not an instrument field; did you mean 'kind'?" in text
    assert "column 'fee_rte' is not an instrument field; did you mean 'fee_rate'?" in text
    assert "column 'id' is required" in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "no header row"),
        (b"id,kind\n", "no instruments"),
        (b"id,kind\r\ncash,cash,extra\r\n", "more cells than the header"),
        (b"id,kind\ncash,\xff\n", "not UTF-8"),
        (b"id,kind\n" + b"x" * MAX_CSV_BYTES, "over the 1,000,000-byte limit"),
    ],
)
def test_csv_shape_errors(raw, message):
    with pytest.raises(CaseError, match=message):
        instruments_from_csv(raw)
