"""reserve-opt, the app: ``streamlit run app.py``.

Thin on purpose: page set-up, the session's starting state and the navigation. Each page
lives in ``app_pages/``; what they share lives in ``ui/``; the mathematics in ``optimizer/``.
The conventions every page follows (units, escaping user text, the language catalogue) are
in docs/app-conventions.md.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder beside the entry
script as its legacy multipage mode and then runs a page's file on its own, skipping this
script (the session set-up, the navigation and the sidebar).
"""

import streamlit as st

from ui.autosave import autosave, page_to_restore, start_session
from ui.i18n import t
from ui.sidebar import show_sidebar
from ui.state import pop_notice


def main() -> None:
    """One run of the app: set-up, restore, navigation, the page, the sidebar, autosave."""
    st.set_page_config(page_title="reserve-opt", page_icon=":material/shield:", layout="wide")
    # Restores the work autosaved under the URL's session key (a reload, a reopened tab).
    start_session()
    # Titles from the language catalogue; url_path fixed so a link works in either language.
    pages = [
        st.Page("app_pages/case.py", title=t("nav.case"), icon=":material/folder_open:", default=True),
        st.Page("app_pages/market.py", title=t("nav.market"), icon=":material/table_view:", url_path="market"),
        st.Page("app_pages/optimise.py", title=t("nav.optimise"), icon=":material/insights:", url_path="optimise"),
        st.Page("app_pages/risk.py", title=t("nav.risk"), icon=":material/crisis_alert:", url_path="risk"),
        st.Page("app_pages/frontier.py", title=t("nav.frontier"), icon=":material/show_chart:", url_path="frontier"),
        st.Page("app_pages/what_if.py", title=t("nav.what_if"), icon=":material/tune:", url_path="what_if"),
        st.Page("app_pages/insurer.py", title=t("nav.insurer"), icon=":material/handshake:", url_path="insurer"),
        st.Page("app_pages/plan.py", title=t("nav.plan"), icon=":material/calendar_month:", url_path="plan"),
        st.Page("app_pages/export.py", title=t("nav.export"), icon=":material/download:", url_path="export"),
    ]
    page = st.navigation(pages)
    left_on = page_to_restore()
    restored = [item for item in pages if item.url_path == left_on != page.url_path] if left_on else []
    if restored:  # a reload of the root URL: back to the page the work was left on
        st.switch_page(restored[0])
    notice = pop_notice()  # left by the previous run: "Loaded the example ...", "Saved ..."
    if notice:
        st.toast(notice, icon=":material/check_circle:")
    page.run()
    # After the page, so it shows the case as the page left it (pages do not st.stop()).
    show_sidebar()
    autosave(page.url_path)


# A process started by multiprocessing's "spawn" re-runs its parent's main script under the
# name __mp_main__; when that parent has run the app in-process (AppTest), the app must not
# run again in every worker (it would open the workspace and autosave there).
if __name__ != "__mp_main__":
    main()
