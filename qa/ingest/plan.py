"""Incremental ingest: what changes in the index when files are added, edited or deleted.

`reportqa ingest FOLDER` makes the index hold what FOLDER holds now, leaving documents
from other folders alone: new files are added, a file whose bytes (or user facets) changed
is re-processed, a file that is gone is removed.  A file that fails to load keeps its
previous version in the index, so bad input never loses what was indexed.  The work is
planned first (pure, `plan`), then `store.build` reuses everything it can and
`store.save` switches to the new generation atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.index.embed import Embedder, ModelSpec
from qa.index.store import IndexData, IndexProblem, build, built_with, load, read_manifest, save, writing
from qa.ingest.facets import OVERRIDABLE
from qa.ingest.load import LoadError, Skipped, load_paths
from qa.records import Document

SIDECAR_SUFFIX = ".facets.json"


@dataclass
class Plan:
    """The index's documents after an ingest, and what changed to get there."""

    docs: list[Document]
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[Skipped] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged"
        )


def _under(path: str, roots: Sequence[Path]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def plan(
    previous: Mapping[str, Document], loaded: Sequence[Document], roots: Sequence[Path], failed: Iterable[str] = ()
) -> Plan:
    """The documents an ingest of `roots` leaves in the index (pure: no files touched).

    previous: the index's documents; loaded: what the files under roots hold now;
    failed: paths under roots that did not load (their previous version is kept).
    """
    resolved_roots = [root.resolve() for root in roots]
    now = {str(Path(d.path).resolve()): d for d in loaded}
    kept_failed = {str(Path(p).resolve()) for p in failed}
    result = Plan([])
    docs: dict[str, Document] = {}
    for doc_id, old in previous.items():
        where = str(Path(old.path).resolve())
        if not _under(old.path, resolved_roots) or where in kept_failed:
            docs[doc_id] = old
        elif where not in now or now[where].identity != old.identity:
            (result.replaced if where in now else result.removed).append(doc_id)
        else:
            docs[doc_id] = old
    for doc in loaded:
        old_doc = docs.get(doc.doc_id)
        if old_doc is not None and old_doc.identity == doc.identity:
            if _under(old_doc.path, resolved_roots) and old_doc.path != doc.path and Path(old_doc.path).exists():
                result.duplicates.append(Skipped(doc.path, f"same content as {old_doc.path} (doc {doc.doc_id})"))
                continue
            docs[doc.doc_id] = doc  # unchanged (or moved): same chunks, facts and vectors
            result.unchanged.append(doc.doc_id)
        elif old_doc is not None:
            result.duplicates.append(Skipped(doc.path, f"same content as {old_doc.path} (doc {doc.doc_id})"))
        else:
            docs[doc.doc_id] = doc
            if doc.doc_id not in result.replaced:
                result.added.append(doc.doc_id)
    # a replaced path's new version has a new id: count it as changed, not added
    replaced_paths = {str(Path(previous[d].path).resolve()) for d in result.replaced}
    for doc_id in list(result.added):
        if str(Path(docs[doc_id].path).resolve()) in replaced_paths:
            result.added.remove(doc_id)
    result.docs = sorted(docs.values(), key=lambda d: d.path)  # same order as a build from scratch
    return result


def read_sidecar(path: Path) -> dict[str, str]:
    """User facets for a report from `<file>.facets.json` beside it: {"department", "year", "report_type"}."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        given = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"{sidecar}: unreadable facets file ({exc})") from exc
    if not isinstance(given, dict) or not set(given) <= set(OVERRIDABLE):
        raise LoadError(f"{sidecar}: expected a JSON object with keys among {', '.join(OVERRIDABLE)}")
    return {k: str(v) for k, v in given.items() if v not in (None, "")}


def with_facets(doc: Document, given: Mapping[str, str]) -> Document:
    """The document with the user's facets (sidecar first, then command-line ones) attached."""
    merged = {**read_sidecar(Path(doc.path)), **{k: v for k, v in given.items() if v}}
    return replace(doc, overrides=tuple(sorted(merged.items())))


def listed_documents(index_dir: Path) -> dict[str, Document] | None:
    """The index's documents as the manifest lists them (no text), or None without a readable index."""
    try:
        manifest = read_manifest(index_dir)
    except IndexProblem:
        return None
    return {
        doc_id: Document(
            doc_id=doc_id,
            path=entry["path"],
            title=entry.get("title", ""),
            text="",
            sha256=entry["sha256"],
            encoding="",
            overrides=tuple(sorted(entry.get("overrides", {}).items())),
        )
        for doc_id, entry in manifest["documents"].items()
    }


def open_previous(index_dir: Path) -> IndexData | None:
    """The current index, or None when there is none or it cannot be read (then it is rebuilt)."""
    try:
        return load(index_dir)
    except IndexProblem:
        return None


@dataclass
class Outcome:
    plan: Plan
    skipped: list[Skipped]
    data: IndexData | None  # None: nothing changed, nothing written
    nothing_readable: bool = False  # no file under the paths loaded: the index was left as it was


def ingest(
    paths: Sequence[Path],
    index_dir: Path,
    spec: ModelSpec,
    embedder: Embedder | Callable[[], Embedder],
    given: Mapping[str, str] | None = None,
    force: bool = False,
) -> Outcome:
    """Bring the index up to date with the files under `paths`; see the module docstring."""
    loaded, skipped = load_paths(paths)
    skipped = [s for s in skipped if not s.path.endswith(SIDECAR_SUFFIX)]
    facet_problems = []
    docs = []
    for doc in loaded:
        try:
            docs.append(with_facets(doc, given or {}))
        except LoadError as exc:
            facet_problems.append(Skipped(doc.path, str(exc)))
    skipped = [*skipped, *facet_problems]
    failed = [s.path for s in skipped]
    listed = listed_documents(index_dir)  # from the manifest alone: deciding "nothing to do" is cheap
    the_plan = plan(listed or {}, docs, paths, failed)
    if not the_plan.docs or (not loaded and skipped):
        return Outcome(the_plan, skipped + the_plan.duplicates, None, nothing_readable=True)
    if listed is not None and the_plan.changes == 0 and not force and built_with(index_dir, spec):
        return Outcome(the_plan, skipped + the_plan.duplicates, None)
    with writing(index_dir):  # planned again under the lock, from the generation it will replace
        previous = open_previous(index_dir)
        the_plan = plan(previous.docs if previous is not None else {}, docs, paths, failed)
        skipped.extend(the_plan.duplicates)
        data = build(the_plan.docs, embedder, None if force else previous, spec)
        save(index_dir, data)
    return Outcome(the_plan, skipped, data)


def remove(index_dir: Path, names: Sequence[str]) -> tuple[IndexData, list[Document]]:
    """Drop documents (by id or path) from the index; nothing is embedded."""
    load(index_dir)  # a missing or damaged index is said before the lock file would be made
    with writing(index_dir):
        data = load(index_dir)
        gone = []
        for name in names:
            match = [d for d in data.docs.values() if name in (d.doc_id, d.path) or Path(d.path) == Path(name)]
            if not match:
                raise ValueError(f"no document {name!r} in {index_dir}; see reportqa list")
            gone.extend(match)
        gone_ids = {d.doc_id for d in gone}
        keep = [d for d in data.docs.values() if d.doc_id not in gone_ids]
        new = build(keep, _no_model, data, data.spec)
        save(index_dir, new)
    return new, gone


def _no_model() -> Embedder:
    raise AssertionError("removing documents never embeds")
