"""Risk of the optimal mix, once per session per case and settings, with a progress bar.

A per-session memo keyed by the case's canonical JSON, the mix and the years/seed means a page
switch never re-simulates; long simulations (more than one chunk of a million years) show a
progress bar. An events table's path is taken relative to the app's working folder: an
uploaded case has no folder of its own.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping

import streamlit as st

from optimizer import Case, CaseError
from optimizer.risk.figures import RiskReport
from optimizer.risk.loss_models import LossModelError
from optimizer.workbench.risk_view import mix_risk
from ui import format as fmt
from ui.i18n import t
from ui.state import ROOT, case_json

_MEMO = "_risk_reports"
_MEMO_SIZE = 16
"""Reports kept per session (each holds two exceedance curves of a few hundred points)."""


def risk_of(
    case: Case, amounts: Mapping[str, float], years: int | None = None, seed: int | None = None
) -> RiskReport | CaseError | LossModelError:
    """The risk report of ``amounts`` over the case's scenarios (memoised), or what stops it."""
    key = json.dumps([case_json(case.model_dump(mode="json")), dict(amounts), years, seed], sort_keys=True)
    memo: OrderedDict[str, RiskReport | CaseError | LossModelError] = st.session_state.setdefault(
        _MEMO, OrderedDict()
    )
    if key in memo:
        memo.move_to_end(key)
        return memo[key]
    bar = st.progress(0.0, text=t("risk.simulating", share=fmt.rate(0.0)))

    def progress(done: float, words: str) -> None:
        # The simulator's own words are English; the page says how far it is in the session's language.
        bar.progress(min(done, 1.0), text=t("risk.simulating", share=fmt.rate(round(min(done, 1.0), 2))))

    result: RiskReport | CaseError | LossModelError
    try:
        result = mix_risk(case, amounts, ROOT, years, seed, progress, "the case")
    except (CaseError, LossModelError) as error:
        result = error
    bar.empty()
    memo[key] = result
    while len(memo) > _MEMO_SIZE:
        memo.popitem(last=False)
    return result
