"""The board report: one case, its requirement, the cheapest mix and the evidence, as blocks.

``board_report`` gathers what a CFO sends to the board or the regulator into a list of plain
blocks (headings, paragraphs, key figures, tables, the ladder chart) in English or Japanese
(the catalogue's ``report`` table). ``report_html`` and ``report_pdf`` render the same blocks,
so the two files always say the same thing. Sections other features own (the risk figures,
the frontier) are passed in as ``extra`` blocks where they exist.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from optimizer.case.money import money, oku_money, percent, short_money, symbol, yen_full
from optimizer.case.schema import Case
from optimizer.coverage.solution import Solution, Status
from optimizer.rules.requirement import requirement_basis
from optimizer.workbench.audit import package_versions
from optimizer.workbench.i18n import text
from optimizer.workbench.report import quantity_words


@dataclass(frozen=True)
class Heading:
    """A section title."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``preformatted`` keeps line breaks and a fixed-width font (formulas)."""

    text: str
    preformatted: bool = False


@dataclass(frozen=True)
class Figures:
    """Key figures: (label, value) pairs shown side by side."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``links`` names columns whose http(s) cells are links."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    links: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Bullets:
    """A list of sentences."""

    items: Sequence[str]


@dataclass(frozen=True)
class LadderChart:
    """The coverage ladder: bands per instrument over loss size, in display units."""

    title: str
    x_label: str
    y_label: str
    losses: Sequence[float]
    bands: Sequence[tuple[str, Sequence[float]]]
    """(instrument, what it pays at each loss), stacked in this order."""
    requirement: float
    colours: Sequence[str]


@dataclass(frozen=True)
class FrontierChart:
    """Cost against a risk measure: the verified optimal points, in display units."""

    title: str
    x_label: str
    y_label: str
    points: Sequence[tuple[float, float]]
    """(risk measure, annual cost) of each optimal point, from the cheapest mix down the risk."""
    current: tuple[float, float] | None
    """The case's own answer, marked."""
    current_label: str
    limit: float | None
    """The case's limit on the measure (a vertical line), if it has one."""
    limit_label: str


Block = Heading | Paragraph | Figures | Table | Bullets | LadderChart | FrontierChart


@dataclass(frozen=True)
class Report:
    """A board report: its title, its blocks and its language."""

    title: str
    language: str
    blocks: Sequence[Block] = field(default_factory=tuple)


PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#86bcb6", "#f1ce63", "#d4a6c8", "#fabfd2",
    "#d7b5a6", "#79706e",
)
"""Tableau 20, in the case's instrument order: the app's charts use the same colours."""
_UNITS = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))
_JAPANESE_UNITS = ((1e12, "兆円"), (1e8, "億円"), (1e4, "万円"))


def ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum``: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= raw)
    return [step * index for index in range(math.ceil(maximum / step - 1e-9) + 1)]


def case_sha256(case: Case) -> str:
    """SHA-256 of the case's canonical JSON: the hash the app's and CLI's audit records carry."""
    canonical = json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def money_formats(currency: str, japanese: bool) -> tuple[Callable[[float], str], Callable[[float], str]]:
    """(full, short) money formats: 億円 units for yen when ``japanese``."""
    if japanese:
        return yen_full, oku_money
    return (lambda value: money(value, currency)), (lambda value: short_money(value, currency))


def display_unit(amount: float, currency: str, japanese: bool) -> tuple[float, str]:
    """(size, name) of the unit to show ``amount`` in: 1e9 and "¥bn", or 1e8 and "億円"."""
    if japanese:
        return next(((size, name) for size, name in _JAPANESE_UNITS if abs(amount) >= size), (1.0, "円"))
    sign = symbol(currency).strip()
    return next(((size, f"{sign}{name}") for size, name in _UNITS if abs(amount) >= size), (1.0, sign))


def board_report(
    case: Case,
    solution: Solution,
    language: str = "en",
    *,
    generated: datetime,
    oku: bool | None = None,
    label: str = "",
    extra: Sequence[Block] = (),
) -> Report:
    """The report of one solved case, in ``language`` ("en" or "ja").

    ``oku`` chooses 億円 units for yen (default: in Japanese); ``label`` is the version's name
    (the app's "Name this version"); ``extra`` blocks (risk figures, frontier) go before the audit
    (``report_risk.risk_board_report`` adds them).
    """

    def t(key: str, **values: Any) -> str:
        return text(language, f"report.{key}", **values)

    japanese = solution.currency == "JPY" and (oku if oku is not None else language == "ja")
    full, short = money_formats(solution.currency, japanese)
    basis = requirement_basis(case)
    blocks: list[Block] = []
    title = t("title", name=case.name)
    stamp = generated.strftime("%Y-%m-%d %H:%M UTC")
    blocks.append(Paragraph(t("prepared", date=stamp) + (f" — {label}" if label else "")))

    # --- summary ---------------------------------------------------------------------------
    blocks.append(Heading(t("summary")))
    cost = solution.total_cost
    figures = [
        (t("cost"), short(cost) if cost is not None else t("infeasible")),
        (t("requirement"), short(solution.requirement)),
        (t("share"), f"{cost / solution.requirement * 100:.2f}%" if cost is not None else "—"),
        (t("verified"), t("yes") if solution.verified else t("no")),
    ]
    blocks.append(Figures(figures))
    if solution.status is Status.OPTIMAL and cost is not None:
        blocks.append(Paragraph(t("summary_text", cost=full(cost), requirement=full(solution.requirement),
                                  test=t(f"test_{solution.coverage}"))))
    else:
        blocks.append(Paragraph(t("infeasible_text", requirement=full(solution.requirement))))

    # --- the requirement -----------------------------------------------------------------
    blocks.append(Heading(t("how_r")))
    blocks.append(Paragraph(t("source", source=basis.source)))
    if basis.formula:
        blocks.append(Paragraph(basis.formula, preformatted=True))
    if basis.breakdown:
        blocks.append(Table(
            [t("col_line"), t("col_amount"), t("col_how"), t("col_sets"), t("col_status"), t("col_source")],
            [[term.name, full(term.value), term.formula, t("yes") if term.binds else "", term.status, term.source]
             for term in basis.breakdown],
            links=frozenset({t("col_source")}),
        ))
    if basis.inputs:
        blocks.append(Paragraph(t("inputs")))
        blocks.append(Table(
            [t("col_input"), t("col_value"), t("col_status"), t("col_changed"), t("col_source")],
            [[item.name, _value(item.value, item.unit, full), item.status,
              "" if item.default is None else _value(item.default, item.unit, full), item.source]
             for item in basis.inputs],
            links=frozenset({t("col_source")}),
        ))
    if basis.insurance_cap is not None:
        cap = basis.insurance_cap
        blocks.append(Paragraph(t("cap", share=percent(cap.fraction), parameter=cap.parameter)))

    # --- the mix or the diagnosis ------------------------------------------------------------
    if solution.status is Status.OPTIMAL:
        blocks.append(Heading(t("mix")))
        bought = [item for item in solution.allocations if item.amount > 0]
        blocks.append(Table(
            [t("col_instrument"), t("col_kind"), t("col_counterparty"), t("col_quantity"), t("col_bought"),
             t("col_cost"), t("col_credited")],
            [[item.id, text(language, f"kind.{item.kind}"), item.counterparty or "", quantity_words(item),
              full(item.amount), full(item.annual_cost), full(item.credited)] for item in bought],
        ))
        blocks.append(_ladder(solution, japanese, t))
        blocks.append(Heading(t("binds")))
        blocks.append(Bullets([item.text for item in solution.binding] or [t("nothing_binds")]))
        if solution.not_bought:
            blocks.append(Heading(t("not_bought")))
            blocks.append(Table(
                [t("col_instrument"), t("col_now"), t("col_enters")],
                [[signal.id, _price(signal.price_field, signal.current, full, t),
                  _price(signal.price_field, signal.break_even, full, t)
                  if signal.break_even is not None and signal.break_even > 0 else t("never")]
                 for signal in solution.not_bought],
            ))
    else:
        blocks.append(Heading(t("diagnosis")))
        blocks.append(Bullets([item.text for item in solution.diagnosis]))
        if solution.fixes:
            blocks.append(Table([t("col_change"), t("col_cost_then")],
                                [[fix.change, full(fix.total_cost)] for fix in solution.fixes]))
    blocks.extend(extra)

    # --- audit ---------------------------------------------------------------------------------
    blocks.append(Heading(t("audit")))
    versions = package_versions()
    blocks.append(Figures([
        (t("hash"), case_sha256(case)),
        (t("solver"), solution.solver + (" (MILP)" if solution.is_mip else "")),
        (t("versions"), ", ".join(f"{name} {version}" for name, version in versions.items())),
    ]))
    blocks.append(Paragraph(t("audit_text")))
    return Report(title=title, language=language, blocks=tuple(blocks))


def _value(value: float | str | bool, unit: str, full: Callable[[float], str]) -> str:
    if isinstance(value, bool | str):
        return str(value)
    if unit == "fraction":
        return percent(value)
    if unit in ("", "count") or " per " in unit:
        return f"{value:g}"
    return full(value)


def _price(field_name: str, value: float, full: Callable[[float], str], t: Callable[..., str]) -> str:
    if field_name == "premium":
        return t("per_unit", price=full(value))
    return t("a_year", rate=percent(value))


def _ladder(solution: Solution, japanese: bool, t: Callable[..., str]) -> LadderChart:
    size, unit = display_unit(solution.requirement, solution.currency, japanese)
    order = [item.id for item in solution.allocations]
    colour = {name: PALETTE[index % len(PALETTE)] for index, name in enumerate(order)}
    bought = [item.id for item in solution.allocations if item.amount > 0]
    losses = [point.loss / size for point in solution.ladder]
    bands = [(name, [point.by_instrument.get(name, 0.0) / size for point in solution.ladder]) for name in bought]
    return LadderChart(
        title=t("ladder"), x_label=t("loss_axis", unit=unit), y_label=t("funds_axis", unit=unit),
        losses=losses, bands=bands, requirement=solution.requirement / size, colours=[colour[name] for name in bought],
    )
