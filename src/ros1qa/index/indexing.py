"""Build the index from the corpus (and its labelled questions), reusing unchanged embeddings, and say
whether it is current."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ros1qa.errors import IndexUnusable
from ros1qa.index.embedding import Embedder
from ros1qa.index.examples import ExampleQuestions, ExampleScale, load_scale, make_examples
from ros1qa.index.glossary import GLOSSARY_FILE, Glossary, parse_glossary
from ros1qa.index.labels import LABELLED_DIR, Resolved, labelled_files, load_labelled, resolve
from ros1qa.index.lexical import LexicalIndex
from ros1qa.index.pieces import PIECES_VERSION, piece_texts, read_pieces
from ros1qa.index.query import Reader
from ros1qa.index.store import IndexContents, LoadedIndex, load_index, verify_index, write_index
from ros1qa.index.vectors import all_vectors, build_vector_index, choose_index_type, describe, stored_as
from ros1qa.ingest.chunking import Passage, chunk_corpus
from ros1qa.ingest.corpus import Document, fingerprint, load_corpus, sha256_bytes
from ros1qa.ingest.units import EMBEDDING_TEXT_VERSION, alone_texts, embedding_texts, lexical_texts, make_units
from ros1qa.settings import Settings


@dataclass(frozen=True)
class BuildReport:
    manifest: dict[str, Any]
    units: int
    embedded: int  # texts embedded (units; sentences alone the pieces' run did not read); the rest were reused
    labelled: Resolved | None = None  # the corpus's labelled questions this build uses, and those it lost
    pieces_read: int = 0  # sentences read into word pieces; the rest came from the previous build

    @property
    def read(self) -> int:
        """Every text the model read for this build (``texts_read``'s share not reused from the previous build)."""
        return self.embedded + self.pieces_read


def expected_manifest(settings: Settings, embedder_dimension: int | None = None) -> dict[str, Any]:
    """The parts of a manifest that depend only on the corpus and settings."""
    glossary_path = settings.corpus_dir / GLOSSARY_FILE
    glossary_bytes = glossary_path.read_bytes() if glossary_path.is_file() else b""
    manifest: dict[str, Any] = {
        "model": {"id": settings.model, "backend": settings.backend},
        "chunker": settings.chunker.describe(),
        "embedding_text": EMBEDDING_TEXT_VERSION,
        "pieces": PIECES_VERSION,
        "corpus": {f.name: f.sha256 for f in fingerprint(settings.corpus_dir)},
        "glossary_sha256": sha256_bytes(glossary_bytes),
        "labelled": labelled_hashes(settings),
    }
    scale = load_scale(settings.model)
    if scale is not None:  # a model's own (the bundled model's builds stay as they were)
        manifest["example_scale"] = asdict(scale)
    if embedder_dimension is not None:
        manifest["model"]["dimension"] = embedder_dimension
    return manifest


def labelled_hashes(settings: Settings) -> dict[str, str]:
    """sha256 of each labelled-questions file beside the corpus (``<corpus>/labelled/*.jsonl``)."""
    folder = settings.corpus_dir / LABELLED_DIR
    return {path.name: sha256_bytes(path.read_bytes()) for path in labelled_files(folder)}


def _previous_build(settings: Settings) -> LoadedIndex | None:
    """The current build, if it used the same model (its embeddings and pieces may be reused)."""
    try:
        previous = load_index(settings.index_dir)
    except IndexUnusable:
        return None
    model = previous.manifest.get("model", {})
    return previous if (model.get("id"), model.get("backend")) == (settings.model, settings.backend) else None


def _previous_pieces(previous: LoadedIndex | None) -> dict[str, np.ndarray]:
    """The previous build's word pieces keyed by the text they were read from, if made the same way."""
    if previous is None or previous.pieces is None or previous.manifest.get("pieces") != PIECES_VERSION:
        return {}
    return previous.pieces.by_text(previous.passages)


def _previous_vectors(previous: LoadedIndex | None, codes: str) -> dict[str, np.ndarray]:
    """Embeddings of the previous build (its units' and its sentences read alone) keyed by their text, if it used
    the same text recipe and stored them as ``codes`` or finer (float16 ones would make a float32 index differ from
    a fresh build)."""
    if previous is None or previous.manifest.get("embedding_text") != EMBEDDING_TEXT_VERSION:
        return {}
    if stored_as(previous.manifest.get("vectors", {})) not in ("float32", codes):
        return {}
    previous_units = make_units(previous.passages)
    vectors = all_vectors(previous.vectors)
    alone = alone_texts(previous_units, previous.passages)
    if len(previous_units) != len(vectors) or len(alone) != len(previous.sentences):
        return {}
    return {**dict(zip(alone, previous.sentences)), **dict(zip(embedding_texts(previous_units, previous.passages), vectors))}


def _embed(texts: Sequence[str], embedder: Embedder, cache: dict[str, np.ndarray], progress: bool) -> tuple[np.ndarray, int]:
    missing = sorted({t for t in texts if t not in cache})
    if missing:
        fresh = embedder.encode(missing, progress=progress)
        cache = {**cache, **dict(zip(missing, fresh))}
    return np.stack([cache[t] for t in texts]).astype(np.float32), len(missing)


def _examples(settings: Settings, documents: tuple[Document, ...], passages: tuple[Passage, ...], glossary: Glossary,
              embedder: Embedder, cache: dict[str, np.ndarray]) -> tuple[ExampleQuestions | None, Resolved | None]:
    """The corpus's labelled questions resolved to the new passages, read as the engine will read them."""
    questions = load_labelled(settings.corpus_dir / LABELLED_DIR)
    if not questions:
        return None, None
    resolved = resolve(questions, passages)
    if not resolved.questions:  # every one lost, or only urgent ones: no examples, but the manifest says what was lost
        return None, resolved
    reader = Reader((d.text for d in documents), glossary)
    texts = [reader.read(q.question).embedding_text for q in resolved.questions]
    vectors = _embed(texts, embedder, cache, False)[0]
    pages = [passages[found[0]].doc_id if found else question.page
             for question, found in zip(resolved.questions, resolved.passages)]
    return make_examples(resolved, vectors, pages, load_scale(settings.model) or ExampleScale()), resolved


def texts_read(passages: Sequence[Passage]) -> set[str]:
    """Every distinct text a build has the model read, each once: the search units', the sentences' read alone and
    those read into word pieces (the same sentences, and a passage without sentences whole)."""
    units = make_units(passages)
    return {*embedding_texts(units, passages), *alone_texts(units, passages), *(t for p in passages for t in piece_texts(p))}


def build_index(settings: Settings, embedder: Embedder, progress: bool = False) -> BuildReport:
    """Read the corpus, chunk, embed (only what changed), and atomically switch ``index/`` to the result."""
    manifest = expected_manifest(settings)
    documents = load_corpus(settings.corpus_dir)
    glossary_path = settings.corpus_dir / GLOSSARY_FILE
    glossary_text = glossary_path.read_text(encoding="utf-8") if glossary_path.is_file() else ""
    glossary = parse_glossary(glossary_text)  # fail before any work if it is malformed
    passages = chunk_corpus(documents, settings.chunker)
    units = make_units(passages)
    kind = choose_index_type(len(units))
    manifest["vectors"] = describe(kind, len(units))
    previous = _previous_build(settings)
    cache = _previous_vectors(previous, stored_as(manifest["vectors"]))
    read = read_pieces(passages, embedder, _previous_pieces(previous))  # each sentence alone: its pieces and vector
    cache = {**cache, **read.vectors}  # so the model reads each text once
    vectors, embedded = _embed(embedding_texts(units, passages), embedder, cache, progress)
    alone = alone_texts(units, passages)
    sentences, embedded_alone = _embed(alone, embedder, cache, False) if alone \
        else (np.zeros((0, vectors.shape[1]), np.float32), 0)
    manifest["model"]["dimension"] = int(vectors.shape[1])
    manifest["counts"] = {"documents": len(documents), "passages": len(passages), "units": len(units)}
    examples, resolved = _examples(settings, documents, passages, glossary, embedder, cache)
    if resolved is not None:
        manifest["labelled_questions"] = resolved.summary()
    contents = IndexContents(
        manifest=manifest,
        documents=documents,
        passages=passages,
        vectors=build_vector_index(vectors, kind),
        sentences=sentences,
        pieces=read.pieces,
        lexical=LexicalIndex.build(lexical_texts(units, passages)),
        glossary_text=glossary_text,
        examples=examples,
    )
    return BuildReport(write_index(settings.index_dir, contents), len(units), embedded + embedded_alone, resolved,
                       len(read.vectors))


def stale_reasons(settings: Settings) -> list[str]:
    """What makes ``index/`` out of date with the corpus and settings; empty when it is current."""
    try:
        _, built = verify_index(settings.index_dir)  # checks every file's checksum, not only the manifest
    except IndexUnusable as exc:
        return [str(exc)]
    wanted = expected_manifest(settings)
    reasons: list[str] = []
    old_files, new_files = built.get("corpus", {}), wanted["corpus"]
    reasons += [f"added: {name}" for name in sorted(new_files.keys() - old_files.keys())]
    reasons += [f"removed: {name}" for name in sorted(old_files.keys() - new_files.keys())]
    reasons += [f"changed: {name}" for name in sorted(new_files.keys() & old_files.keys()) if new_files[name] != old_files[name]]
    if built.get("glossary_sha256") != wanted["glossary_sha256"]:
        reasons.append(f"changed: {GLOSSARY_FILE}")
    old_labels, new_labels = built.get("labelled", {}), wanted["labelled"]
    for name in sorted(old_labels.keys() | new_labels.keys()):
        if old_labels.get(name) != new_labels.get(name):
            change = "added" if name not in old_labels else "removed" if name not in new_labels else "changed"
            reasons.append(f"{change}: {LABELLED_DIR}/{name}")
    built_model = built.get("model", {})
    if (built_model.get("id"), built_model.get("backend")) != (settings.model, settings.backend):
        reasons.append(
            f"model: index built with {built_model.get('id')} ({built_model.get('backend')}), "
            f"settings use {settings.model} ({settings.backend})"
        )
    if built.get("chunker") != wanted["chunker"]:
        reasons.append(f"chunker settings: index {built.get('chunker')}, settings {wanted['chunker']}")
    if built.get("embedding_text") != wanted["embedding_text"]:
        reasons.append(f"embedding text recipe: index {built.get('embedding_text')}, code {wanted['embedding_text']}")
    if built.get("pieces") != wanted["pieces"]:
        reasons.append(f"word pieces: index {built.get('pieces') or 'none'}, code {wanted['pieces']}")
    if built.get("example_scale") != wanted.get("example_scale"):
        bundled = "the bundled model's"
        reasons.append(f"example questions' scale: index {built.get('example_scale', bundled)}, "
                       f"for the model {wanted.get('example_scale', bundled)} (ros1qa train learned it)")
    return reasons
