"""Fuzz `reserve-opt validate` and `solve` with random bytes and mutated example cases (#8).

Whatever the input, the command must end with exit 0, 2, 3 or 4, print no traceback, write
text that can be encoded as UTF-8, and with ``--format json`` print either nothing or strict
JSON (no NaN or Infinity). ``case_from_bytes`` (what the app calls on an upload) must raise
CaseError and nothing else. The generator is seeded, so a failure reproduces; its label names
the example and the mutations applied. The number of inputs is fixed (about 200, a few seconds
of solving); most runs are in-process, a few go through a real subprocess.
"""

from __future__ import annotations

import copy
import io
import json
import random
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from optimizer import CaseError, case_from_bytes
from optimizer.cli import main

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "examples").glob("*.yaml"))
SEED = 20_260_008
DATA_MUTANTS = 110
TEXT_MUTANTS = 60
RANDOM_FILES = 20

NASTY: list[Any] = [
    0, -1, 1, 0.5, 2, 100, 1e-300, 5e-324, 1e-12, 1e300, 1e18, 1.0000001e18, 10**30, 10**400, -0.0,
    float("nan"), float("inf"), float("-inf"), "", " ", "x" * 300, "10,000,000", "5%", "1e9", "010", "\ud800",
    "=cmd|' /C calc'!A0", "Bank A\u00a0", [], {}, [1, 2], {"a": 1}, None, True, False,
]  # fmt: skip
TOKENS = ["010", "1:30", "0b1010", "0x1F", ".inf", ".nan", "-.inf", "1e999", "9" * 500, "9" * 5000, "~", "[]",
          "{}", "*undefined", "&a", "!!binary aGk=", "!!set {a}", "<<: {a: 1}", "? [a]", "10,000,000", "'", '"',
          "\t", "- -", "2025-01-01", "yes", "null", "1_000", "+1", "-0"]  # fmt: skip


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in the data, containers included (the root excluded)."""
    paths = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        paths.append((*path, key))
        paths += _leaves(value, (*path, key))
    return paths


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _set_value(rng: random.Random, data: Any) -> str:
    path = rng.choice(_leaves(data))
    value = rng.choice(NASTY)
    _parent(data, path)[path[-1]] = copy.deepcopy(value)
    return f"set {path} = {str(value)[:20]!r}"


def _scale(rng: random.Random, data: Any) -> str:
    numbers = [p for p in _leaves(data) if isinstance(_parent(data, p)[p[-1]], int | float)]
    if not numbers:
        return "scale: no number"
    path = rng.choice(numbers)
    factor = 10.0 ** rng.randint(-20, 20)
    parent, old = _parent(data, path), _parent(data, path)[path[-1]]
    try:
        parent[path[-1]] = old * factor if not isinstance(old, bool) else factor
    except OverflowError:  # 10**400 * 1e20
        parent[path[-1]] = factor
    return f"scale {path} by {factor:g}"


def _rename_key(rng: random.Random, data: Any) -> str:
    maps = [p for p in _leaves(data) if isinstance(_parent(data, p), dict)]
    if not maps:
        return "rename: no key"
    path = rng.choice(maps)
    parent = _parent(data, path)
    new = rng.choice(["", "<<", "amont", "kind", "id", "extra", str(path[-1]).upper(), f"{path[-1]} "])
    parent[new] = parent.pop(path[-1])
    return f"rename {path} to {new!r}"


def _delete(rng: random.Random, data: Any) -> str:
    path = rng.choice(_leaves(data))
    parent = _parent(data, path)
    del parent[path[-1]]
    return f"delete {path}"


def _restructure(rng: random.Random, data: Any) -> str:
    path = rng.choice(_leaves(data))
    parent = _parent(data, path)
    how = rng.choice(["list", "map", "deep", "copy"])
    if how == "list":
        parent[path[-1]] = [parent[path[-1]]]
    elif how == "map":
        parent[path[-1]] = {"value": parent[path[-1]]}
    elif how == "deep":
        nested: Any = parent[path[-1]]
        for _ in range(rng.choice([30, 600])):  # deeper: test_input_limits (json.dumps recurses)
            nested = [nested]
        parent[path[-1]] = nested
    elif isinstance(data.get("instruments"), list) and data["instruments"]:
        data["instruments"] += copy.deepcopy(data["instruments"][: rng.randint(1, 3)])
    return f"{how} at {path}"


Mutator = Callable[[random.Random, Any], str]
MUTATORS: list[Mutator] = [_set_value, _set_value, _scale, _rename_key, _delete, _restructure]


def _serialise(rng: random.Random, data: Any) -> tuple[bytes, str]:
    try:
        if rng.random() < 0.5:
            return json.dumps(data).encode(), ".json"  # writes NaN/Infinity and \\ud800 as a careless tool would
        try:
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"), ".yaml"
        except (yaml.YAMLError, UnicodeEncodeError):
            return json.dumps(data).encode(), ".json"
    except RecursionError:  # nested deeper than the writers go: write the nesting by hand
        return b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}", ".json"


def _text_mutant(rng: random.Random, text: str) -> tuple[bytes, str]:
    lines = text.splitlines(keepends=True)
    steps = []
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(lines))
        how = rng.choice(["token", "token", "delete", "duplicate", "bytes", "truncate"])
        if how == "token" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {rng.choice(TOKENS)}\n"
        elif how == "delete":
            del lines[index]
        elif how == "duplicate":
            lines.insert(index, lines[index])
        elif how == "bytes":
            lines[index] = lines[index][:5] + "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(4)) + lines[index][5:]
        elif how == "truncate":
            lines = lines[: index + 1]
        steps.append(f"{how}@{index}")
        if not lines:
            lines = ["\n"]
    raw = "".join(lines).encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        position = rng.randrange(len(raw))
        raw = raw[:position] + bytes([rng.randrange(256)]) + raw[position + 1 :]
        steps.append(f"byte@{position}")
    return raw, ",".join(steps)


def _inputs() -> list[tuple[str, bytes, str]]:
    """(label, content, file suffix) of every fuzzed input, from one seeded generator."""
    rng = random.Random(SEED)
    texts = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLES}
    parsed = {name: yaml.safe_load(text) for name, text in texts.items()}
    inputs = []
    for number in range(DATA_MUTANTS):
        name = rng.choice(sorted(parsed))
        data = copy.deepcopy(parsed[name])
        steps = [rng.choice(MUTATORS)(rng, data) for _ in range(rng.randint(1, 3))]
        raw, suffix = _serialise(rng, data)
        inputs.append((f"data#{number} {name}: {'; '.join(steps)}", raw, suffix))
    for number in range(TEXT_MUTANTS):
        name = rng.choice(sorted(texts))
        raw, steps = _text_mutant(rng, texts[name])
        inputs.append((f"text#{number} {name}: {steps}", raw, ".yaml"))
    for number in range(RANDOM_FILES):
        raw = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 16, 600, 5000])))
        inputs.append((f"random#{number}", raw, rng.choice([".yaml", ".json", ".txt"])))
    return inputs


INPUTS = _inputs()


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _assert_sane(label: str, code: int, out: str, err: str, json_out: bool) -> None:
    assert code in (0, 2, 3, 4), f"{label}: exit {code}\n{err}"
    assert "Traceback" not in err, f"{label}:\n{err}"
    out.encode("utf-8"), err.encode("utf-8")  # a lone surrogate here would crash the real stdout
    if json_out and out.strip():

        def refuse(constant: str) -> None:
            msg = f"{label}: {constant} in JSON output"
            raise AssertionError(msg)

        json.loads(out, parse_constant=refuse)  # strict: NaN and Infinity are not JSON
    if code == 2:
        assert err.strip(), f"{label}: exit 2 without a message"


@pytest.mark.parametrize("chunk", range(4))
def test_fuzzed_inputs_give_an_exit_code_and_a_message_never_a_traceback(chunk, tmp_path):
    for label, raw, suffix in INPUTS[chunk::4]:
        path = tmp_path / f"case{suffix}"
        path.write_bytes(raw)
        try:
            for argv, json_out in ((["validate", str(path)], False), (["solve", str(path), "--format", "json"], True)):
                _assert_sane(label, *_run(argv), json_out=json_out)
            try:
                case_from_bytes(raw, "upload")
            except CaseError:
                pass
        except AssertionError:
            raise
        except Exception as error:  # noqa: BLE001 - the point: any other exception is the bug
            pytest.fail(f"{label}: {type(error).__name__}: {str(error)[:300]}")


def test_the_fuzzed_inputs_reach_every_outcome():
    # A fuzz test that only ever produced exit 2 would test little: the mutations must leave
    # some cases valid (solved, infeasible) and break others.
    codes = set()
    for label, raw, _ in INPUTS[:60]:
        try:
            case_from_bytes(raw, label)
            codes.add("valid")
        except CaseError:
            codes.add("invalid")
    assert codes == {"valid", "invalid"}


BILLION_LAUGHS = "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n" for n in range(9)
) + "name: *l8\ncurrency: JPY\nrequirement: {amount: 1e9}\ninstruments: [{id: c, kind: cash, cost_rate: 0.05}]\n"


@pytest.mark.parametrize(
    ("name", "content", "expected_code"),
    [
        ("laughs.yaml", BILLION_LAUGHS.encode(), 2),
        ("random.bin", bytes(random.Random(SEED).randrange(256) for _ in range(3000)), 2),
        ("jp-midsize.yaml", EXAMPLES[[p.name for p in EXAMPLES].index("jp-midsize.yaml")].read_bytes(), 0),
        ("infeasible.yaml", EXAMPLES[[p.name for p in EXAMPLES].index("jp-midsize-infeasible.yaml")].read_bytes(), 3),
    ],
)
def test_real_subprocess_runs(name, content, expected_code, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "solve", str(path), "--format", "json"],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    err = result.stderr.decode("utf-8")
    _assert_sane(name, result.returncode, result.stdout.decode("utf-8"), err, json_out=True)
    assert result.returncode == expected_code, err
