"""The one calculator that turns a rulebook and an exchange profile into a Basis.

R = min(cap, max(floor, combine(terms))), where each term is ``share_of`` (rate x the sum of
some exchange fields, already in the case currency) or ``fixed`` (an amount in the rulebook's
currency, converted at the case's fx rate), ``combine`` is ``max`` or ``sum``, and terms,
floors and caps with a ``when`` condition count only when the exchange matches it. Every
figure used is reported with its status and source, and every instrument with the credit the
rule gives it (data/regimes/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from optimizer.case.errors import CaseError
from optimizer.case.money import percent, short_money
from optimizer.case.regime_checks import regime_problems
from optimizer.case.rulebook import OVERRIDABLE, Bound, Condition, Fixed, Rulebook, ShareOf, Status, Unit, load_rulebook
from optimizer.case.schema import Case
from optimizer.rules.basis import Basis, Eligibility, Input, MandatoryCover, RegimeCap, Term


def regime_basis(case: Case) -> Basis:
    """R, the credit of each instrument and the explanation, from the case's regime rulebook.

    Raises
    ------
    CaseError
        If the case lacks what the rule needs (the same problems check_case reports, for a
        Case built in code rather than loaded).
    """
    problems = regime_problems(case.model_dump())
    if problems:
        raise CaseError(problems)
    book = load_rulebook(case.requirement.regime or "")
    return _Calculation(book, case).basis()


@dataclass(frozen=True)
class _Value:
    value: float
    status: Status
    source: str
    default: float | None
    """The rulebook's value when the case overrides it."""


class _Calculation:
    """One rulebook applied to one case."""

    def __init__(self, book: Rulebook, case: Case) -> None:
        self.book, self.case = book, case
        self.cur = case.currency
        self.fx = 1.0 if book.currency == case.currency else (case.fx or {})[book.currency]
        overrides: Mapping[str, float] = case.requirement.assumptions or {}
        self.values = {
            name: _Value(
                overrides.get(name, p.value),
                p.status,
                p.source,
                p.value if name in overrides and overrides[name] != p.value else None,
            )
            for name, p in book.parameters.items()
        }
        self.used: list[str] = []

    def basis(self) -> Basis:
        terms = [self._term(spec) for spec in self.book.terms if self._applies(spec.when)]
        values = [term.value for term in terms]
        combined = (max(values, default=0.0)) if self.book.combine == "max" else sum(values)
        floor = self._bound(self.book.floor, "floor")
        cap = self._bound(self.book.cap, "cap")
        bounded = max(combined, floor.value) if floor else combined
        amount = min(bounded, cap.value) if cap else bounded
        cap_binds = cap is not None and cap.value < bounded
        floor_binds = floor is not None and floor.value > combined and not cap_binds
        terms_bind = not (cap_binds or floor_binds)
        lines = [
            _with_binds(t, terms_bind and (t.value == combined if self.book.combine == "max" else t.value > 0))
            for t in terms
        ]
        lines += [_with_binds(floor, floor_binds)] if floor else []
        lines += [_with_binds(cap, cap_binds)] if cap else []
        eligibility = self._eligibility()
        cap_on_insurance, mandatory = self._insurance_cap(), tuple(self._mandatory())
        binding = ", ".join(line.name for line in lines if line.binds) or "nothing"
        return Basis(
            amount=amount,
            credit={item.id: item.credit for item in eligibility},
            excluded={item.id: item.excluded for item in eligibility if item.excluded},
            source=f"computed by {self.book.id} ({binding} binds)",
            regime=self.book.id,
            formula=self._formula(terms, floor, cap),
            breakdown=tuple(lines),
            inputs=self._inputs(),  # last: it lists every parameter the steps above used
            eligibility=eligibility,
            insurance_cap=cap_on_insurance,
            mandatory=mandatory,
        )

    # --- the vocabulary ---------------------------------------------------------------------

    def _applies(self, when: Condition) -> bool:
        return all(getattr(self.case.exchange, name) == value for name, value in when.items())

    def _use(self, name: str) -> _Value:
        if name not in self.used:
            self.used.append(name)
        return self.values[name]

    def _term(self, spec: ShareOf | Fixed) -> Term:
        if isinstance(spec, ShareOf):
            rate = self._use(spec.rate)
            base, of = self._fields(spec.of)
            formula = f"{spec.rate} {percent(rate.value)} x {of}"
            return Term(spec.name, rate.value * base, formula, False, str(rate.status), rate.source)
        amount = self._use(spec.amount)
        words = self._money_words(spec.amount, amount.value)
        return Term(spec.name, amount.value * self.fx, words, False, str(amount.status), amount.source)

    def _fields(self, names: tuple[str, ...]) -> tuple[float, str]:
        """The sum of some exchange fields (checked present) and how it was made, in words."""
        values = [getattr(self.case.exchange, name) or 0.0 for name in names]
        parts = " + ".join(f"{name} {short_money(v, self.cur)}" for name, v in zip(names, values, strict=True))
        return sum(values), f"({parts})" if len(names) > 1 else parts

    def _bound(self, bounds: tuple[Bound, ...], side: str) -> Term | None:
        # Several applicable floors: the largest holds; several caps: the smallest.
        applicable = sorted(
            (bound for bound in bounds if self._applies(bound.when)),
            key=lambda bound: self.values[bound.parameter].value,
        )
        if not applicable:
            return None
        chosen = applicable[-1] if side == "floor" else applicable[0]
        value = self._use(chosen.parameter)
        condition = ", ".join(f"{name} = {v}" for name, v in chosen.when.items())
        words = self._money_words(chosen.parameter, value.value) + (f" (as {condition})" if condition else "")
        return Term(side, value.value * self.fx, words, False, str(value.status), value.source)

    def _money_words(self, name: str, value: float) -> str:
        if self.fx == 1.0 and self.book.currency == self.cur:
            return f"{name} {short_money(value, self.cur)}"
        return (
            f"{name} {short_money(value, self.book.currency)} x {self.fx:g} {self.cur}/{self.book.currency} "
            f"= {short_money(value * self.fx, self.cur)}"
        )

    def _formula(self, terms: list[Term], floor: Term | None, cap: Term | None) -> str:
        inner = f"{self.book.combine}({', '.join(t.name for t in terms)})" if len(terms) > 1 else terms[0].name
        if floor:
            inner = f"max(floor, {inner})"
        if cap:
            inner = f"min(cap, {inner})"
        return f"R = {inner}"

    # --- eligibility, caps and mandatory cover ----------------------------------------------

    def _eligibility(self) -> tuple[Eligibility, ...]:
        mandatory_kinds = {item.kind: item.name for item in self.book.mandatory}
        result = []
        for item in self.case.instruments:
            kind = item.kind
            accepted = self.book.eligible.get(kind)
            if accepted is None:
                refused = self.book.not_accepted[kind]
                reason = f"{self.book.id} does not accept {kind} cover: {refused.reason}"
                if kind in mandatory_kinds:
                    reason += f" (it still counts towards the mandatory {mandatory_kinds[kind]})"
                result.append(
                    Eligibility(item.id, kind, "not accepted", 0.0, 0.0, str(refused.status), refused.source, reason)
                )
                continue
            factor = self._use(accepted.credit)
            credit = item.credit * factor.value
            excluded = None
            if credit == 0:
                excluded = (
                    f"{self.book.id} credits {kind} cover at 0 ({accepted.credit} = 0, {factor.status}); "
                    f"set requirement.assumptions.{accepted.credit} to credit it"
                )
            status = str(factor.status)
            result.append(
                Eligibility(item.id, kind, accepted.form, factor.value, credit, status, factor.source, excluded)
            )
        return tuple(result)

    def _insurance_cap(self) -> RegimeCap | None:
        name = self.book.max_insurance_fraction
        if name is None:
            return None
        value = self._use(name)
        overridable = value.status in OVERRIDABLE
        return RegimeCap(value.value, name, str(value.status), value.source, self.book.id, overridable)

    def _mandatory(self) -> list[MandatoryCover]:
        result = []
        for item in self.book.mandatory:
            rate = self._use(item.rate)
            base, of = self._fields(item.of)
            formula = f"{item.rate} {percent(rate.value)} x {of}"
            amount, status = rate.value * base, str(rate.status)
            result.append(MandatoryCover(item.name, item.kind, amount, formula, item.text, status, rate.source))
        return result

    def _unit(self, name: str) -> str:
        """``fraction``, or the rulebook's currency code for amounts."""
        unit = self.book.parameters[name].unit
        return self.book.currency if unit is Unit.MONEY else str(unit)

    def _inputs(self) -> tuple[Input, ...]:
        inputs = [
            Input(
                name=name,
                value=self.values[name].value,
                unit=self._unit(name),
                status=str(self.values[name].status),
                source=self.values[name].source,
                section=self.book.parameters[name].section,
                default=self.values[name].default,
            )
            for name in self.used
        ]
        for name in self.book.exchange_fields():
            value = getattr(self.case.exchange, name)
            unit = self.cur if isinstance(value, float) else ""
            inputs.append(Input(f"exchange.{name}", value, unit, "case", "the case"))
        if self.book.currency != self.cur:
            unit = f"{self.cur} per {self.book.currency}"
            inputs.append(Input(f"fx.{self.book.currency}", self.fx, unit, "case", "the case"))
        return tuple(inputs)


def _with_binds(term: Term, binds: bool) -> Term:
    return Term(term.name, term.value, term.formula, binds, term.status, term.source)
