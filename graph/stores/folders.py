"""Putting a store folder built beside the live one in its place: the commit point of a whole-store
replacement (`OxigraphStore.replace_all`), safe against a process killed at any moment.

A directory cannot be swapped for another in one rename, so it takes two: the live folder `path` is
renamed ``{path}.before-replace``, then the complete new folder renamed to `path`. Killed between the two,
`path` is missing and both whole folders are there: `finish_swap` (run whenever the store is opened)
completes the swap; killed after, it deletes the old folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

STAGING_SUFFIX = ".replace"
OLD_SUFFIX = ".before-replace"


def sibling(path: Path, suffix: str) -> Path:
    """``{path}{suffix}``, in the same folder as `path` (so that a rename never crosses file systems).

    >>> sibling(Path("/data/oxigraph"), STAGING_SUFFIX)
    PosixPath('/data/oxigraph.replace')
    """
    return path.with_name(path.name + suffix)


def swap_in(staging: Path, path: Path, *, leftovers: Iterable[Path] = ()) -> None:
    """Put the complete folder `staging` in place of the folder `path`, and delete the old one.

    `leftovers` (the old store's journal, say) are deleted before the new folder lands, so that nothing of
    the old store is applied to the new one. Raises `OSError` only before the first rename (nothing moved)
    or after the second (the swap is done; `finish_swap` deletes what was left).
    """
    old = sibling(path, OLD_SUFFIX)
    shutil.rmtree(old, ignore_errors=True)
    sync_tree(staging)  # on disk before it can become the store
    if path.exists():
        os.replace(path, old)
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    os.replace(staging, path)  # the commit point
    sync_dir(path.parent)
    shutil.rmtree(old, ignore_errors=True)


def finish_swap(path: Path) -> None:
    """Complete a `swap_in` killed half-way, if there is one; otherwise do nothing.

    `path` missing with ``.before-replace`` present: the kill came between the two renames — the new folder
    (``.replace``, complete, since the first rename comes after it is) is renamed into place, or, if it is
    gone, the old folder is put back. `path` present with ``.before-replace``: the old folder is deleted.
    """
    old = sibling(path, OLD_SUFFIX)
    if not old.is_dir():
        return
    if not path.exists():
        staging = sibling(path, STAGING_SUFFIX)
        os.replace(staging if staging.is_dir() else old, path)
        sync_dir(path.parent)
    shutil.rmtree(old, ignore_errors=True)


def sync_tree(folder: Path) -> None:
    """fsync every file and folder under `folder` (and itself): on disk before it is renamed into place."""
    for file in folder.rglob("*"):
        if file.is_file():
            descriptor = os.open(file, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    for directory in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        sync_dir(directory)


def sync_dir(folder: Path) -> None:
    """fsync a folder: a rename inside it is on disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
