"""Files the command writes next to its answer (the audit record, the rule grid's CSV).

Two promises: an output never overwrites an input (``check_output_path``: ``--audit case.yaml``
is refused before anything is solved), and a file is either the old one or the whole new one,
never half written (``write_text_atomic``: a temporary file in the same folder, then
``os.replace``, which POSIX and Windows make atomic within one file system).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputFileError(ValueError):
    """An output file that may not or cannot be written; the message says which and why."""


def check_output_path(target: Path, inputs: Sequence[Path], what: str) -> None:
    """Refuse an output path that is one of the inputs, or whose folder does not exist.

    Parameters
    ----------
    target
        Where the output would go.
    inputs
        Files the run reads (the case): the same file under another name, through a link or
        as ``/dev/stdin`` counts too (``os.path.samefile``).
    what
        What the output is, for the message ("audit record").

    Raises
    ------
    OutputFileError
        If ``target`` is one of ``inputs`` or its folder is missing.
    """
    for source in inputs:
        if _same_file(target, source):
            msg = (
                f"refusing to write the {what} to {target}: that is the case file being solved "
                f"({source}), and it would be overwritten; name another file"
            )
            raise OutputFileError(msg)
    folder = Path(os.path.realpath(target)).parent
    if not _is_stream(target) and not folder.is_dir():
        msg = f"cannot write the {what} to {target}: the folder {folder} does not exist; create it or name another file"
        raise OutputFileError(msg)


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet) or cannot be examined
        return os.path.realpath(first) == os.path.realpath(second)


def _is_stream(path: Path) -> bool:
    """True for an existing terminal, pipe or device (``/dev/stdout``): written in place, not replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_text_atomic(target: Path, text: str, what: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` so that a reader sees the old file or the whole new one.

    The text goes to a temporary file in the target's folder (so the rename stays on one file
    system), is flushed to disk, takes the old file's permissions (or the usual ones for a new
    file), then replaces the target with ``os.replace``. A symbolic link is followed: the file
    it points to is replaced, the link stays. A terminal, pipe or device (``/dev/stdout``) is
    not a file to replace and is written directly.

    Raises
    ------
    OutputFileError
        If the file cannot be written; the message names the file and the reason. Nothing is
        left behind: the temporary file is removed and the old file is untouched.
    """
    try:
        if _is_stream(target):
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
            return
        path = Path(os.path.realpath(target))
        mode = _mode_for(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _sync_folder(path.parent)
    except OSError as error:
        reason = error.strerror or str(error)
        msg = f"cannot write the {what} to {target}: {reason}"
        raise OutputFileError(msg) from None


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        # mkstemp makes the file private (0600); a new output gets what open() would give it.
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX); not every system allows it.
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
