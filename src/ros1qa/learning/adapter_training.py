"""Learning the query adapter (``ask.query_adapter``) across pages, and cross-fitting it by page.

Each labelled answerable question of a fixture page, in the world that holds its page, is one example:
the passages of that world compete, and the map is learned so that the question's best unit cosine
picks a passage holding its gold text (a softmax over the world's passages; each page weighs the same;
the map's distance from the identity is penalised). The corpus's own pages are left out: their labelled
questions already act through the example questions, and a map learned on one heavily labelled page
learns that page by heart.

Cross-fitting: the pages are split into ``FOLDS`` folds, and each page's questions are examined with a map
learned without its fold. The answer model, the highlight's selector and the follow-up model then learn from
features of pages the map never saw, as a new page's will be; and a page's score never rests on a map that
learned from it (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ros1qa.ask.query_adapter import QueryAdapter
from ros1qa.index.labels import holds_any

FOLDS = 5
PENALTY = 0.03  # on the squared distance of the map from the identity; chosen leaving pages out (docs/quality.md)
TEMPERATURE = 0.05  # of the softmax over passages' cosines
STEPS = 200  # full-batch Adam steps
LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class PageQuestions:
    """The answerable questions of one page, in the world that holds it."""

    page: str
    vectors: np.ndarray  # the questions' vectors, as the engine reads them
    gold: tuple[tuple[int, ...], ...]  # per question: the passages holding its gold text
    world: str


@dataclass(frozen=True)
class WorldUnits:
    """A world's search units: their vectors and the passage each belongs to."""

    vectors: np.ndarray
    passage: np.ndarray


@dataclass(frozen=True)
class CrossFitted:
    """The map learned from every page (shipped), and per page the map learned without that page's fold."""

    shipped: QueryAdapter
    by_page: dict[str, QueryAdapter] = field(default_factory=dict)

    def for_page(self, page: str) -> QueryAdapter:
        """The map to examine ``page``'s questions with: one that never learned from it."""
        return self.by_page.get(page, self.shipped)


def gold_passages(passages: Sequence[str], gold: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(n for n, text in enumerate(passages) if holds_any(text, gold))


def fit_adapter(pages: Sequence[PageQuestions], worlds: dict[str, WorldUnits], model_id: str) -> QueryAdapter:
    """The map learned from ``pages`` (each page weighs the same)."""
    import torch

    dimension = next(iter(worlds.values())).vectors.shape[1]
    batches = []
    for world, units in worlds.items():
        mine = [p for p in pages if p.world == world and len(p.gold)]
        if not mine:
            continue
        vectors = torch.tensor(np.concatenate([p.vectors for p in mine]), dtype=torch.float32)
        count = int(units.passage.max()) + 1
        gold = torch.zeros(len(vectors), count, dtype=torch.bool)
        weights = torch.tensor([1.0 / len(p.gold) for p in mine for _ in p.gold])
        for row, passages in enumerate(g for p in mine for g in p.gold):
            gold[row, list(passages)] = True
        batches.append((vectors, gold, weights, torch.tensor(units.vectors, dtype=torch.float32),
                        torch.tensor(units.passage, dtype=torch.long)))
    total = sum(float(b[2].sum()) for b in batches)
    identity = torch.eye(dimension)
    delta = torch.zeros(dimension, dimension, requires_grad=True)
    optimiser = torch.optim.Adam([delta], lr=LEARNING_RATE)
    for _ in range(STEPS):
        optimiser.zero_grad()
        matrix = identity + delta
        loss = PENALTY * (delta ** 2).sum()
        for vectors, gold, weights, unit_vectors, unit_passage in batches:
            mapped = vectors @ matrix.T
            mapped = mapped / mapped.norm(dim=1, keepdim=True)
            cosines = mapped @ unit_vectors.T
            best = torch.full((len(vectors), gold.shape[1]), -1e9).scatter_reduce(
                1, unit_passage.expand(len(vectors), -1), cosines, reduce="amax", include_self=True) / TEMPERATURE
            missed = torch.logsumexp(best, 1) - torch.logsumexp(best.masked_fill(~gold, -1e9), 1)
            loss = loss + (missed * weights).sum() / total
        loss.backward()
        optimiser.step()
    matrix = (identity + delta).detach().numpy().astype(np.float32)
    return QueryAdapter(model_id, matrix, sum(len(p.gold) for p in pages), tuple(sorted({p.page for p in pages})))


def cross_fit(pages: Sequence[PageQuestions], worlds: dict[str, WorldUnits], model_id: str,
              folds: int = FOLDS) -> CrossFitted:
    """The shipped map, and for each page the map learned without its fold (pages in name order, dealt round)."""
    names = sorted({p.page for p in pages})
    by_page: dict[str, QueryAdapter] = {}
    for fold in range(folds):
        held = set(names[fold::folds])
        if not held:
            continue
        adapter = fit_adapter([p for p in pages if p.page not in held], worlds, model_id)
        by_page.update({page: adapter for page in held})
    return CrossFitted(fit_adapter(pages, worlds, model_id), by_page)
