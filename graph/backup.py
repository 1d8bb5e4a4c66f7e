"""Backups of a data folder: a consistent copy of the store taken while it serves, the API tokens, a manifest;
and their verified, atomic restore.

A backup is a folder:

- ``oxigraph/`` — an Oxigraph snapshot (`OxigraphStore.backup`), for an Oxigraph store on disk; or
  ``store.nq`` — every graph as N-Quads, for any other store (a Bolt server, Oxigraph in memory);
- ``tokens.sqlite3`` — the API tokens (hashed), copied with SQLite's online backup API;
- ``manifest.json`` — format, date, Maillage version, quads per graph, and the SHA-256 of every file.

It is written beside its destination and renamed into place, so that a folder named like the destination is
always a whole backup. A restore checks every checksum, builds the new store in a sibling folder, checks its
quads per graph against the manifest, and only then renames it into place (docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from maillage import __version__
from maillage.graph.stores import folders
from maillage.graph.stores.base import Store, StoreError
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TOKENS_FILE

FORMAT = "maillage-backup/1"
MANIFEST = "manifest.json"
OXIGRAPH_DIR = "oxigraph"
NQUADS_FILE = "store.nq"


class BackupError(Exception):
    """A backup or a restore could not be done; the message says what, where and how to fix it (French)."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: `kind` is ``oxigraph`` (a snapshot folder) or ``nquads`` (one N-Quads file)."""

    format: str
    created: str
    maillage_version: str
    kind: str
    quads: int
    graphs: dict[str, int]
    tokens: int | None
    files: dict[str, str]

    def sentence(self) -> str:
        """The backup in words: ``Sauvegarde du … : 1 234 quads dans 5 graphes, 2 jetons``."""
        tokens = "sans fichier de jetons" if self.tokens is None else f"{self.tokens} jeton(s)"
        return (
            f"Sauvegarde du {self.created} (Maillage {self.maillage_version}, {self.kind}) : "
            f"{self.quads} quads dans {len(self.graphs)} graphe(s), {tokens}"
        )


def backup(store: Store, destination: Path, *, tokens_path: Path | None = None) -> Manifest:
    """Back up `store` (and the tokens file `tokens_path`, if it exists) into the new folder `destination`.

    Online: the store keeps serving; the copy is one committed state (taken under `store.write_lock`).
    Raises `BackupError` if `destination` exists or anything cannot be read or written — and then leaves no
    folder named `destination`. Cost: hard links for an Oxigraph store on the same file system, else a copy.

    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> from rdflib import URIRef, Literal
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = OxigraphStore(folder / "oxigraph")
    >>> store.add_all([(URIRef("urn:a"), URIRef("urn:p"), Literal("x"), URIRef("urn:g"))])
    >>> backup(store, folder / "sauvegarde").graphs
    {'urn:g': 1}
    """
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"« {destination} » existe déjà : choisissez un dossier de sauvegarde nouveau")
    if not destination.parent.is_dir():
        raise BackupError(f"« {destination.parent} » n'est pas un dossier existant")
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        if isinstance(store, OxigraphStore) and store.path is not None:
            kind = "oxigraph"
            store.backup(staging / OXIGRAPH_DIR)
            graphs = _oxigraph_counts(staging / OXIGRAPH_DIR)
        else:
            kind = "nquads"
            with store.write_lock, open(staging / NQUADS_FILE, "wb") as out:
                store.dump_nquads(out)
            graphs = _nquads_counts(staging / NQUADS_FILE)
        tokens = None
        if tokens_path is not None and Path(tokens_path).exists():
            tokens = _copy_sqlite(Path(tokens_path), staging / TOKENS_FILE)
        manifest = Manifest(
            format=FORMAT,
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            maillage_version=__version__,
            kind=kind,
            quads=sum(graphs.values()),
            graphs=dict(sorted(graphs.items())),
            tokens=tokens,
            files=_checksums(staging),
        )
        (staging / MANIFEST).write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2) + "\n")
        folders.sync_tree(staging)
        os.replace(staging, destination)
        folders.sync_dir(destination.parent)
    except (StoreError, OSError, sqlite3.Error) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(
            f"Sauvegarde vers « {destination} » impossible, rien n'a été gardé : {error}"
        ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def verify(source: Path) -> Manifest:
    """Read the manifest of the backup `source` and check the SHA-256 of every file it lists.

    Raises `BackupError` naming the missing, unexpected or altered file.
    """
    source = Path(source)
    try:
        data = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise BackupError(f"« {source} » n'est pas une sauvegarde Maillage : {MANIFEST} manquant") from None
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(f"« {source / MANIFEST} » illisible : {error}") from error
    if manifest.format != FORMAT:
        raise BackupError(f"« {source} » : format « {manifest.format} » inconnu (attendu : {FORMAT})")
    found = _checksums(source)
    for name, digest in manifest.files.items():
        if name not in found:
            raise BackupError(f"sauvegarde « {source} » incomplète : « {name} » manque")
        if found[name] != digest:
            raise BackupError(f"sauvegarde « {source} » altérée : « {name} » n'a plus la somme SHA-256 notée")
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise BackupError(f"sauvegarde « {source} » altérée : « {extra[0]} » n'était pas dans la sauvegarde")
    return manifest


def restore_folder(
    source: Path, path: Path, *, tokens_path: Path | None = None, force: bool = False
) -> Manifest:
    """Restore the backup `source` as the Oxigraph store folder `path` (no process may have it open).

    The new store is built in ``{path}.replace`` and checked against the manifest, then put in place by
    `folders.swap_in`, as `OxigraphStore.replace_all` does (a kill between its two renames is completed
    when the store is next opened; the old store's journal is deleted, never applied to the new one).
    Refuses a store or a tokens file that holds something, unless `force`. Raises `BackupError`.
    """
    manifest = verify(source)
    path = Path(path)
    if path.exists():
        try:
            current = OxigraphStore(path)
        except StoreError as error:
            raise BackupError(
                f"la base « {path} » ne s'ouvre pas (un serveur Maillage l'utilise-t-il ? "
                f"arrêtez-le) : {error}"
            ) from error
        try:
            _refuse_overwrite(len(current), path, tokens_path, force=force)
        finally:
            current.close()
    else:
        _refuse_overwrite(0, path, tokens_path, force=force)
    staging = folders.sibling(path, folders.STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if manifest.kind == "oxigraph":
            shutil.copytree(source / OXIGRAPH_DIR, staging)
        new = OxigraphStore(staging)
        try:
            if manifest.kind == "nquads":
                new.bulk_load_nquads(source / NQUADS_FILE)
            _check_counts(new.count_by_graph(), manifest, where=staging)
        finally:
            new.close()
        journal = folders.sibling(path, ".journal")
        folders.swap_in(staging, path, leftovers=[journal, folders.sibling(journal, ".tmp")])
    except BackupError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (StoreError, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"Restauration dans « {path} » impossible : {error}") from error
    _restore_tokens(source, manifest, tokens_path)
    return manifest


def restore_into(
    store: Store, source: Path, *, tokens_path: Path | None = None, force: bool = False
) -> Manifest:
    """Restore the backup `source` into an open `store` (a Bolt server, or any store): one atomic
    `Store.restore_nquads`, then its quads per graph are checked against the manifest. Raises
    `BackupError`."""
    manifest = verify(source)
    _refuse_overwrite(len(store), store, tokens_path, force=force)
    with tempfile.TemporaryDirectory(prefix="maillage-restore-") as scratch:
        nquads = Path(source) / NQUADS_FILE
        try:
            if manifest.kind == "oxigraph":
                copy = Path(scratch) / "oxigraph"
                shutil.copytree(Path(source) / OXIGRAPH_DIR, copy)
                snapshot = OxigraphStore(copy)
                nquads = Path(scratch) / NQUADS_FILE
                with open(nquads, "wb") as out:
                    snapshot.dump_nquads(out)
                snapshot.close()
            with store.write_lock, open(nquads, "rb") as data:
                store.restore_nquads(data)
        except (StoreError, OSError) as error:
            raise BackupError(f"Restauration impossible, la base n'a pas été modifiée : {error}") from error
    _check_counts(store.count_by_graph(), manifest, where=store)
    _restore_tokens(source, manifest, tokens_path)
    return manifest


def _refuse_overwrite(quads: int, where: object, tokens_path: Path | None, *, force: bool) -> None:
    if force:
        return
    if quads:
        raise BackupError(
            f"la base « {where} » n'est pas vide ({quads} quads) : restauration refusée "
            "(--force pour la remplacer)"
        )
    tokens = _token_count(Path(tokens_path)) if tokens_path is not None and Path(tokens_path).exists() else 0
    if tokens:
        raise BackupError(
            f"« {tokens_path} » contient déjà {tokens} jeton(s) : restauration refusée "
            "(--force pour le remplacer)"
        )


def _check_counts(found: Mapping[str, int], manifest: Manifest, *, where: object) -> None:
    if dict(found) != manifest.graphs:
        changed = sorted(
            g for g in set(found) | set(manifest.graphs) if found.get(g) != manifest.graphs.get(g)
        )
        graph = changed[0]
        raise BackupError(
            f"« {where} » ne correspond pas au manifeste : graphe <{graph}>, {found.get(graph, 0)} quads "
            f"au lieu de {manifest.graphs.get(graph, 0)}"
        )


def _restore_tokens(source: Path, manifest: Manifest, tokens_path: Path | None) -> None:
    if manifest.tokens is None or tokens_path is None:
        return
    tokens_path = Path(tokens_path)
    staging = tokens_path.with_name(tokens_path.name + ".restore")
    try:
        tokens_path.parent.mkdir(parents=True, exist_ok=True)
        staging.unlink(missing_ok=True)
        _copy_sqlite(Path(source) / TOKENS_FILE, staging)
        os.replace(staging, tokens_path)
    except (OSError, sqlite3.Error) as error:
        staging.unlink(missing_ok=True)
        raise BackupError(f"jetons non restaurés dans « {tokens_path} » : {error}") from error


def _copy_sqlite(source: Path, target: Path) -> int:
    """Copy a SQLite file with its online backup API (a consistent copy even while it is written);
    the copy is readable by its owner only (it holds token hashes). Returns the number of tokens."""
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()
    return _token_count(target)


def _token_count(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE name = 'tokens'").fetchall()
        return int(connection.execute("SELECT count(*) FROM tokens").fetchone()[0]) if tables else 0
    finally:
        connection.close()


def _oxigraph_counts(folder: Path) -> dict[str, int]:
    snapshot = OxigraphStore(folder)
    try:
        return snapshot.count_by_graph()
    finally:
        snapshot.close()


def _nquads_counts(path: Path) -> dict[str, int]:
    """Quads per graph of a dump (`dump_nquads` writes one quad per line, the graph last)."""
    counts: dict[str, int] = {}
    with open(path, "rb") as lines:
        for line in lines:
            line = line.rstrip()
            if line:
                graph = line[line.rindex(b" <", 0, len(line) - 2) + 2 : line.rindex(b">")].decode("utf-8")
                counts[graph] = counts.get(graph, 0) + 1
    return counts


def _checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder` but the manifest, by path relative to `folder` (``/``-separated).

    RocksDB's own files that change when a store is opened (its ``LOG`` and ``LOCK``) are left out."""
    sums: dict[str, str] = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = file.relative_to(folder).as_posix()
        if name == MANIFEST or file.name in _VOLATILE or file.name.startswith("LOG.old"):
            continue
        digest = hashlib.sha256()
        with open(file, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):  # noqa: B023 - bound per file
                digest.update(block)
        sums[name] = digest.hexdigest()
    return sums


_VOLATILE = {"LOG", "LOCK"}
