"""What each ``reserve-opt`` command imports: only what it needs (issue #12, start-up time).

Start-up time is almost all imports, so these tests hold the *import set* of a fresh process,
not its time (no timing assertions: the machine is shared). ``benchmarks/bench_cli.py`` times
the whole commands.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"

# Runs the CLI in this fresh interpreter, then prints the modules it imported (JSON) on stderr.
_PROBE = """
import contextlib, io, json, sys
from optimizer.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as stop:  # --help
        code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

LIBRARIES = {"pydantic", "pulp", "highspy", "numpy", "pandas", "dask", "yaml", "reportlab", "openpyxl", "jinja2"}
"""Third-party packages that are slow to import: none is needed to show the help."""


def _imported(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def _libraries(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules} & LIBRARIES


def _commands() -> list[str]:
    parser = _parser()
    (commands,) = [action for action in parser._actions if action.dest == "command"]
    return sorted(commands.choices)  # type: ignore[arg-type]


def test_every_command_is_probed():
    assert set(_commands()) >= {"solve", "validate", "schema", "risk", "frontier", "report", "price", "incidents"}


@pytest.mark.parametrize("argv", [["--help"], *[[command, "--help"] for command in _commands()]])
def test_help_imports_no_slow_library(argv):
    code, modules = _imported(*argv)
    assert code == 0
    assert _libraries(modules) == set(), f"`reserve-opt {' '.join(argv)}` imports {sorted(_libraries(modules))}"
    # Nor the case models or the LP pipeline: the options come from light modules.
    assert not {"optimizer.case.schema", "optimizer.coverage.solve", "optimizer.coverage.pipeline"} & modules


def test_solve_of_a_case_without_scenarios_imports_no_risk_stage_and_no_pandas():
    code, modules = _imported("solve", str(EXAMPLES / "jp-midsize.yaml"))
    assert code == 0
    assert _libraries(modules) == {"pydantic", "pulp", "highspy", "numpy", "yaml"}
    # The risk stage (loss models, simulation, the cut loop) and the infeasibility diagnosis are
    # for other cases; the report, board-report and export modules for other commands.
    unneeded = {
        "optimizer.coverage.risk_answer",
        "optimizer.coverage.diagnose",
        "optimizer.risk.build",
        "optimizer.risk.loss_models",
        "optimizer.workbench.board_report",
        "optimizer.workbench.export",
    }
    assert not unneeded & modules


def test_solve_of_an_infeasible_case_still_diagnoses_it():
    code, modules = _imported("solve", str(EXAMPLES / "jp-midsize-infeasible.yaml"))
    assert code == 3
    assert "optimizer.coverage.diagnose" in modules


def test_validate_imports_no_solver():
    code, modules = _imported("validate", str(EXAMPLES / "jp-midsize.yaml"))
    assert code == 0
    assert _libraries(modules) == {"pydantic", "yaml"}


def test_a_case_error_is_still_refused_with_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncurrency: YEN\n", encoding="utf-8")
    code, _ = _imported("solve", str(bad), "--format", "json")
    assert code == 2


def test_the_process_ends_with_its_code_its_whole_output_and_the_atexit_handlers():
    # main_exit skips the interpreter's teardown (os._exit): what must still happen, happens.
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('atexit ran'))\n"
        "from optimizer.cli import main_exit\n"
        "sys.argv = ['reserve-opt', *sys.argv[1:]]\n"
        "main_exit()\n"
    )
    for case, expected in (("jp-midsize.yaml", 0), ("jp-midsize-infeasible.yaml", 3)):
        done = subprocess.run(
            [sys.executable, "-c", probe, "solve", str(EXAMPLES / case), "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
        )
        assert done.returncode == expected
        assert json.loads(done.stdout)["status"] == ("optimal" if expected == 0 else "infeasible")
        assert done.stderr.endswith("atexit ran")
