import json

import numpy as np
import pytest

from ros1qa.errors import IndexCorrupt, IndexMissing
from ros1qa.index.indexing import build_index
from ros1qa.index.store import CURRENT, RowsOnDisk, current_build, load_index, read_manifest
from ros1qa.settings import CHUNKER_VERSION


def test_build_writes_a_versioned_folder_with_manifest_and_switches_current(fake_settings, embedder):
    report = build_index(fake_settings, embedder)
    folder = current_build(fake_settings.index_dir)
    manifest = read_manifest(fake_settings.index_dir)
    assert folder.name == manifest["build_id"] == report.manifest["build_id"]
    assert (fake_settings.index_dir / CURRENT).read_text().strip() == folder.name
    assert {"vectors.faiss", "passages.json", "documents.json", "glossary.toml", "labelled.npz"} <= set(manifest["files"])
    assert manifest["model"] == {"id": embedder.model_id, "backend": embedder.backend, "dimension": embedder.dimension}
    assert manifest["chunker"]["version"] == CHUNKER_VERSION and manifest["schema_version"] == 1
    assert manifest["corpus"].keys() == {"immunotherapy-and-ros1-cancer.txt"}  # labelled questions are not pages
    assert manifest["labelled"].keys() == {path.name for path in (fake_settings.corpus_dir / "labelled").glob("*.jsonl")}
    assert manifest["vectors"]["type"] == "flat"


def test_loaded_index_round_trips_passages_verbatim(fake_settings, embedder):
    build_index(fake_settings, embedder)
    index = load_index(fake_settings.index_dir)
    documents = {d.doc_id: d.text for d in index.documents}
    assert index.passages and index.vectors.ntotal == index.manifest["counts"]["units"]
    for passage in index.passages:
        assert documents[passage.doc_id][passage.start:passage.end] == passage.text


def test_building_twice_is_deterministic(fake_settings, embedder, tmp_path):
    first = build_index(fake_settings, embedder).manifest
    files = {name: (current_build(fake_settings.index_dir) / name).read_bytes() for name in first["files"]}
    second = build_index(fake_settings, embedder).manifest
    assert first == second
    assert files == {name: (current_build(fake_settings.index_dir) / name).read_bytes() for name in second["files"]}
    assert "time" not in json.dumps(first).lower()


def test_a_new_build_becomes_current_and_keeps_only_the_one_before(fake_settings, embedder, corpus_dir):
    page = corpus_dir / "immunotherapy-and-ros1-cancer.txt"
    ids = []
    for extra in ("", "One more sentence.", "Yet another sentence."):
        page.write_text(page.read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")
        ids.append(build_index(fake_settings, embedder).manifest["build_id"])
    assert len(set(ids)) == 3
    assert current_build(fake_settings.index_dir).name == ids[2]
    builds = sorted(p.name for p in fake_settings.index_dir.iterdir() if p.is_dir())
    assert builds == sorted(ids[1:])  # the previous build stays for readers still loading it


def test_missing_index_names_the_rebuild_command(tmp_path):
    with pytest.raises(IndexMissing, match="ros1qa build"):
        load_index(tmp_path / "nowhere")


@pytest.mark.parametrize("name", ["passages.json", "labelled.npz"])
def test_altered_file_is_detected_by_checksum(fake_settings, embedder, name):
    build_index(fake_settings, embedder)
    altered = current_build(fake_settings.index_dir) / name
    data = bytearray(altered.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt, match=f"{name} does not match its checksum.*ros1qa build"):
        load_index(fake_settings.index_dir)


def test_word_pieces_are_read_from_the_build_folder_slice_by_slice(tmp_path):
    rows = np.arange(24, dtype=np.float16).reshape(6, 4)
    np.save(tmp_path / "p.npy", rows, allow_pickle=False)
    on_disk = RowsOnDisk(tmp_path / "p.npy")
    assert len(on_disk) == 6
    assert np.array_equal(on_disk[1:3], rows[1:3]) and on_disk[1:3].dtype == np.float16
    assert on_disk[5:9].shape == (1, 4) and on_disk[4:4].shape == (0, 4)
