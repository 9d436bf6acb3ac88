"""Publish stage: swap a completely built site into place in one step.

The new site is built in a sibling folder and exchanged with the old one, so a
web server (or a visitor) never sees a half-written site, and a failed or
interrupted build leaves the previous complete site where it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

from generator.files import remove_tree

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.building-{os.getpid()}"


def _old_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.old-{os.getpid()}"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (38, 22, 95):  # ENOSYS, EINVAL, EOPNOTSUPP: the filesystem cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def recover(output: Path) -> None:
    """Undo what an interrupted earlier run may have left behind.

    If a run died between the two renames of the fallback swap, the previous
    site sits in a '.NAME.old-PID' folder: put it back. Stale build folders
    of dead runs are removed.
    """
    parent = output.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{output.name}.old-*"))
    if not output.exists() and olds:
        os.rename(olds[-1], output)
        olds = olds[:-1]
    remove_dead_runs_folders([*olds, *parent.glob(f".{output.name}.building-*")])


def remove_dead_runs_folders(folders: list[Path]) -> list[Path]:
    """Remove folders named '...-PID' whose process is gone; returns those removed."""
    removed = []
    for folder in folders:
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and process_alive(int(pid)):
            continue
        remove_tree(folder)
        removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replace_atomically(staging: Path, output: Path) -> None:
    """Put the finished site in staging where output is; the old site is removed afterwards."""
    if output.exists() or output.is_symlink():
        if _exchange(staging, output):
            remove_tree(staging)  # now holds the old site
            return
        old = _old_dir(output)
        os.rename(output, old)
        os.rename(staging, output)
        remove_tree(old)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, output)
