"""The optimizer's messages in the session's language and money format.

What binds, the diagnosis of an infeasible case and case problems are built by the optimizer
in English, each with a phrase (optimizer/case/phrase.py); here they are said in the
session's language with the session's units (``ui.format``: 億円 for JPY in the Japanese
money style), through ``optimizer/workbench/messages.py``. The results are plain text: put
them through ``ui.text.esc`` before Markdown, as they quote ids and names from the case.
"""

from __future__ import annotations

from optimizer.case.errors import Problem
from optimizer.coverage.solution import Binding, Fix, Shortfall, Solution
from optimizer.workbench import messages
from optimizer.workbench.i18n import text
from optimizer.workbench.variants import Target, TargetKind
from ui import format as fmt
from ui.i18n import language, t


def voice() -> messages.Voice:
    """The session's language, with money and rates in the session's formats."""
    return messages.Voice(language(), short=fmt.short, full=fmt.money, rate=fmt.rate)


def binding_text(item: Binding) -> str:
    """What binds, in the session's language."""
    return messages.binding_text(item, voice())


def shortfall_text(item: Shortfall) -> str:
    """A shortfall of an infeasible case, in the session's language."""
    return messages.shortfall_text(item, voice())


def fix_text(item: Fix) -> str:
    """A single change that fixes an infeasible case, in the session's language."""
    return messages.fix_text(item, voice())


def search_text(solution: Solution) -> str:
    """How the fixes were found, in the session's language ("" when there was no search)."""
    return messages.search_text(solution, voice())


def problem_message(item: Problem) -> str:
    """A case problem's message (without its path), in the session's language."""
    return messages.problem_message(item, voice())


def duals_note(solution: Solution) -> str:
    """What the answer's marginal costs (duals) mean, in the session's language ("" when none)."""
    if not solution.duals_note:
        return ""
    return t("duals.mip" if solution.is_mip else "duals.lp")


def target_label(target: Target, in_language: str | None = None) -> str:
    """What a premium scale applies to: "all insurance", or a counterparty's name.

    In the session's language, or ``in_language`` when given: a menu's ``format_func`` binds
    the language when the menu is drawn, as Streamlit may call it again outside the run.
    """
    if target.by is TargetKind.COUNTERPARTY:
        return target.name
    return text(in_language or language(), f"levers.all_{target.name}")
