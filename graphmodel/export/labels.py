"""Labels of a drawn graph that do not overlap: placed beside their node, then pushed apart.

:func:`place_labels` puts each label on the side of its node that overlaps
least; :func:`repel_labels` then moves labels apart until no two overlap. Both
work in pixels of a matplotlib figure and look only at boxes that share a cell
of a grid, so laying out n labels costs about n, not n².
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

__all__ = ["place_labels", "repel_labels"]


_CANDIDATES = [  # (direction x, direction y, horizontal alignment, vertical alignment)
    (1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"),
    (0.72, 0.72, "left", "bottom"), (-0.72, 0.72, "right", "bottom"), (0.72, -0.72, "left", "top"), (-0.72, -0.72, "right", "top"),
]


def _box(px: float, py: float, gap: float, cand: tuple, w: float, h: float) -> tuple[float, float, float, float]:
    dx, dy, ha, va = cand
    ax_, ay_ = px + dx * gap, py + dy * gap
    x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
    y0 = ay_ if va == "bottom" else ay_ - h if va == "top" else ay_ - h / 2
    return x0, y0, x0 + w, y0 + h


def _overlap(a: tuple, b: tuple) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


class _Grid:
    """Boxes ``(x0, y0, x1, y1)`` filed under every cell of a square grid they cover.

    :meth:`near` gives, in the order they were added, the boxes that share a
    cell with a box: every box that overlaps it, and some that do not. Finding
    a box's neighbours this way costs about its number of neighbours, not the
    number of boxes, so placing n labels is about linear in n, not quadratic.
    """

    def __init__(self, cell: float = 48.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    def _keys(self, box: tuple) -> list[tuple[int, int]]:
        c = self.cell
        xs = range(math.floor(box[0] / c), math.floor(box[2] / c) + 1)
        ys = range(math.floor(box[1] / c), math.floor(box[3] / c) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, index: int, box: tuple) -> None:
        for key in self._keys(box):
            self.cells[key].append(index)

    def near(self, box: tuple) -> list[int]:
        found: set[int] = set()
        for key in self._keys(box):
            found.update(self.cells.get(key, ()))
        return sorted(found)


def place_labels(ax, nodes: list[str], texts, anchors_px: np.ndarray, radii: np.ndarray, fixed) -> None:
    """Greedy label placement: biggest nodes first, each on the side that overlaps least.

    Candidates are the eight sides of the node; the score is the overlap (px²)
    with labels already placed, other nodes' markers and the fixed texts,
    plus a small cost for facing inward and for leaving the axes.
    """
    renderer = ax.figure.canvas.get_renderer()
    centre_px = ax.transData.transform((0.0, 0.0))
    frame = ax.get_window_extent(renderer)
    sizes = []
    for t in texts:
        b = t.get_window_extent(renderer)
        sizes.append((b.width + 4, b.height + 3))
    placed: list[tuple] = [tuple(t.get_window_extent(renderer).extents) for t in fixed]
    markers = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(anchors_px, radii, strict=True)]
    # only boxes sharing a grid cell can overlap; the sums skip nothing but zeros, in the same order
    placed_grid, marker_grid = _Grid(), _Grid()
    for j, box in enumerate(placed):
        placed_grid.add(j, box)
    for j, box in enumerate(markers):
        marker_grid.add(j, box)
    inv = ax.transData.inverted()
    for i in sorted(range(len(nodes)), key=lambda i: -radii[i]):
        px, py = anchors_px[i]
        out = np.array([px - centre_px[0], py - centre_px[1]])
        norm = np.hypot(*out)
        out = out / norm if norm > 1e-6 else np.array([0.0, -1.0])
        w, h = sizes[i]
        best, best_score = None, math.inf
        for cand in _CANDIDATES:
            box = _box(px, py, radii[i] + 2, cand, w, h)
            score = sum(_overlap(box, placed[j]) for j in placed_grid.near(box))
            score += sum(_overlap(box, markers[j]) for j in marker_grid.near(box) if j != i)
            score += 60.0 * (1 - (cand[0] * out[0] + cand[1] * out[1]) / math.hypot(cand[0], cand[1]))
            if box[0] < frame.x0 or box[2] > frame.x1 or box[1] < frame.y0 or box[3] > frame.y1:
                score += 1e6
            if score < best_score:
                best, best_score = (cand, box), score
        cand, box = best  # type: ignore[misc]
        dx, dy, ha, va = cand
        texts[i].set_ha(ha)
        texts[i].set_va(va)
        texts[i].set_position(tuple(inv.transform((px + dx * (radii[i] + 2), py + dy * (radii[i] + 2)))))
        placed_grid.add(len(placed), box)
        placed.append(box)


def repel_labels(ax, texts, node_px: np.ndarray, node_r: np.ndarray, iterations: int = 300) -> None:
    """Move label texts apart (in pixels) until their boxes do not overlap each other or nodes.

    Each pass looks only at pairs that share a cell of a grid (:class:`_Grid`),
    in the order a scan of all pairs would, so the result is the same as
    comparing every pair, in about linear time.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer).expanded(1.04, 1.12) for t in texts]
    centres = np.array([[(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2] for b in boxes])
    half = np.array([[b.width / 2, b.height / 2] for b in boxes])
    start = centres.copy()
    marker_grid = _Grid()
    for m, (p, radius) in enumerate(zip(node_px, node_r, strict=True)):
        marker_grid.add(m, (p[0] - radius, p[1] - radius, p[0] + radius, p[1] + radius))
    n = len(texts)
    for _ in range(iterations):
        moved = False
        delta = np.zeros_like(centres)
        extents = [(c[0] - h[0], c[1] - h[1], c[0] + h[0], c[1] + h[1]) for c, h in zip(centres.tolist(), half.tolist(), strict=True)]
        label_grid = _Grid()
        for i, box in enumerate(extents):
            label_grid.add(i, box)
        for i in range(n):
            for j in label_grid.near(extents[i]):
                if j <= i:
                    continue
                dx = centres[j, 0] - centres[i, 0]
                dy = centres[j, 1] - centres[i, 1]
                ox = half[i, 0] + half[j, 0] - abs(dx)
                oy = half[i, 1] + half[j, 1] - abs(dy)
                if ox > 0 and oy > 0:
                    moved = True
                    if oy <= ox:  # separate along the cheaper axis
                        s = (oy / 2 + 0.5) * (1 if dy >= 0 else -1)
                        delta[i, 1] -= s
                        delta[j, 1] += s
                    else:
                        s = (ox / 2 + 0.5) * (1 if dx >= 0 else -1)
                        delta[i, 0] -= s
                        delta[j, 0] += s
            for m in marker_grid.near(extents[i]):  # keep labels off node markers
                p, radius = node_px[m], node_r[m]
                dx = centres[i, 0] - p[0]
                dy = centres[i, 1] - p[1]
                ox = half[i, 0] + radius - abs(dx)
                oy = half[i, 1] + radius - abs(dy)
                if ox > 0 and oy > 0:
                    moved = True
                    if oy <= ox:
                        delta[i, 1] += (oy + 0.5) * (1 if dy >= 0 else -1)
                    else:
                        delta[i, 0] += (ox + 0.5) * (1 if dx >= 0 else -1)
        if not moved:
            break
        centres += np.clip(delta, -6, 6)
        centres += (start - centres) * 0.002  # a weak pull home keeps labels near their nodes
    inv = ax.transData.inverted()
    for t, c, s in zip(texts, centres, start, strict=True):
        px = ax.transData.transform(t.get_position()) + (c - s)
        t.set_position(tuple(inv.transform(px)))
