"""Where everything of the trace plot goes, computed once for both pictures of it.

The SVG beside the Markdown (``pictures.trace_svg``) and the TikZ of the LaTeX sheet
(``latex/plot.tex.j2``) draw the same :class:`TraceGeometry`: panel boxes, ticks, the
step line and every marker, in centimetres with y upwards (TikZ's convention; the SVG
flips y). Neither picture computes a position itself, so they cannot disagree.

One small panel per series, in the plot's order (the cell's states, output and gates,
as the exercises list them), at most PANELS_PER_ROW a row: series never hide each
other, whatever the cell. Each value is a marker on a step: the state holds between
time steps, nothing is interpolated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lstm_sym.handouts.content import TracePlot

# Colour-blind-safe (Okabe–Ito) colours, and a marker shape each (matplotlib's names).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "v", "D", "P", "X")
MARKER_NAMES = {"o": "circle", "s": "square", "^": "up", "v": "down", "D": "diamond", "P": "plus",
                "X": "cross"}  # ids in the SVG, names in TikZ
PANELS_PER_ROW = 5

# Sizes in cm: the picture spans a sheet's text width (A4, 2 cm margins).
WIDTH = 16.6
BOX_HEIGHT = 2.2          # a panel's plotting area
LEFT = 0.75               # room for the y tick labels, left of each box
RIGHT = 0.4               # gap after each box
TITLE_BAND = 0.6          # above each box
TICK_BAND = 0.5           # below each box: x tick labels
XLABEL_BAND = 0.45        # below the last row's tick labels
TICK = 0.08               # tick mark length, outwards
MARK = 0.085              # a marker's radius (half a square's side…)
TITLE_PT, TICK_PT = 9, 8  # font sizes in points
PT = 2.54 / 72.27         # one TeX point in cm
GRID, AXIS = "#DDDDDD", "#444444"
GRID_WIDTH, AXIS_WIDTH, LINE_WIDTH = 0.02, 0.025, 0.045  # line widths in cm
LINE_STRENGTH = 0.55      # the step line: the series' colour this much over white


def panel_range(values: Sequence[float]) -> tuple[float, float]:
    """The y range of one series' panel: 0 to 1 for a gate-like series (all values in
    [0, 1]), else the values' range with a margin (and 0 in it).

    >>> panel_range([1.0, 0.0, 1.0]), panel_range([3.0, 7.0, 7.0])
    ((-0.1, 1.1), (-0.7, 7.7))
    """
    low, high = min(min(values), 0.0), max(values)
    if low >= 0 and high <= 1:
        return (-0.1, 1.1)
    pad = 0.1 * (high - low or 1)
    return (round(low - pad, 6), round(high + pad, 6))


def series_style(k: int) -> tuple[str, str]:
    """Colour and marker of the k-th series.

    >>> series_style(0), series_style(7)
    (('#0072B2', 'o'), ('#0072B2', 'o'))
    """
    return PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]


def number(value: float) -> str:
    """A tick label or coordinate: short, exact for the lecture's integers, never ``-0``.

    >>> number(7.0), number(0.9999546), number(-0.0), number(0.1 + 0.2)
    ('7', '0.999955', '0', '0.3')
    """
    text = f"{float(value):.6g}"
    return "0" if text in ("-0", "0") else text


def nice_ticks(low: float, high: float, most: int = 4) -> tuple[float, ...]:
    """Round values inside [low, high], 1, 2, 2.5 or 5 times a power of ten apart, the
    closest spacing that gives at most `most` of them.

    >>> nice_ticks(-0.1, 1.1), nice_ticks(-0.7, 7.7), nice_ticks(-1.2, 1.2)
    ((0.0, 0.5, 1.0), (0.0, 2.0, 4.0, 6.0), (-1.0, 0.0, 1.0))
    """
    span = high - low
    if not span > 0:
        return (round(low, 6),)
    exponent = math.floor(math.log10(span / most))
    for power in (exponent, exponent + 1, exponent + 2):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10.0 ** power
            first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
            if last - first + 1 <= most:
                return tuple(round(k * step, 12) + 0.0 for k in range(first, last + 1))
    return (round(low, 6), round(high, 6))


def _polygon(*corners: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    return tuple((round(x * MARK, 4), round(y * MARK, 4)) for x, y in corners)


def _turned(corners: Sequence[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    a = math.radians(degrees)
    return [(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)) for x, y in corners]


_PLUS = [(0.35, 1.1), (0.35, 0.35), (1.1, 0.35), (1.1, -0.35), (0.35, -0.35), (0.35, -1.1),
         (-0.35, -1.1), (-0.35, -0.35), (-1.1, -0.35), (-1.1, 0.35), (-0.35, 0.35), (-0.35, 1.1)]
# Each marker's outline around its centre, in cm, y up; a circle has none (a radius).
OUTLINES: dict[str, tuple[tuple[float, float], ...]] = {
    "o": (),
    "s": _polygon((0.85, 0.85), (0.85, -0.85), (-0.85, -0.85), (-0.85, 0.85)),
    "^": _polygon(*_turned([(0, 1.25)], 0), *_turned([(0, 1.25)], 120), *_turned([(0, 1.25)], 240)),
    "v": _polygon(*_turned([(0, -1.25)], 0), *_turned([(0, -1.25)], 120), *_turned([(0, -1.25)], 240)),
    "D": _polygon((0, 1.2), (0.85, 0), (0, -1.2), (-0.85, 0)),
    "P": _polygon(*_PLUS),
    "X": _polygon(*_turned(_PLUS, 45)),
}


def faded(rgb: str, strength: float = LINE_STRENGTH) -> str:
    """``#rrggbb`` laid over white at `strength` (opaque: the same in SVG and PDF).

    >>> faded("#0072B2"), faded("#000000", 0.5)
    ('#73B1D5', '#808080')
    """
    mixed = (round(int(rgb[k:k + 2], 16) * strength + 255 * (1 - strength)) for k in (1, 3, 5))
    return "#" + "".join(f"{c:02X}" for c in mixed)


@dataclass(frozen=True)
class Tick:
    """A tick at `at` (cm along its axis), its label's baseline anchor `label_at`."""

    at: float
    text: str
    label_at: tuple[float, float]


@dataclass(frozen=True)
class Panel:
    """One series' panel. `box` is (left, bottom, width, height) in cm; `markers` the
    centres of the values' markers in time order; `steps` the step line's corners."""

    name: str
    index: int
    colour: str
    line_colour: str
    marker: str
    y_range: tuple[float, float]
    box: tuple[float, float, float, float]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    markers: tuple[tuple[float, float], ...]
    steps: tuple[tuple[float, float], ...]
    title_at: tuple[float, float]        # baseline centre of the series' label
    xlabel_at: tuple[float, float] | None  # baseline centre of the time axis' label (last row)

    @property
    def outline(self) -> tuple[tuple[float, float], ...]:
        """The marker's outline around its centre (empty for a circle: see MARK)."""
        return OUTLINES[self.marker]

    @property
    def marker_id(self) -> str:
        return MARKER_NAMES[self.marker]


@dataclass(frozen=True)
class TraceGeometry:
    """The whole picture: `width` × `height` cm, origin bottom left, y up."""

    width: float
    height: float
    columns: int
    rows: int
    panels: tuple[Panel, ...]
    mark_radius: float = MARK
    title_pt: int = TITLE_PT
    tick_pt: int = TICK_PT
    grid_colour: str = GRID
    axis_colour: str = AXIS
    grid_width: float = GRID_WIDTH
    axis_width: float = AXIS_WIDTH
    line_width: float = LINE_WIDTH
    tick_length: float = TICK

    @property
    def title_size(self) -> float:
        """The titles' font size in cm (the SVG's unit)."""
        return self.title_pt * PT

    @property
    def tick_size(self) -> float:
        return self.tick_pt * PT


def cm_text(value: float) -> str:
    """A coordinate in cm as both pictures print it: at most 4 decimals, never ``-0``.

    >>> cm_text(1.5), cm_text(-0.00001), cm_text(2.0)
    ('1.5', '0', '2')
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cm(value: float) -> float:
    """Coordinates to 1/1000 mm: the same short numbers in both pictures."""
    return round(value, 4) + 0.0


@lru_cache(maxsize=256)
def _layout(t: tuple[int, ...], series: tuple[tuple[str, tuple[float, ...]], ...]) -> TraceGeometry:
    count = len(series)
    columns = min(PANELS_PER_ROW, max(1, count))
    rows = -(-count // columns) if count else 1
    row_height = TITLE_BAND + BOX_HEIGHT + TICK_BAND
    height = rows * row_height + XLABEL_BAND
    cell = WIDTH / columns
    box_width = cell - LEFT - RIGHT
    t_low, t_high = (min(t), max(t)) if t else (0, 1)
    x_low, x_high = t_low - 0.5, t_high + 0.5
    tick_size, title_size = TICK_PT * PT, TITLE_PT * PT
    panels = []
    for k, (name, values) in enumerate(series):
        column, row = k % columns, k // columns
        left = column * cell + LEFT
        bottom = height - row * row_height - TITLE_BAND - BOX_HEIGHT

        def x_of(time: float, left: float = left) -> float:
            return _cm(left + (time - x_low) / (x_high - x_low) * box_width)

        low, high = panel_range(values) if values else (-0.1, 1.1)

        def y_of(value: float, bottom: float = bottom, low: float = low, high: float = high) -> float:
            return _cm(bottom + (min(max(value, low), high) - low) / (high - low) * BOX_HEIGHT)

        label_drop = TICK + 0.1 + tick_size * 0.72  # baseline below the box: tick, gap, cap height
        x_ticks = tuple(Tick(x_of(s), str(s), (x_of(s), _cm(bottom - label_drop))) for s in t)
        y_ticks = tuple(Tick(y_of(v), number(v), (_cm(left - TICK - 0.07), _cm(y_of(v) - 0.35 * tick_size)))
                        for v in nice_ticks(low, high))
        markers = tuple((x_of(s), y_of(v)) for s, v in zip(t, values))
        steps: list[tuple[float, float]] = []
        for j, (x, y) in enumerate(markers):
            steps.append((x if j == 0 else steps[-1][0], y))
            mid = _cm((x + markers[j + 1][0]) / 2) if j + 1 < len(markers) else x
            steps.append((mid, y))
        colour, marker = series_style(k)
        last_row = row == rows - 1 or k + columns >= count
        panels.append(Panel(
            name, k, colour, faded(colour), marker, (low, high),
            (_cm(left), _cm(bottom), _cm(box_width), BOX_HEIGHT), x_ticks, y_ticks, markers,
            tuple(steps), (_cm(left + box_width / 2), _cm(bottom + BOX_HEIGHT + 0.22)),
            (_cm(left + box_width / 2), _cm(bottom - label_drop - 0.15 - title_size)) if last_row else None))
    return TraceGeometry(_cm(WIDTH), _cm(height), columns, rows, tuple(panels))


def trace_geometry(plot: TracePlot) -> TraceGeometry:
    """The plot's geometry (cached by its numbers: a class repeats few shapes of plot).

    >>> g = trace_geometry(TracePlot((1, 2), {"s": (3.0, 7.0), "g": (1.0, 0.0)}))
    >>> [p.name for p in g.panels], g.panels[1].y_range, [k.text for k in g.panels[0].y_ticks]
    (['s', 'g'], (-0.1, 1.1), ['0', '2', '4', '6'])
    >>> len(g.panels[0].markers), g.panels[0].steps[1][0] == g.panels[0].steps[2][0]
    (2, True)
    """
    return _layout(tuple(plot.t), tuple((name, tuple(map(float, values)))
                                        for name, values in plot.series.items()))
