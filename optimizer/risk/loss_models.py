"""Calibrated loss models (data/loss-models/<id>.yaml), default fx rates and native loss amounts.

A loss model holds named parameters, each with a value, a unit, a status (fitted, derived,
assumption), a source, the place in it, and a 95% interval where one was estimated; a case
overrides them under ``scenarios:``. ``fx.yaml`` holds USD rates implied by the incident table,
used only when a case gives no ``fx.USD``. ``native-losses.csv`` holds incidents' losses as
reported in local currency (Coincheck's ¥58bn), so a replay in that currency uses the reported
figure rather than a conversion.
"""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from optimizer.case.errors import format_path
from optimizer.case.fields import Number
from optimizer.case.scenarios_schema import Distribution

LOSS_MODELS_DIR = Path(__file__).resolve().parents[2] / "data" / "loss-models"
_T = TypeVar("_T", bound=BaseModel)
REQUIRED = ("per_year", "lognormal_median", "lognormal_sigma", "pareto_minimum", "pareto_alpha")


class LossModelError(ValueError):
    """A fault in a file of data/loss-models/ (the project's data, not the user's case)."""


class Status(StrEnum):
    """How a loss-model figure was obtained."""

    FITTED = "fitted"
    """Estimated from data/incidents.csv by the method the file states."""
    DERIVED = "derived"
    """Computed from figures of the table (a ratio, a count), not estimated."""
    ASSUMPTION = "assumption"
    """Chosen by us where the data is silent; the note says why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Parameter(_Model):
    """One figure of a loss model with its provenance."""

    value: Number
    unit: str
    status: Status
    source: Annotated[str, Field(min_length=1)]
    """URL or project data file the figure comes from."""
    section: Annotated[str, Field(min_length=1)]
    """Where in the source, or how it was computed."""
    interval: tuple[Number, Number] | None = None
    """95% interval, where one was estimated."""
    note: str | None = None


class LossModel(_Model):
    """A calibrated loss model: frequency and severity with their sources."""

    id: str
    name: str
    currency: str
    status: str
    description: str
    method: str
    severity: Distribution
    """The distribution the model uses when a case names none."""
    parameters: dict[str, Parameter]

    def value(self, name: str) -> float:
        """A parameter's value."""
        return self.parameters[name].value


class Rate(_Model):
    """A default exchange rate: units of a currency per 1 USD."""

    value: Annotated[float, Field(gt=0)]
    status: Status
    source: str
    section: str
    note: str | None = None


class FxFile(_Model):
    """data/loss-models/fx.yaml."""

    base: str
    rates: dict[str, Rate]


def known_loss_models() -> tuple[str, ...]:
    """Ids of the installed loss models."""
    return tuple(sorted(p.stem for p in LOSS_MODELS_DIR.glob("*.yaml") if p.stem != "fx"))


@cache
def load_loss_model(model_id: str) -> LossModel:
    """Read and check data/loss-models/<model_id>.yaml."""
    path = LOSS_MODELS_DIR / f"{model_id}.yaml"
    model = _read(path, LossModel)
    missing = [name for name in REQUIRED if name not in model.parameters]
    if missing or model.id != model_id:
        msg = f"{path}: needs id {model_id!r} and parameters {', '.join(REQUIRED)} (missing {missing})"
        raise LossModelError(msg)
    return model


@cache
def default_fx() -> FxFile:
    """data/loss-models/fx.yaml."""
    return _read(LOSS_MODELS_DIR / "fx.yaml", FxFile)


@cache
def native_losses() -> dict[tuple[str, str], tuple[str, float]]:
    """(date, exchange) -> (currency, amount) for incidents reported in local currency."""
    path = LOSS_MODELS_DIR / "native-losses.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    result = {}
    for line, row in enumerate(rows, start=2):
        try:
            amount = float(row["amount"])
        except ValueError:
            msg = f"{path} line {line}: amount must be a number (got {row['amount']!r})"
            raise LossModelError(msg) from None
        result[(row["date"], row["exchange"])] = (row["currency"], amount)
    return result


def _read(path: Path, model: type[_T]) -> _T:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}"
        raise LossModelError(msg) from None
    except ValidationError as error:
        problems = "; ".join(f"{format_path(e['loc'])}: {e['msg']}" for e in error.errors())
        msg = f"{path} breaks its format: {problems}"
        raise LossModelError(msg) from None
