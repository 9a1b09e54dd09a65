"""The Risk page's tables and figures in words: headers from the catalogue, money through ``ui.format``.

Frames only (no Streamlit calls), so the page and the tests read the same tables. Cells are
plain text (``st.dataframe`` does not render Markdown), so instrument ids and counterparties
need no escaping here.
"""

from __future__ import annotations

import pandas as pd

from optimizer.risk.figures import LimitCheck, RiskReport
from ui import format as fmt
from ui.i18n import t


def return_period_frame(report: RiskReport) -> pd.DataFrame:
    """Annual loss, uncovered loss and largest single incident exceeded once in each return period."""
    cur = report.currency
    return pd.DataFrame(
        [
            {
                t("risk.col_period"): row.years,
                t("risk.col_annual_loss"): fmt.money(row.annual_loss, cur),
                t("risk.col_uncovered"): fmt.money(row.uncovered, cur),
                t("risk.col_largest"): fmt.money(row.largest_incident, cur),
            }
            for row in report.return_periods
        ]
    )


def loss_ratio_frame(report: RiskReport) -> pd.DataFrame:
    """Expected payout over premium of each insurance and parametric instrument, as a percentage."""
    return pd.DataFrame(
        [
            {
                t("views.col_instrument"): name,
                t("risk.col_loss_ratio"): "—" if ratio is None else fmt.share(ratio),
            }
            for name, ratio in report.loss_ratio.items()
        ]
    )


def default_frame(report: RiskReport) -> pd.DataFrame:
    """What each counterparty's default would add to the expected uncovered loss a year."""
    return pd.DataFrame(
        [
            {t("views.col_counterparty"): name, t("risk.col_default_added"): fmt.money(value, report.currency)}
            for name, value in report.default_added.items()
        ]
    )


def stress_frame(report: RiskReport) -> pd.DataFrame:
    """Each historical incident replayed against the mix.

    What each instrument pays is in the chart beside it (``risk_charts.stress_chart``): a list
    of payments per row would be the one column too wide for the page. Amounts are in the short
    form (¥58.0bn, 580億円): a replayed loss converted from USD is not known to the yen.
    """
    cur = report.currency
    rows = []
    for row in report.stress:
        loss = fmt.short(row.loss, cur)
        reported = t("risk.reported_in", currency=cur) if row.reported == f"reported in {cur}" else row.reported
        rows.append(
            {
                t("risk.col_date"): row.date,
                t("risk.col_exchange"): row.exchange,
                t("risk.col_loss"): t("risk.capped", amount=loss) if row.capped else loss,
                t("risk.col_paid"): fmt.short(sum(row.paid.values()), cur),
                t("risk.col_uncovered"): fmt.short(row.uncovered, cur),
                t("risk.col_how"): reported,
            }
        )
    return pd.DataFrame(rows)


def limit_words(check: LimitCheck, report: RiskReport) -> str:
    """A risk limit of the case against the mix: "met: the CVaR 99% ... at most ¥15.0bn; the mix gives ¥12.1bn"."""
    cur = report.currency
    measure = t(f"risk.limit_{check.name}", level=fmt.rate(report.level))
    key = "risk.limit_met" if check.met else "risk.limit_not_met"
    return t(key, measure=measure, field=f"risk.{check.name}", limit=fmt.money(check.limit, cur),
             value=fmt.money(check.value, cur))
