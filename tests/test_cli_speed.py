"""The CLI imports what a command needs when it runs (#12): structure, not timing (see benchmarks/)."""

from __future__ import annotations

import subprocess
import sys

from optimizer.cli import SOLVERS
from optimizer.coverage.solve import SolverName


def test_the_parser_names_every_solver():
    assert SOLVERS == tuple(name.value for name in SolverName)


def test_help_imports_no_solver_and_no_case_models():
    probe = (
        "import sys; from optimizer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
        "print(sorted(name for name in ('pulp', 'highspy', 'pydantic', 'numpy', 'pandas') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert "usage: reserve-opt" in result.stdout


def test_the_facade_still_exports_everything():
    import optimizer

    for name in optimizer.__all__:
        assert getattr(optimizer, name) is not None
