"""Streamlit helpers shared by the app's pages: session state, solving, charts and views.

Nothing here imports ``pulp``: the pages and these helpers speak only to ``optimizer``.
Conventions every page follows (docs/app-conventions.md):

- words from the language catalogue: ``ui.i18n.t("case.title")``;
- numbers through ``ui.format`` (``fmt.money``, ``fmt.short``, ``fmt.rate``, ``fmt.share``,
  ``fmt.delta``);
- user text escaped before Markdown: ``ui.text.esc`` / ``ui.text.code``;
- tables through ``ui.tables.show_table``; results pages start from ``ui.views.page_case``.
"""
