"""The optimizer's messages in English and Japanese (issue #12, item 13).

What binds, the diagnosis of an infeasible case and case problems carry a phrase (a catalogue
key and its parameters). Said in English it must read exactly as the optimizer's English text
(the CLI and JSON answer), so the two cannot drift; said in Japanese it must leave no English
word but the ids, names, field paths and numbers it quotes.
"""

from __future__ import annotations

import copy
import random
import re
import string
from datetime import UTC, datetime
from typing import Literal

import pytest
import yaml
from apptest_helpers import EXAMPLES, errors, load_example, open_page
from random_cases import random_case
from random_plans import random_plan

from optimizer import CaseError, Status, check_case, load_case, optimize
from optimizer.case.loading import case_from_bytes
from optimizer.case.phrase import Listing, Money, Phrase, Rate
from optimizer.plan.pipeline import optimize_plan
from optimizer.workbench.i18n import catalogue
from optimizer.workbench.market_table import instruments_from_csv
from optimizer.workbench.messages import (
    Voice,
    binding_text,
    fix_text,
    knows,
    problem_message,
    say,
    search_text,
    shortfall_text,
)
from optimizer.workbench.report import render_table

JAPANESE = Voice("ja")

# --- what binds and the diagnosis ----------------------------------------------------------------


def _answers():
    """Answers with every family of what binds and every kind of shortfall and fix between them."""
    cases = [load_case(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    for index in range(120):
        rng = random.Random(f"messages-{index}")
        cases.append(check_case(random_case(rng, tight=index % 2 == 0, integer_terms=index % 3 == 0)))
    return [optimize(case) for case in cases]


def _plans():
    cases = [load_case(EXAMPLES / "jp-midsize-plan.yaml")]
    cases += [check_case(random_plan(random.Random(f"p-{index}"))) for index in range(60)]
    return [optimize_plan(case) for case in cases]


@pytest.fixture(scope="module")
def said():
    """(item, its English text, how to say it) for every message of the answers above."""
    found = []
    for answer in _answers():
        found += [(item, item.text, binding_text) for item in answer.binding]
        found += [(item, item.text, shortfall_text) for item in answer.diagnosis]
        found += [(item, item.change, fix_text) for item in answer.fixes]
        if answer.fix_search:
            found.append((answer, answer.fix_search, search_text))
    for plan in _plans():
        found += [(item, item.text, binding_text) for year in plan.years for item in year.binding]
        found += [(item, item.text, shortfall_text) for item in plan.diagnosis]
        found += [(item, item.change, fix_text) for item in plan.fixes]
    return found


def _phrase(item):
    return getattr(item, "phrase", None) or getattr(item, "fix_search_phrase", None)


def test_english_from_the_phrase_is_the_english_text(said):
    for item, english, render in said:
        assert _phrase(item) is not None, english
        assert render(item) == english


def _keys(phrase, found):
    found.add(phrase.key)
    for value in phrase.params.values():
        for part in value.items if isinstance(value, Listing) else (value,):
            if isinstance(part, Phrase):
                _keys(part, found)
    return found


def test_the_answers_cover_every_family_of_what_binds_and_most_diagnoses(said):
    keys = set()
    for item, _, _ in said:
        _keys(_phrase(item), keys)
    wanted = {f"binds.{family}" for family in (
        "ladder", "face", "min_cash", "counterparty_cap", "insurance_cap", "insurance_cap_from", "liquidity",
        "risk_limit", "capacity_insurance", "capacity_parametric", "capacity_cash", "capacity_guarantee",
        "capacity_cash_plain", "set_aside_cap",
    )}
    wanted |= {f"diagnosis.{kind}" for kind in (
        "shortfall", "fix_raise", "fix_lower", "fix_max_amount", "fix_max_share", "fix_max_units", "search",
        "search_integer", "plan_shortfall", "plan_raise_set_aside",
    )}
    assert wanted <= keys, wanted - keys


# Words that are the same in a Japanese text: acronyms, file formats, YAML and case values.
ALLOWED = {
    "CVaR", "LP", "ISO", "YAML", "JSON", "UTF", "Unicode", "CSV", "xlsx", "Excel", "MiCA", "CASP", "IV", "ID", "R",
    "Poisson",
    "sigma", "alpha", "fx", "true", "false", "nan", "inf", "kind", "amount", "regime", "id", "JPY", "EUR", "USD", "HKD",
}
_PATH = re.compile(r"[A-Za-z_][\w-]*(?:[._\[\]][\w\[\]-]*)+")
"""A field path or id with dots, underscores or brackets: constraints.max_cash_fraction, lc-bank-a."""


def _quoted(value, found):
    # Every text a phrase quotes from the case or the rulebook (ids, names, paths, rule words).
    if isinstance(value, Phrase):
        for part in value.params.values():
            _quoted(part, found)
    elif isinstance(value, Listing):
        for part in value.items:
            _quoted(part, found)
    elif isinstance(value, str):
        found.append(value)
    return found


def english_words(phrase):
    """The English words left in ``phrase`` said in Japanese, beyond what it quotes."""
    marked = Voice("ja", short=lambda *_: "<money>", full=lambda *_: "<money>", rate=lambda _: "<rate>")
    rendered = say(phrase, marked)
    for quoted in sorted(_quoted(phrase, []), key=len, reverse=True):
        if quoted:
            rendered = rendered.replace(quoted, " ")
    rendered = re.sub(r"`[^`]*`", " ", rendered)  # code: field names and YAML as written
    rendered = _PATH.sub(" ", rendered.replace("<money>", " ").replace("<rate>", " "))
    return [word for word in re.findall(r"[A-Za-z]{2,}", rendered) if word not in ALLOWED]


def test_japanese_leaves_no_english_word_in_what_binds_and_the_diagnosis(said):
    for item, english, _ in said:
        assert not english_words(_phrase(item)), (english, english_words(_phrase(item)))


SAMPLES = {
    "amount": Money(2e9, "JPY"), "limit": Money(5e9, "JPY"), "payout": Money(5e8, "JPY"), "most": Money(3e9, "JPY"),
    "start": Money(1e9, "JPY"), "requirement": Money(1e10, "JPY"), "loss": Money(1e10, "JPY"),
    "reachable": Money(6e9, "JPY"), "current": Rate(0.3), "proposed": Rate(0.4), "share": Rate(0.5),
    "own": Rate(0.4), "level": Rate(0.99), "rise": Rate(0.1), "days": 30, "units": 4.0, "years": 100, "year": 2,
    "solves": 12, "limit_count": 200, "tried": 5, "knobs": 9, "id": "xl-1", "counterparty": "Bank A",
    "field": "constraints.max_insurance_fraction", "names": "Bank A", "ids": "xl-1, cat-2", "rule": "VARA crime cover",
    "regime": "jp-fsa-draft", "parameter": "insurance_share", "text": "risk.max_cvar", "first": "a", "last": "b",
}
"""A value for every placeholder of [binds] and [diagnosis] (a nested phrase where one goes)."""


def _sample(key, template):
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    nested = Phrase("binds.face", {"amount": Money(1e10, "JPY")})
    params = {}
    for name in names:
        if name in ("cap", "source", "measure", "short", "fix", "search", "then", "because", "what", "held", "status",
                    "first", "last"):
            params[name] = nested
        elif name == "limit" and key.endswith("search_cut"):
            params[name] = 200
        elif name in ("current", "proposed") and "units" in key:
            params[name] = 4.0
        elif name in ("current", "proposed") and ("amount" in key or "set_aside" in key):
            params[name] = Money(2e9, "JPY")
        else:
            params[name] = SAMPLES[name]
    return Phrase(key, params)


@pytest.mark.parametrize("table", ["binds", "diagnosis"])
def test_every_message_of_binds_and_diagnosis_says_itself_in_japanese(table):
    for key, template in catalogue("en").items():
        if key.startswith(f"{table}.") and key not in ("binds.untranslated",):
            phrase = _sample(key, template)
            assert not english_words(phrase), (key, say(phrase, JAPANESE))


def test_japanese_money_comes_from_the_callers_format():
    answer = optimize(load_case(EXAMPLES / "jp-midsize-infeasible.yaml"))
    oku = Voice("ja", short=lambda value, _: f"{value / 1e8:g}億円")
    text = shortfall_text(answer.diagnosis[0], oku)
    assert "10億円" in text and "100億円" in text and "¥" not in text, text
    assert "賄えません" in text


def test_an_answer_json_and_the_cli_report_are_unchanged_by_the_phrases():
    answer = optimize(load_case(EXAMPLES / "jp-midsize-infeasible.yaml"))
    data = answer.to_dict()
    assert all("phrase" not in item for key in ("diagnosis", "fixes", "binding") for item in data[key])
    assert "fix_search_phrase" not in data
    assert "cannot be covered" in render_table(answer)


# --- case problems -------------------------------------------------------------------------------

BASE = yaml.safe_load((EXAMPLES / "jp-midsize.yaml").read_text(encoding="utf-8"))


def _changed(edit):
    data = copy.deepcopy(BASE)
    edit(data)
    return data


BAD_CASES = [
    lambda d: d.update(currency="YEN"),
    lambda d: d.update(currency="BTC"),
    lambda d: d.update(currency="XYZ"),
    lambda d: d.update(currency="jpy"),
    lambda d: d["requirement"].update(regime="nope"),
    lambda d: d["requirement"].pop("amount"),
    lambda d: d["instruments"].append(copy.deepcopy(d["instruments"][0])),
    lambda d: d["instruments"][0].update(cost_rate="3.5%", bogus=1),
    lambda d: d["instruments"][0].update(cost_rate=35),
    lambda d: d["instruments"][0].update(cost_rate=-0.5, max_amount="10,000,000"),
    lambda d: d["instruments"][1].pop("counterparty"),
    lambda d: d["instruments"][1].update(kind="bond"),
    lambda d: d["instruments"][0].update(max_amount=-1, id=""),
    lambda d: d.update(instruments=[]),
    lambda d: d.update(constraints={"max_counterparty_fraction": 1.5, "min_cash_fraction": 4,
                                    "liquidity": {"days": 10, "min_fraction": 0.2}}),
    lambda d: d.update(coverage="both", name=5, extra=True),
    lambda d: d.update(requirement={"regime": "jp-fsa-draft", "assumptions": {"insurance_shar": 0.5, "x": 1}}),
    lambda d: d.update(requirement={"regime": "jp-fsa-draft", "assumptions": {"insurance_share": 50}}),
    lambda d: d.update(requirement={"regime": "jp-fsa-draft", "assumptions": {"floor": 5e12}}),
    lambda d: [item.update(min_share=0.9, max_share=0.5) for item in d["instruments"] if item["kind"] == "insurance"],
    lambda d: d.update(scenarios={"years": 0, "frequency": {"rate": -1}}),
    lambda d: d["instruments"][0].update(max_amount=1e30),
    lambda d: d["instruments"][0].update(max_amount=1e17),
    lambda d: d["instruments"][3].update(limit=1e-3),
    lambda d: d.update(requirement={"regime": "nope"}),
    lambda d: d["requirement"].update(amount=0.5),
    lambda d: d.update(requirement={"regime": "jp-fsa-draft", "assumptions": {"cap": 0.5, "floor": 0.1}}),
    lambda d: d.update(name=float("nan")),
    lambda d: d.update(risk={"max_cvar": 1e9}),
    lambda d: d.update(scenarios={"events": "x.csv", "cap": 1e9}),
    lambda d: d["exchange"].pop("client_crypto_cold") and d.update(scenarios={"years": 1000, "vectors": [
        {"name": "hot", "share": 0.5, "exposes": ["client_crypto_hot"]},
        {"name": "hot", "share": 0.2, "exposes": ["client_crypto_cold"]}]}),
    lambda d: d.update(scenarios={"years": 1000}, exchange={}),
    lambda d: d.update(scenarios={"years": 1000, "severity": {"distribution": "pareto", "sigma": 1.2}}),
    lambda d: d.update(scenarios={"years": 1000, "severity": {"distribution": "incidents", "alpha": 1.2}}),
    lambda d: d.update(name="bad \ud800 name", **{"\udc00": 1}),
    lambda d: d.update(scenarios={"years": 1000,
                                  "default_probability": {"Bank A": 0.01, "bank  a": 0.02, "Nobody": 0.1}}),
]
BAD_FILES = [b"a: 010\n", b"a: 0x1F\n", b"a: 1:30\n", b"a: [1,000, 2]\n", b"a: 1\na: 2\n",
             b"a: &x {b: 1}\nc:\n  <<: *x\n", b"a: [\n", b'{"a": }', b"", b"- 1\n", b"\xff\xfe", b"x" * 4_100_000,
             b'{"a": 1, "a": 2}', b'{"a": ' + b"9" * 200 + b"}", b"? [1, 2]\n: x\n", b"a: !!binary aGVsbG8=\n",
             b"a: " + b"[" * 80 + b"]" * 80 + b"\n"]


BAD_TABLES = [b"id,kind,id\ncash,cash,x\n", b"id,kinds\ncash,cash\n", b"kind,cost_rat\ncash,0.1\n", b"id,kind\n",
              b"id,kind\ncash,cash,extra\n", b"\xff\xfe", b""]


PLAN = yaml.safe_load((EXAMPLES / "jp-midsize-plan.yaml").read_text(encoding="utf-8"))
BAD_PLANS = [{"years": 12}, {"requirement_fractions": [0.5, 1.0]}, {"requirement_fractions": [25, 50, 75, 100]},
             {"max_set_aside": -5}, {"discount_rate": 3}, {"instruments": {"interim-cat": {"interim": 5}}},
             {"instruments": {"interim-kat": {"interim": 2}, "nothing": {"interim": 1}}},
             {"instruments": {"xl-2": {"interim": 2}}}, {"instruments": {"cash": {"available_years": [1, 2]}}},
             {"instruments": {"interim-cat": {"available_years": [1, 1, 9], "interim": 2}}},
             {"growth": {"profit": 0.1}}, {"max_set_aside_share": {"fraction": 0.5, "of": "profit"}}, {"horizon": 4}]


def _risk_problems():
    from optimizer.risk.build import case_scenarios, loss_spec, usd_rate

    found = []
    for edit, check in ((lambda d: d.update(currency="CHF"), usd_rate),
                        (lambda d: d.update(scenarios={"loss_model": "nope"}), loss_spec)):
        with pytest.raises(CaseError) as caught:
            check(check_case(_changed(edit)))
        found += caught.value.problems
    events = check_case(_changed(lambda d: d.update(scenarios={"events": "losses.csv", "years": 100})))
    for years in (5, 10**9):
        with pytest.raises(CaseError) as caught:
            case_scenarios(events, None, years=years) if years == 5 else case_scenarios(check_case(
                _changed(lambda d: d.update(scenarios={"years": 1000, "frequency": {"per_year": 50}}))), None, years)
        found += caught.value.problems
    return found


def _problems():
    found = _risk_problems()
    for change in BAD_PLANS:
        data = copy.deepcopy(PLAN)
        data["plan"].update(change)
        with pytest.raises(CaseError) as caught:
            check_case(data)
        found += caught.value.problems
    for raw in BAD_TABLES:
        with pytest.raises(CaseError) as caught:
            instruments_from_csv(raw)
        found += caught.value.problems
    for edit in BAD_CASES:
        with pytest.raises(CaseError) as caught:
            check_case(_changed(edit))
        found += caught.value.problems
    for raw in BAD_FILES:
        with pytest.raises(CaseError) as caught:
            case_from_bytes(raw)
        found += caught.value.problems
    return found


def test_problems_in_english_read_as_their_message_and_in_japanese_without_english():
    problems = _problems()
    assert len(problems) > 30
    untranslated = []
    for problem in problems:
        if problem.phrase is None or not knows(problem.phrase):
            untranslated.append(problem.message)
            continue
        assert say(problem.phrase) == problem.message
        assert problem_message(problem) == problem.message
        assert not english_words(problem.phrase), (problem.message, say(problem.phrase, JAPANESE))
    assert untranslated == [], untranslated
    keys = set().union(*(_keys(problem.phrase, set()) for problem in problems))
    wanted = {"problems.pydantic.iso_4217", "problems.currency_did_you_mean", "problems.unknown_regime",
              "problems.duplicate_id", "problems.min_above_max_share", "problems.unknown_field",
              "problems.missing_counterparty", "problems.ratio_above", "problems.ratio_below", "problems.too_large",
              "problems.yaml_notation", "problems.yaml_duplicate_key", "problems.yaml_merge_key",
              "problems.pydantic.fraction_percentage", "problems.floor_above_cap",
              "problems.assumption_percentage", "problems.not_an_assumption_close", "problems.not_json",
              "problems.column_twice", "problems.not_a_column", "problems.column_required", "problems.table_no_rows",
              "problems.more_cells", "problems.table_not_utf8", "problems.table_no_header", "problems.case_not_mapping",
              "problems.empty_file", "problems.case_not_utf8", "problems.case_too_large", "problems.r_too_small",
              "problems.origin_case", "problems.origin_regime", "problems.plan_per_year", "problems.plan_no_instrument",
              "problems.use_one_of", "problems.plan_cash_years", "problems.plan_interim_kind",
              "problems.plan_interim_and_years", "problems.plan_years_outside", "problems.plan_year_twice",
              "problems.plan_interim_too_long", "problems.plan_needs_profit", "problems.plan_growth_unused",
              "problems.pydantic.plan_years", "problems.risk_needs_scenarios", "problems.events_only",
              "problems.events_years", "problems.vector_shares", "problems.vector_unique", "problems.vector_pool",
              "problems.scenarios_cap", "problems.default_same_counterparty", "problems.default_unknown_counterparty",
              "problems.risk_needs_usd", "problems.unknown_loss_model", "problems.json_digits",
              "problems.json_duplicate_key", "problems.no_field_takes", "problems.type.bytes",
              "problems.severity_needs", "problems.severity_takes", "problems.severity_takes_none",
              "problems.hint.minimum", "problems.hint.alpha", "problems.surrogate_text", "problems.surrogate_key",
              "problems.events_years_fixed", "problems.too_many_incidents"}
    assert wanted <= keys, wanted - keys


def test_a_problem_without_a_phrase_is_english_under_a_japanese_lead_in():
    from optimizer import Problem

    problem = Problem("instruments[0].limit", "must be something new (got 3)")
    assert problem_message(problem) == "must be something new (got 3)"
    japanese = problem_message(problem, JAPANESE)
    assert japanese.startswith("（この問題の説明は英語のみです）")
    assert japanese.endswith("must be something new (got 3)")


def test_pydantic_errors_are_keyed_by_type_and_context():
    from pydantic import BaseModel, Field, ValidationError

    from optimizer.case.errors import problems_from_validation

    class Limits(BaseModel):
        above: float = Field(gt=0)
        most: float = Field(le=1)
        side: str = Field(pattern="^(left|right)$")
        way: Literal["up", "down", "across"]

    with pytest.raises(ValidationError) as caught:
        Limits(above=0, most=2, side="up", way="sideways")
    problems = problems_from_validation(caught.value)
    keys = [problem.phrase.key for problem in problems]
    assert keys == ["problems.pydantic.greater_than", "problems.pydantic.less_than_equal",
                    "problems.pydantic.string_pattern_mismatch", "problems.pydantic.literal_error"]
    for problem in (problems[0], problems[1], problems[3]):
        assert say(problem.phrase) == problem.message
    assert problem_message(problems[0], JAPANESE) == "0 より大きくなければなりません"
    assert problem_message(problems[3], JAPANESE) == "'up'、'down'、'across' のいずれかでなければなりません"
    # A type no catalogue has (string_pattern_mismatch off the currency field) stays English, said so.
    assert problem_message(problems[2], JAPANESE).startswith("（この問題の説明は英語のみです）")


# --- the app in Japanese -------------------------------------------------------------------------


def _japanese(app):
    app.sidebar.get("button_group")[0].set_value("ja").run()
    return app


def test_the_app_in_japanese_shows_the_diagnosis_and_fixes_in_japanese(app):
    _japanese(app)
    load_example(app, "jp-midsize-infeasible.yaml")
    open_page(app, "optimise")
    shown = errors(app)
    assert "単一の損失 100億円 における要件額 100億円 のうち 10.0億円 を賄えません" in shown, shown
    assert "cannot be covered" not in shown and "must be" not in shown
    fixes = app.dataframe[0].value
    assert fixes.iloc[0, 0] == "lc-bank-a の max_amount を 10.0億円 から 20.0億円 に引き上げる"
    assert any("解き直して" in caption.value for caption in app.caption)


def test_the_app_in_japanese_lists_a_bad_case_files_problems_in_japanese(app):
    _japanese(app)
    raw = yaml.safe_dump(_changed(lambda d: d.update(currency="YEN"))).encode()
    app.file_uploader[0].set_value(("bad.yaml", raw, "application/x-yaml")).run()
    shown = errors(app)
    assert "ISO 4217 の通貨コードではありません" in shown and "JPY のことですか？" in shown, shown
    assert "is not an ISO 4217" not in shown


def test_the_what_binds_list_follows_the_language(app):
    _japanese(app)
    open_page(app, "optimise")
    texts = " ".join(markdown.value for markdown in app.markdown)
    assert "現金は要件額の 20%" in texts, texts
    assert "cash must be at least" not in texts


def test_the_board_report_in_japanese_says_what_binds_in_japanese():
    from optimizer.workbench.board_report import Bullets, board_report

    case = load_case(EXAMPLES / "jp-midsize.yaml")
    answer = optimize(case)
    assert answer.status is Status.OPTIMAL
    generated = datetime(2026, 1, 1, tzinfo=UTC)
    report = board_report(case, answer, language="ja", generated=generated)
    bullets = [text for block in report.blocks if isinstance(block, Bullets) for text in block.items]
    assert any("現金は要件額の 20%（20.0億円）以上でなければならない" in text for text in bullets), bullets
    english = board_report(case, answer, language="en", generated=generated)
    bullets = [text for block in english.blocks if isinstance(block, Bullets) for text in block.items]
    assert [item.text for item in answer.binding] == bullets[-len(answer.binding):]


def test_the_duals_note_is_the_optimizers_words_in_english_and_japanese_in_ja():
    from optimizer.coverage.pipeline import DUALS_LP, DUALS_MIP
    from optimizer.workbench.i18n import text

    assert text("en", "duals.lp") == DUALS_LP and text("en", "duals.mip") == DUALS_MIP
    for key in ("duals.lp", "duals.mip"):
        said = text("ja", key)
        assert not re.search(r"\b(?!LP\b|MILP\b)[A-Za-z]{3,}\b", said), said
