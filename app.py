"""reserve-opt, the app: ``streamlit run app.py``.

Thin on purpose: page set-up, the session's starting state and the navigation. Each page
lives in ``app_pages/``; what they share lives in ``ui/``; the mathematics in ``optimizer/``.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder beside the entry
script as its legacy multipage mode and then runs a page's file on its own, skipping this
script (the session set-up, the navigation and the sidebar).
"""

import streamlit as st

from ui.sidebar import show_sidebar
from ui.state import init_session, pop_notice

st.set_page_config(page_title="reserve-opt", page_icon=":material/shield:", layout="wide")
init_session()
page = st.navigation(
    [
        st.Page("app_pages/case.py", title="Case", icon=":material/folder_open:", default=True),
        st.Page("app_pages/market.py", title="Market", icon=":material/table_view:"),
        st.Page("app_pages/optimise.py", title="Optimise", icon=":material/insights:"),
        st.Page("app_pages/risk.py", title="Risk", icon=":material/crisis_alert:"),
        st.Page("app_pages/frontier.py", title="Frontier", icon=":material/show_chart:"),
        st.Page("app_pages/what_if.py", title="What-if", icon=":material/tune:"),
        st.Page("app_pages/insurer.py", title="Insurer", icon=":material/handshake:"),
        st.Page("app_pages/plan.py", title="Plan", icon=":material/calendar_month:"),
        st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
    ]
)
notice = pop_notice()  # left by the previous run: "Loaded the example ...", "Saved ..."
if notice:
    st.toast(notice, icon=":material/check_circle:")
page.run()
# After the page, so it shows the case as the page left it (pages do not st.stop()).
show_sidebar()
