"""Node positions computed in Python: seeded, quick, and tidy about loose nodes.

A force-directed layout (Fruchterman-Reingold; on maps of up to a few hundred
nodes followed by pushing overlapping labels apart) places every node that has a
link. Nodes without any link, such as a
statement nobody has linked yet or a session still to be held, would drift to the
edges of a force layout and make the whole map small on the screen; here they go
on a shelf of tidy rows below the rest, in the order given.

The same input always gives the same positions. Positions already known (saved by a
facilitator) stay exactly where they are and the rest is laid out around them.

>>> pos = layout_positions(["a", "b", "c", "los"], [("a", "b"), ("b", "c")], seed=1)
>>> sorted(pos)
['a', 'b', 'c', 'los']
>>> pos == layout_positions(["a", "b", "c", "los"], [("a", "b"), ("b", "c")], seed=1)
True
>>> xs = [pos[k][0] for k in "abc"]; ys = [pos[k][1] for k in "abc"]
>>> x, y = pos["los"]  # the loose node sits apart, below or beside the rest
>>> y > max(ys) or x > max(xs)
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

from graph.errors import PageDataError, said

__all__ = ["Position", "causal_positions", "label_box", "layout_positions", "trophic_levels"]

Position = tuple[float, float]

#: Ideal length of a link, in the page's pixels at zoom 1.
DEFAULT_SPACING = 90.0
#: Above this many nodes to move, the layout ignores node sizes and runs fewer
#: rounds, so that a map of a few thousand nodes is laid out in about a second.
DETAILED_MAX_NODES = 600
#: Strength of the pull towards the centre, against one link's pull.
GRAVITY = 0.2
#: The shape of the screen the map is made for (width / height of the map area): a
#: 16:9 or 16:10 projector below the page's header and legend.
SCREEN_ASPECT = 2.2
#: How much wider than tall a free layout is made, for 16:9 screens.
WIDESCREEN = 1.6
#: Rounds of pushing overlapping labels apart (four times as many on small maps).
OVERLAP_ROUNDS = 60
#: Maps of up to this many nodes are drawn together after the layout (see
#: :func:`_compact`), in at most this many steps of this much.
COMPACT_MAX_NODES = 80
COMPACT_STEPS = 12
COMPACT_SHRINK = 0.88
#: Room kept around each label when labels are pushed apart, in pixels.
LABEL_MARGIN = 6.0
#: How far a new node among kept ones looks for a free place: this many rings of a
#: quarter of a link (see :func:`_to_free_places`).
FREE_PLACE_RINGS = 200
#: Large maps start from a classical-scaling sketch on this many pivot nodes.
PIVOTS = 25
#: Pairs of nodes per block when computing repulsion (see :func:`_repulsion`).
REPULSION_BLOCK = 131_072
#: Above this many nodes to move, repulsion is computed on a grid (see
#: :func:`_mesh_repulsion`), in time proportional to the map, not to its square.
MESH_MIN_NODES = 2500
#: Rounds of the layout of a map laid out on a grid.
MESH_ITERATIONS = 60


def label_box(
    label: str,
    *,
    shape: str = "dot",
    node_size: float = 16.0,
    font_size: float = 22.0,
    max_width: float = 230.0,
) -> tuple[float, float]:
    """Estimated (width, height) in pixels of a node with this label and shape.

    Labels wrap at ``max_width``; an average character is taken as 0.6 em. The
    defaults sit between the page's normal and projector type, so that neither
    mode makes labels collide much. Shapes that hold their label (box, ellipse)
    grow with it; the others carry it underneath.

    >>> label_box("Stress")
    (81.2, 60.0)
    >>> label_box("Stress", shape="box")
    (103.2, 46.0)
    """
    chars = max(len(label), 1)
    line = chars * font_size * 0.6
    lines = max(1, math.ceil(line / max_width))
    # vis-network's lines are one font size apart; a box adds a margin of as much.
    text_w, text_h = min(line, max_width), lines * font_size
    if shape in ("box", "database"):
        width, height = text_w + font_size, text_h + font_size
    elif shape in ("ellipse", "circle"):
        width, height = text_w + text_h + 20, 2 * (text_h + 10)
    elif shape == "text":
        width, height = text_w, text_h
    else:
        width, height = max(text_w, 2 * node_size), 2 * node_size + text_h + 4
    return round(width + 2, 2), round(height + 2, 2)


def layout_positions(
    node_ids: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    sizes: Mapping[str, tuple[float, float]] | None = None,
    fixed: Mapping[str, Position] | None = None,
    seed: int = 7,
    spacing: float = DEFAULT_SPACING,
) -> dict[str, Position]:
    """Positions for ``node_ids`` (pixels, y down), from the links in ``edges``.

    ``sizes`` gives each node's (width, height) (see :func:`label_box`); nodes
    without one count as 60 x 60. ``fixed`` positions are kept exactly. Links to
    ids not in ``node_ids`` and links of a node to itself are ignored.
    """
    ids = list(dict.fromkeys(node_ids))
    if len(ids) != len(node_ids):
        raise PageDataError(said("page_data.unique_ids"))
    index = {node_id: i for i, node_id in enumerate(ids)}
    fixed = {k: (float(v[0]), float(v[1])) for k, v in (fixed or {}).items() if k in index}
    sizes = sizes or {}
    box = np.array([sizes.get(node_id, (60.0, 60.0)) for node_id in ids], dtype=float).reshape(
        -1, 2
    )

    pairs = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in edges
        if a in index and b in index and a != b
    }
    linked = np.zeros(len(ids), dtype=bool)
    for a, b in pairs:
        linked[a] = linked[b] = True
    loose = [i for i in range(len(ids)) if not linked[i] and ids[i] not in fixed]
    placed = [i for i in range(len(ids)) if linked[i] or ids[i] in fixed]

    out: dict[str, Position] = {}
    if placed:
        renumber = {i: j for j, i in enumerate(placed)}
        sub_edges = np.array(
            sorted((renumber[a], renumber[b]) for a, b in pairs), dtype=np.intp
        ).reshape(-1, 2)
        is_fixed = np.array([ids[i] in fixed for i in placed])
        start = np.array([fixed.get(ids[i], (0.0, 0.0)) for i in placed], dtype=float)
        xy = _force_layout(sub_edges, box[placed], start, is_fixed, seed=seed, spacing=spacing)
        for j, i in enumerate(placed):
            out[ids[i]] = fixed.get(ids[i], (round(float(xy[j, 0]), 2), round(float(xy[j, 1]), 2)))
    out.update(_shelf([ids[i] for i in loose], box[loose], out, box, index, spacing))
    return {node_id: out[node_id] for node_id in ids}


# --------------------------------------------------------------------------- force layout


def _force_layout(
    edges: np.ndarray,
    box: np.ndarray,
    start: np.ndarray,
    is_fixed: np.ndarray,
    *,
    seed: int,
    spacing: float,
) -> np.ndarray:
    n = len(box)
    rng = np.random.default_rng(seed)
    free = ~is_fixed
    if n == 1:
        return start if is_fixed.all() else np.zeros((1, 2))
    detailed = int(free.sum()) <= DETAILED_MAX_NODES
    dtype = np.float64 if detailed else np.float32

    spread = spacing * math.sqrt(n) * 0.6
    if is_fixed.any():
        xy = _near_neighbours(edges, start, is_fixed, rng, spacing)
        # The kept nodes are the map people know: the new ones only find a place
        # near their neighbours, they do not travel across it.
        spread = spacing * 2
    elif detailed:
        xy = rng.uniform(-spread, spread, size=(n, 2))
    else:
        xy = _pivot_sketch(n, edges, rng, spacing)
    xy = xy.astype(dtype)

    k = dtype(spacing)
    mesh = int(free.sum()) > MESH_MIN_NODES
    iterations = (
        300 if detailed else MESH_ITERATIONS if mesh else max(12, min(40, int(50_000_000 / n**2)))
    )
    temperature = spread * (0.25 if detailed else 0.08)
    cooling = temperature / (iterations + 1)
    gravity = dtype(0.0 if is_fixed.any() else GRAVITY if detailed else GRAVITY / 4)

    # Only the nodes that move need their forces: with a few new nodes among many
    # kept ones, that is a few rows of the n x n interactions.
    moving = np.flatnonzero(free)
    for _ in range(iterations):
        force = _mesh_repulsion(xy, spacing) if mesh else _repulsion(xy, spacing, moving)
        if len(edges):
            d = xy[edges[:, 1]] - xy[edges[:, 0]]
            length = np.hypot(d[:, 0], d[:, 1])[:, None]
            pull = d * length / k
            for axis in (0, 1):
                force[:, axis] += np.bincount(edges[:, 0], pull[:, axis], minlength=n)
                force[:, axis] -= np.bincount(edges[:, 1], pull[:, axis], minlength=n)
        # A soft spring to the centre keeps branches and small parts close.
        off = xy - xy.mean(axis=0)
        force -= gravity * off * np.hypot(off[:, 0], off[:, 1])[:, None] / k
        magnitude = np.hypot(force[:, 0], force[:, 1])[:, None] + 1e-9
        step = force / magnitude * np.minimum(magnitude, temperature)
        step[is_fixed] = 0
        xy += step
        temperature -= cooling
    xy = xy.astype(np.float64)
    if not is_fixed.any():
        # Screens are wider than tall: so is the map.
        xy[:, 0] *= WIDESCREEN
    if detailed:
        apart = _remove_overlaps(xy, box, is_fixed)
        if not apart and is_fixed.any():
            # Kept nodes do not make way: a new one between them goes where there is room.
            _to_free_places(xy, box, is_fixed, spacing)
        if not is_fixed.any() and n <= COMPACT_MAX_NODES:
            xy = _compact(xy, box)
    return xy


def _compact(xy: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Draw the map together as far as its label boxes allow.

    A force layout leaves much empty space between the parts of a map, so that the
    whole map, fitted to a screen, has small labels. Here the layout shrinks towards
    its middle a step at a time, more along the side that is too long for a
    :data:`SCREEN_ASPECT` screen, each step followed by pushing overlapping labels
    apart again, for as long as that lets the map be shown larger on such a screen.
    """

    def extent(points: np.ndarray) -> tuple[float, float]:
        low = (points - box / 2).min(axis=0)
        high = (points + box / 2).max(axis=0)
        return float(high[0] - low[0]), float(high[1] - low[1])

    def fit(points: np.ndarray) -> float:
        width, height = extent(points)
        return max(width, height * SCREEN_ASPECT)

    no_fixed = np.zeros(len(xy), dtype=bool)
    best, best_fit = xy, fit(xy)
    for _ in range(COMPACT_STEPS):
        width, height = extent(xy)
        wide = width > height * SCREEN_ASPECT
        shrink = np.array(
            [COMPACT_SHRINK, 1 - (1 - COMPACT_SHRINK) / 4]
            if wide
            else [1 - (1 - COMPACT_SHRINK) / 4, COMPACT_SHRINK]
        )
        centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
        trial = centre + (xy - centre) * shrink
        apart = _remove_overlaps(trial, box, no_fixed)
        trial_fit = fit(trial)
        if apart and trial_fit < best_fit:
            best, best_fit = trial, trial_fit
        xy = trial
    return best


def _near_neighbours(
    edges: np.ndarray,
    start: np.ndarray,
    is_fixed: np.ndarray,
    rng: np.random.Generator,
    spacing: float,
) -> np.ndarray:
    """Starting places for the nodes that are not kept: each next to the middle of
    its neighbours that already have a place, nearest to the kept nodes first; a node
    with no such neighbour starts near the middle of the kept ones."""
    n = len(start)
    xy = start.copy()
    known = is_fixed.copy()
    neighbours = _adjacency(n, edges)
    indptr, indices = neighbours
    hops = _hops(neighbours, np.flatnonzero(is_fixed)).astype(float)
    hops[hops < 0] = np.inf
    centre = start[is_fixed].mean(axis=0)
    for i in sorted(np.flatnonzero(~is_fixed), key=lambda j: (hops[j], j)):
        around = [j for j in indices[indptr[i] : indptr[i + 1]] if known[j]]
        base = xy[around].mean(axis=0) if around else centre
        xy[i] = base + rng.uniform(-spacing, spacing, size=2)
        known[i] = True
    return xy


def _repulsion(xy: np.ndarray, k: float, rows: np.ndarray | None = None) -> np.ndarray:
    """Every node pushes every other away with k^2 / distance: the push on each node
    of ``rows`` (default: all), and zero on the others.

    Computed a block of rows at a time: the n x n intermediates of a whole map do
    not fit in the processor's cache, blocks of them do, which halves the time on
    a map of a few thousand nodes. The sums are the same, to the last bit.
    """
    n = len(xy)
    x, y = xy[:, 0], xy[:, 1]
    k2, eps = xy.dtype.type(k * k), xy.dtype.type(1e-2)
    out = np.zeros_like(xy)
    wanted = np.arange(n) if rows is None else rows
    block = max(1, REPULSION_BLOCK // n)
    for start in range(0, len(wanted), block):
        own = wanted[start : start + block]
        dx = np.subtract.outer(x[own], x)
        dy = np.subtract.outer(y[own], y)
        d2 = dx * dx
        d2 += dy * dy
        d2 += eps
        np.reciprocal(d2, out=d2)
        d2 *= k2
        d2[np.arange(len(own)), own] = 0.0
        out[own, 0] = np.einsum("ij,ij->i", dx, d2)
        out[own, 1] = np.einsum("ij,ij->i", dy, d2)
    return out


def _mesh_repulsion(xy: np.ndarray, k: float) -> np.ndarray:
    """The push of :func:`_repulsion` on every node, from the nodes' density on a grid.

    Each node is spread over the four grid points around it, the density is convolved
    with the push of one node (k^2 / distance, away from it) by fast Fourier
    transforms, and each node reads its push back from the same four points
    (particle-mesh; Hockney and Eastwood, "Computer simulation using particles",
    1988). Time grows with the number of nodes and the grid, not with the number of
    pairs: a map of 100,000 nodes takes as long per round as one of a few hundred
    pushed pair by pair. Nodes closer than a grid cell push each other less than they
    would exactly; a large map is read zoomed out, where that does not show.
    """
    n = len(xy)
    size = int(min(512, max(64, 2 ** math.ceil(math.log2(1.5 * math.sqrt(n))))))
    low = xy.min(axis=0)
    extent = float(max((xy.max(axis=0) - low).max(), k))
    cell = extent / (size - 1)
    grid = (xy - low) / cell
    corner = np.minimum(np.floor(grid).astype(np.intp), size - 2)
    frac = grid - corner
    weights = []
    cells = []
    for ox, oy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        wx = frac[:, 0] if ox else 1 - frac[:, 0]
        wy = frac[:, 1] if oy else 1 - frac[:, 1]
        weights.append(wx * wy)
        cells.append((corner[:, 0] + ox) * size + corner[:, 1] + oy)
    density = np.zeros(size * size)
    for w, c in zip(weights, cells, strict=True):
        density += np.bincount(c, w, minlength=size * size)
    kx, ky = _mesh_kernels(size)
    spectrum = np.fft.rfft2(density.reshape(size, size), s=(2 * size, 2 * size))
    scale = k * k / cell
    out = np.empty((n, 2), dtype=xy.dtype)
    for axis, kernel in enumerate((kx, ky)):
        field = np.fft.irfft2(spectrum * kernel, s=(2 * size, 2 * size))[:size, :size].ravel()
        out[:, axis] = sum(w * field[c] for w, c in zip(weights, cells, strict=True)) * scale
    return out


_KERNELS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _mesh_kernels(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The spectra of the push of one node at the origin of a grid of ``size`` points a
    side (in grid units, along x and along y), padded for a convolution without
    wrapping round."""
    if size not in _KERNELS:
        offsets = np.fft.ifftshift(np.arange(-size, size, dtype=float))
        dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
        d2 = dx * dx + dy * dy
        d2[0, 0] = 1.0
        fx, fy = dx / d2, dy / d2
        _KERNELS[size] = (np.fft.rfft2(fx), np.fft.rfft2(fy))
    return _KERNELS[size]


def _pivot_sketch(
    n: int, edges: np.ndarray, rng: np.random.Generator, spacing: float
) -> np.ndarray:
    """A first sketch of a large map by classical scaling on a few pivot nodes
    (Brandes and Pich, "Eigensolver methods for progressive multidimensional
    scaling of large data", 2006): the map's overall shape in a few milliseconds."""
    neighbours = _adjacency(n, edges)
    count = min(PIVOTS, n)
    pivots = [int(rng.integers(n))]
    nearest = np.full(n, np.inf)
    columns = []
    for _ in range(count):
        column = _hops(neighbours, pivots[-1]).astype(float)
        # Parts of the map the pivot cannot reach count as one step beyond the farthest.
        column[column < 0] = column.max() + 1
        columns.append(column)
        nearest = np.minimum(nearest, column)
        pivots.append(int(np.argmax(nearest)))
    d = np.stack(columns, axis=1) ** 2
    c = -0.5 * (d - d.mean(axis=0) - d.mean(axis=1, keepdims=True) + d.mean())
    values, vectors = np.linalg.eigh(c.T @ c)
    order = np.argsort(values)[::-1][:2]
    xy = c @ vectors[:, order]
    xy -= xy.mean(axis=0)
    scale = np.abs(xy).max() or 1.0
    xy *= spacing * math.sqrt(n) * 0.5 / scale
    return xy + rng.uniform(-spacing * 0.3, spacing * 0.3, size=xy.shape)


def _adjacency(n: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The neighbours of every node, compressed: node i's are ``indices[indptr[i]:indptr[i+1]]``."""
    ends = np.concatenate([edges[:, 0], edges[:, 1]])
    others = np.concatenate([edges[:, 1], edges[:, 0]])
    indptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.bincount(ends, minlength=n), out=indptr[1:])
    return indptr, others[np.argsort(ends, kind="stable")]


def _hops(neighbours: tuple[np.ndarray, np.ndarray], start: int | np.ndarray) -> np.ndarray:
    """Number of links from ``start`` (a node, or the nearest of several) to every
    node (breadth first); -1 where unreachable."""
    indptr, indices = neighbours
    hops = np.full(len(indptr) - 1, -1, dtype=np.intp)
    hops[start] = 0
    frontier = np.atleast_1d(np.asarray(start, dtype=np.intp))
    step = 0
    while frontier.size:
        step += 1
        first = indptr[frontier]
        counts = indptr[frontier + 1] - first
        # Positions in ``indices`` of all neighbours of the frontier, in one array.
        at = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        reached = indices[at]
        frontier = np.unique(reached[hops[reached] < 0])
        hops[frontier] = step
    return hops


def _remove_overlaps(xy: np.ndarray, box: np.ndarray, is_fixed: np.ndarray) -> bool:
    """Push overlapping label boxes apart, along the axis where they overlap least.

    Returns whether no box that may move overlaps another any more. Only the rows
    of the boxes that may move are computed: kept boxes do not move, so a few new
    nodes among many kept ones cost a few rows of the n x n comparisons.
    """
    half = box / 2 + LABEL_MARGIN
    n = len(xy)
    rows = np.flatnonzero(~is_fixed)
    # Each of two movable boxes takes half of their overlap, and a pixel more, so
    # that a pair comes apart in one step; a box next to a kept one takes all of it.
    share = np.where(is_fixed, 1.0, 0.5)[None, :]
    block = max(1, REPULSION_BLOCK // max(n, 1))
    for _ in range(OVERLAP_ROUNDS if n > COMPACT_MAX_NODES else 4 * OVERLAP_ROUNDS):
        push = np.zeros((len(rows), 2))
        overlapping = False
        for start in range(0, len(rows), block):
            own = rows[start : start + block]
            dx = np.subtract.outer(xy[own, 0], xy[:, 0])
            dy = np.subtract.outer(xy[own, 1], xy[:, 1])
            ox = np.add.outer(half[own, 0], half[:, 0]) - np.abs(dx)
            oy = np.add.outer(half[own, 1], half[:, 1]) - np.abs(dy)
            overlap = (ox > 0) & (oy > 0)
            overlap[np.arange(len(own)), own] = False
            overlapping = overlapping or bool(overlap.any())
            along_x = overlap & (ox <= oy)
            along_y = overlap & (ox > oy)
            # Ties (same spot) are broken by index, so the result stays deterministic.
            tie = np.sign(np.subtract.outer(own, np.arange(n))).astype(float)
            sx = np.where(dx == 0, tie, np.sign(dx))
            sy = np.where(dy == 0, tie, np.sign(dy))
            push[start : start + len(own), 0] = (
                np.where(along_x, (ox + 1.0) * sx, 0.0) * share
            ).sum(axis=1)
            push[start : start + len(own), 1] = (
                np.where(along_y, (oy + 1.0) * sy, 0.0) * share
            ).sum(axis=1)
        if not overlapping:
            return True
        xy[rows] += push
    return False


def _to_free_places(xy: np.ndarray, box: np.ndarray, is_fixed: np.ndarray, spacing: float) -> None:
    """Move each node that is not kept and still overlaps another label to the nearest
    place where it overlaps none: on rings around where it is, a quarter of a link
    apart, the nearest ring first. Pushing boxes apart can fail between kept nodes,
    which do not move; this cannot, and it moves only the nodes that need it."""
    half = box / 2 + LABEL_MARGIN
    step = spacing / 4
    for i in map(int, np.flatnonzero(~is_fixed)):
        if _clear_of_others(xy[i : i + 1], i, xy, half)[0]:
            continue
        for ring in range(1, FREE_PLACE_RINGS + 1):
            angles = np.arange(8 * ring) * (2 * math.pi / (8 * ring))
            points = xy[i] + ring * step * np.column_stack([np.cos(angles), np.sin(angles)])
            found = np.flatnonzero(_clear_of_others(points, i, xy, half))
            if found.size:
                xy[i] = points[found[0]]
                break


def _clear_of_others(points: np.ndarray, i: int, xy: np.ndarray, half: np.ndarray) -> np.ndarray:
    """For each of ``points``: whether node ``i`` there would overlap no other node."""
    others = np.arange(len(xy)) != i
    ox = half[i, 0] + half[others, 0] - np.abs(points[:, :1] - xy[others, 0])
    oy = half[i, 1] + half[others, 1] - np.abs(points[:, 1:] - xy[others, 1])
    return ~((ox > 0) & (oy > 0)).any(axis=1)


# --------------------------------------------------------------------------- shelf


def _shelf(
    ids: list[str],
    box: np.ndarray,
    placed: Mapping[str, Position],
    all_boxes: np.ndarray,
    index: Mapping[str, int],
    spacing: float,
) -> dict[str, Position]:
    """Rows below, or columns beside, the laid-out part for the nodes without links,
    in the order given: whichever keeps the whole map closer to a 16:9 screen."""
    if not ids:
        return {}
    gap = spacing * 0.25
    if not placed:
        width = spacing * max(4.0, math.sqrt(len(ids)) * 2.2)
        return _rows(ids, box, -width / 2, 0.0, width, gap)
    pts = np.array(list(placed.values()))
    half = np.array([all_boxes[index[k]] for k in placed]) / 2
    left = float((pts[:, 0] - half[:, 0]).min())
    right = float((pts[:, 0] + half[:, 0]).max())
    top = float((pts[:, 1] - half[:, 1]).min())
    bottom = float((pts[:, 1] + half[:, 1]).max())
    width = max(right - left, spacing * 6)
    below = _rows(ids, box, (left + right) / 2 - width / 2, bottom + spacing * 0.6, width, gap)
    beside = _columns(ids, box, right + spacing * 0.6, top, max(bottom - top, spacing * 3), gap)

    def misfit(extra: dict[str, Position]) -> float:
        xs = [left, right] + [p[0] - box[i][0] / 2 for i, p in enumerate(extra.values())]
        xs += [p[0] + box[i][0] / 2 for i, p in enumerate(extra.values())]
        ys = [top, bottom] + [p[1] - box[i][1] / 2 for i, p in enumerate(extra.values())]
        ys += [p[1] + box[i][1] / 2 for i, p in enumerate(extra.values())]
        aspect = (max(xs) - min(xs)) / max(max(ys) - min(ys), 1.0)
        return abs(math.log(aspect / SCREEN_ASPECT))

    return below if misfit(below) <= misfit(beside) else beside


def _rows(
    ids: list[str], box: np.ndarray, left: float, top: float, width: float, gap: float
) -> dict[str, Position]:
    out: dict[str, Position] = {}
    x, y, row_height = left, top, 0.0
    for node_id, (w, h) in zip(ids, box, strict=True):
        if x > left and x + w > left + width:
            x, y, row_height = left, y + row_height + gap, 0.0
        out[node_id] = (round(float(x + w / 2), 2), round(float(y + h / 2), 2))
        x += w + gap
        row_height = max(row_height, h)
    return out


def _columns(
    ids: list[str], box: np.ndarray, left: float, top: float, height: float, gap: float
) -> dict[str, Position]:
    out: dict[str, Position] = {}
    x, y, column_width = left, top, 0.0
    for node_id, (w, h) in zip(ids, box, strict=True):
        if y > top and y + h > top + height:
            x, y, column_width = x + column_width + gap, top, 0.0
        out[node_id] = (round(float(x + w / 2), 2), round(float(y + h / 2), 2))
        y += h + gap
        column_width = max(column_width, w)
    return out


# --------------------------------------------------------------------------- causal layout


def trophic_levels(node_ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[str, float]:
    """The trophic level of each node on the directed links ``edges``.

    A node's level is about one more than the levels of what points at it and one
    less than those of what it points at; in a map without loops every chain reads
    from low to high (MacKay, Johnson and Sansom, "How directed is a directed
    network?", 2020; the levels PRSM draws by). Here a link between two parts of the
    map that no loop joins always climbs at least one level, so that in a map without
    loops every link goes up. The lowest level is 0. Nodes on no link are left out.

    >>> levels = trophic_levels(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("a", "c")])
    >>> {k: round(v, 2) for k, v in levels.items()}
    {'a': 0.0, 'b': 1.0, 'c': 2.0}
    """
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(dict.fromkeys(node_ids))
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in graph and b in graph)
    graph.remove_nodes_from([v for v in list(graph) if graph.degree(v) == 0])
    if not len(graph):
        return {}
    ids = list(graph)
    index = {v: i for i, v in enumerate(ids)}
    adjacency = np.zeros((len(ids), len(ids)))
    for a, b in graph.edges():
        adjacency[index[a], index[b]] += 1.0
    w_in, w_out = adjacency.sum(axis=0), adjacency.sum(axis=1)
    laplacian = np.diag(w_in + w_out) - adjacency - adjacency.T
    h = np.linalg.lstsq(laplacian, w_in - w_out, rcond=None)[0]
    level = {v: float(h[index[v]]) for v in ids}

    # Between the parts that loops hold together, every link climbs a level.
    condensed = nx.condensation(graph)
    members = condensed.graph["mapping"]
    for part in nx.topological_sort(condensed):
        inside = condensed.nodes[part]["members"]
        shift = max(
            (
                level[a] + 1.0 - level[b]
                for b in inside
                for a in graph.predecessors(b)
                if members[a] != part
            ),
            default=0.0,
        )
        if shift > 0:
            for v in inside:
                level[v] += shift
    low = min(level.values())
    return {v: round(level[v] - low, 6) for v in ids}


def causal_positions(
    node_ids: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    sizes: Mapping[str, tuple[float, float]] | None = None,
    spacing: float = DEFAULT_SPACING,
) -> dict[str, Position]:
    """Positions that put causes before effects: a column per trophic level (see
    :func:`trophic_levels`), from left to right, for the nodes on the directed links
    ``edges``. In a map without loops every link points to the right.

    Within a column nodes are ordered by the middle of their neighbours in the
    columns beside it, a few times over, so that fewer links cross. Nodes on no link
    are left out: give them a place with :func:`layout_positions`, the causal
    positions fixed.

    >>> pos = causal_positions(["a", "b", "c"], [("a", "b"), ("b", "c"), ("a", "c")])
    >>> pos["a"][0] < pos["b"][0] < pos["c"][0]
    True
    """
    edges = list(edges)
    levels = trophic_levels(node_ids, edges)
    if not levels:
        return {}
    edges = [(a, b) for a, b in edges if a in levels and b in levels and a != b]
    given_order = {v: i for i, v in enumerate(node_ids)}
    sizes = sizes or {}
    box = {v: sizes.get(v, (60.0, 60.0)) for v in levels}
    column_of = {v: int(round(h)) for v, h in levels.items()}
    columns: dict[int, list[str]] = {}
    for v in sorted(levels, key=lambda v: (levels[v], given_order[v])):
        columns.setdefault(column_of[v], []).append(v)
    neighbours: dict[str, list[str]] = {v: [] for v in levels}
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)

    def stack(order: list[str]) -> dict[str, float]:
        gap = spacing * 0.3
        heights = [box[v][1] for v in order]
        total = sum(heights) + gap * (len(order) - 1)
        y, out = -total / 2, {}
        for v, h in zip(order, heights, strict=True):
            out[v] = y + h / 2
            y += h + gap
        return out

    y: dict[str, float] = {}
    for order in columns.values():
        y.update(stack(order))
    keys = sorted(columns)
    for sweep in range(4):
        for c in keys if sweep % 2 == 0 else reversed(keys):
            order = columns[c]
            middle = {
                v: (float(np.mean([y[u] for u in neighbours[v]])) if neighbours[v] else y[v])
                for v in order
            }
            order.sort(key=lambda v: (middle[v], y[v]))
            y.update(stack(order))
    column_width = max(w for w, _ in box.values()) + spacing * 0.8
    return {v: (round(column_of[v] * column_width, 2), round(y[v], 2)) for v in levels}
