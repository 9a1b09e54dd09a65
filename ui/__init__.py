"""Streamlit helpers shared by the app's pages: session state, solving, charts and views.

Nothing here imports ``pulp``: the pages and these helpers speak only to ``optimizer``.
"""
