"""Workbench: what the CLI and the app do with answers.

What-if variants and sweeps (``variants``, ``sweep``, ``rule_grid``), the instruments as a
table (``market_table``), reports and exports (``report``, ``export``, ``audit``) and the saved
workspace (``workspace``).

May import: ``optimizer.case``, ``optimizer.rules``, ``optimizer.risk``, ``optimizer.coverage``.
Never imports streamlit: the app imports this, not the reverse.
"""
