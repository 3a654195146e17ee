"""Tuning the embedding model to patients' questions: what ``ros1qa tune`` writes to ``index/tuning/``.

all-MiniLM-L6-v2 learned to match sentences with sentences; a patient's question and the sentence of a
page that answers it differ more than that. The training pages' answerable questions, each with the
unit of its page that holds its gold text (the sentence as the index embeds it: heading, previous
sentence and sentence, ``ingest.units``), teach both towers at once with the multiple-negatives ranking
loss: every other answer in a batch of 32 is a wrong one. One epoch, a low-rank (LoRA) adapter of every
linear layer of the transformer (peft), so what ships is ≈2.6 MB rather than a copy of the model.

Measured (docs/quality.md, stops 41 and 42): dense search alone gains on pages and questions it never saw
(first passage right on the seed page's labelled sets 0.569 → 0.721); the engine built on it gains on fixture and
held-out pages but not yet on the seed page's sets, so it is not the default. The corpus's own pages (the seed
page) are never trained on, so its figures stay held out.

Cross-fitted, as the query adapter was: every model ``ros1qa train`` learns on top of the embedding (answer
model, highlight, lead, follow-ups) learns from rows a tuned model computed without the row's page group's
questions (``training_worlds``), as the shipped tuning meets a page it never saw. Learned from rows of its own
training pairs, the answer model would learn similarities that new pages never reach. The fold adapters are
cached in the models folder under a digest of the pairs and the recipe (``ros1qa tune`` makes them).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from ros1qa.index.embedding import Embedder, SentenceTransformerEmbedder, resolve_model_location
from ros1qa.index.labels import holds_any
from ros1qa.index.tuning import ADAPTER_FILES, TUNING_DIR
from ros1qa.ingest.units import embedding_texts, make_units
from ros1qa.learning.adapter_training import gold_passages
from ros1qa.learning.learning import World, corpus_pages, open_worlds, page_groups, page_of
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL, Settings

FOLDS_DIR = "tuning-folds"  # in the models folder: the cross-fitted adapters, one folder per digest


@dataclass(frozen=True)
class Pair:
    """A question as the engine embeds it, and the text of the unit that answers it, as the index embeds it."""

    question: str
    answer: str
    page: str
    world: str  # the page group it comes from: its fold


@dataclass(frozen=True)
class Recipe:
    """How the adapter is learned (every figure in docs/quality.md used these)."""

    rank: int = 16
    alpha: int = 32
    targets: tuple[str, ...] = ("query", "key", "value", "dense")  # BERT's attention and feed-forward layers
    batch: int = 32
    learning_rate: float = 1e-3
    warm_up: int = 10  # steps
    scale: float = 20.0  # of the cosine, in the loss
    seed: int = 0


@dataclass(frozen=True)
class Tuned:
    """What was learned: from how many pairs, about which pages."""

    pairs: int
    pages: tuple[str, ...]
    steps: int
    final_loss: float


def tuning_pairs(worlds: Sequence[World], skipped: set[str]) -> list[Pair]:
    """Every answerable labelled question about a world's page (pages in ``skipped``: none), with the first sentence
    unit holding its gold text (else the first passage holding it)."""
    pairs: list[Pair] = []
    for world in worlds:
        engine = world.engine
        passages = engine.index.passages
        units = make_units(passages)
        texts = embedding_texts(units, passages)
        passage_texts = [p.text for p in passages]
        for q in world.questions:
            page = page_of(q, engine)
            if q.kind != "answerable" or not page or page in skipped:
                continue
            gold = gold_passages(passage_texts, q.gold)
            if not gold:
                continue
            answer = next((t for u, t in zip(units, texts) if u.is_sentence and u.passage in gold
                           and holds_any(passages[u.passage].span_text(u.start, u.end), q.gold)), None)
            if answer is None:  # the gold text spans sentences: the passage
                answer = next(t for u, t in zip(units, texts) if u.passage == gold[0] and not u.is_sentence)
            pairs.append(Pair(engine.query(q.question).embedding_text, answer, page, world.name))
    return pairs


def training_pairs(corpus_dir: Path, training_dir: Path, settings: Settings, workdir: Path) -> list[Pair]:
    """The pairs of every training page group's answerable questions (the corpus's own pages: none)."""
    bundled = replace(settings, model=BUNDLED_MODEL, backend="torch")  # the pairs' texts need no tuned model
    worlds = open_worlds(corpus_dir, page_groups(training_dir / "pages"), [training_dir / "questions"], bundled,
                         SentenceTransformerEmbedder(BUNDLED_MODEL, settings.threads), workdir)
    return tuning_pairs(worlds, corpus_pages(corpus_dir))


def fold_tunings(pairs: Sequence[Pair], folds_dir: Path, recipe: Recipe = Recipe(),
                 threads: int = 0) -> dict[str, Path]:
    """For each page group, an adapter tuned on the other groups' pairs: learned once, then read from
    ``folds_dir``/<digest of the pairs and the recipe>/<group>."""
    digest = hashlib.sha256(json.dumps([[asdict(p) for p in pairs], asdict(recipe)]).encode()).hexdigest()[:16]
    folders = {}
    for group in sorted({p.world for p in pairs}):
        folder = folds_dir / digest / group
        if not all((folder / name).is_file() for name in ADAPTER_FILES):
            tune([p for p in pairs if p.world != group], folder, recipe, threads)
        folders[group] = folder
    return folders


def training_worlds(corpus_dir: Path, training_dir: Path, settings: Settings, embedder: Embedder,
                    workdir: Path) -> list[World]:
    """The training page groups' worlds as ``ros1qa train`` and ``eval-pages`` learn from them: for the tuned
    model, each read by the fold's tuning that never saw its questions (learned now if not yet); for any other
    model, by ``embedder``."""
    groups, labels = page_groups(training_dir / "pages"), [training_dir / "questions"]
    if settings.model != TUNED_MODEL:
        return open_worlds(corpus_dir, groups, labels, settings, embedder, workdir)
    folds = fold_tunings(training_pairs(corpus_dir, training_dir, settings, workdir / "pairs"),
                         settings.models_dir / FOLDS_DIR, threads=settings.threads)
    # on torch: a tuning is merged as the model loads (a group with no pairs of its own: the shipped tuning)
    readers = {group.name: SentenceTransformerEmbedder(TUNED_MODEL, settings.threads, folds.get(group.name, TUNING_DIR))
               for group in groups}
    return open_worlds(corpus_dir, groups, labels, replace(settings, backend="torch"), readers, workdir / "tuned")


def tune(pairs: Sequence[Pair], destination: Path, recipe: Recipe = Recipe(), threads: int = 0) -> Tuned:
    """Learn the adapter on ``pairs`` (one epoch, in a seeded order) and write it to ``destination``."""
    import torch
    from peft import LoraConfig, get_peft_model
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(recipe.seed)
    model = SentenceTransformer(resolve_model_location(BUNDLED_MODEL), device="cpu")
    network = get_peft_model(model[0].model, LoraConfig(r=recipe.rank, lora_alpha=recipe.alpha, lora_dropout=0.0,
                                                        target_modules=list(recipe.targets), bias="none"))
    model.train()
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=recipe.learning_rate)
    order = np.random.default_rng(recipe.seed).permutation(len(pairs))
    steps, loss = 0, float("nan")
    for start in range(0, len(order) - recipe.batch + 1, recipe.batch):
        batch = [pairs[i] for i in order[start:start + recipe.batch]]
        questions = _embed(model, [p.question for p in batch])
        answers = _embed(model, [p.answer for p in batch])
        step_loss = torch.nn.functional.cross_entropy(recipe.scale * questions @ answers.T, torch.arange(len(batch)))
        for group in optimiser.param_groups:
            group["lr"] = recipe.learning_rate * min(1.0, (steps + 1) / recipe.warm_up)
        optimiser.zero_grad()
        step_loss.backward()
        optimiser.step()
        steps, loss = steps + 1, float(step_loss.detach())
    _save(network, destination)
    return Tuned(len(pairs), tuple(sorted({p.page for p in pairs})), steps, loss)


def _embed(model: object, texts: list[str]) -> object:
    import torch

    features = model.preprocess(texts)  # type: ignore[attr-defined]
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=1)  # type: ignore[operator]


def _save(network: object, destination: Path) -> None:
    """The adapter's two files only, the same bytes for the same weights: the bundled model named by name (not this
    machine's path to it), the layers in order; written beside ``destination`` and moved into place."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        network.save_pretrained(scratch)  # type: ignore[attr-defined]
        config = Path(scratch) / ADAPTER_FILES[0]
        described = json.loads(config.read_text(encoding="utf-8"))
        described["base_model_name_or_path"] = BUNDLED_MODEL
        described["target_modules"] = sorted(described["target_modules"])  # peft writes a set: in any order
        config.write_text(json.dumps(described, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        destination.mkdir(exist_ok=True)
        for name in ADAPTER_FILES:
            shutil.move(str(Path(scratch) / name), destination / name)
            (destination / name).chmod(0o644)  # readable by whoever serves the package
