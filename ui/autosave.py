"""The work survives a reload: a session key in the URL and a draft saved under it.

A new session gets a random key, written into the page's URL as ``?s=KEY``; after each run
that changed the work, the case, its source, the levers and the page are saved under that
key in the workspace database (``optimizer.workbench.drafts``). A reload (F5) or the URL
opened again after closing the tab starts a session with that key, which finds the draft
and puts it back, on the page it was left on. "Start over" goes back to the example.

Nothing here may stop the app: when the workspace cannot be written, the work stays in the
session and the sidebar says it is not being saved.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from optimizer.workbench.drafts import DraftStore, valid_key
from ui.solving import _open_workspace, workspace
from ui.state import init_session, restore, snapshot

PARAM = "s"
"""The query parameter holding the session key."""
_KEY = "_session_key"
_SAVED = "_autosaved"
_PAGE = "_restore_page"
_FAILED = "_autosave_error"

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> DraftStore:
    # One table handle per database, shared by every session (like the workspace's engine).
    return DraftStore(_open_workspace(url).engine)


def draft_store() -> DraftStore | None:
    """The drafts table of this server's workspace, or None when it cannot be used."""
    store = workspace()
    if store is None:
        return None
    try:
        return _store(store.url)
    except SQLAlchemyError as error:
        st.session_state[_FAILED] = f"{type(error).__name__}: {error}"
        return None


def session_key() -> str:
    """The key of this session (the ``s`` in the URL)."""
    return str(st.session_state[_KEY])


def start_session() -> None:
    """On a session's first run: bring back the draft named in the URL, or start afresh.

    On every run: keep the key in the URL (Streamlit drops query parameters on a page switch).
    """
    if _KEY not in st.session_state:
        wanted = st.query_params.get(PARAM)
        store = draft_store()
        draft = None
        if store is not None and valid_key(wanted):
            try:
                draft = store.load(str(wanted))
            except SQLAlchemyError as error:
                log.warning("could not read the autosaved draft: %s", error)
        if draft is not None:
            restore(draft.state)
            st.session_state[_KEY] = draft.session_key
            st.session_state[_SAVED] = _text(draft.state, draft.page)
            st.session_state[_PAGE] = draft.page
        else:
            st.session_state[_KEY] = secrets.token_urlsafe(12)
    init_session()
    if st.query_params.get(PARAM) != session_key():
        st.query_params[PARAM] = session_key()


def page_to_restore() -> str | None:
    """The URL path of the page the restored draft was on, once (then None)."""
    page = st.session_state.pop(_PAGE, None)
    return None if page is None else str(page)


def _text(state: dict[str, Any], page: str) -> str:
    return json.dumps({"state": state, "page": page}, sort_keys=True, default=str)


def autosave(page: str) -> None:
    """Save the session's work under its key if it changed since the last save."""
    state = snapshot()
    text = _text(state, page)
    if st.session_state.get(_SAVED) == text:
        return
    store = draft_store()
    if store is None:
        return
    try:
        store.save(session_key(), state, str(state["case"].get("name", "")), page)
    except (SQLAlchemyError, ValueError) as error:
        # Busy or unwritable workspace, or a draft too large: the work stays in the session.
        st.session_state[_FAILED] = str(error)
        log.warning("could not autosave the work: %s", error)
        return
    st.session_state.pop(_FAILED, None)
    st.session_state[_SAVED] = text


def autosave_error() -> str:
    """Why the last autosave failed ("" when it did not)."""
    return str(st.session_state.get(_FAILED, ""))
