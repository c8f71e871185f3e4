"""Pictures on a handout: the cell diagram's labels and the trace plot.

The diagram itself is a template (TikZ in ``latex/diagram.tex.j2``, Mermaid in
``markdown/diagram.md.j2``) so a teacher can restyle it; this module supplies
what templates cannot do well: plain-text labels for Mermaid (which shows no
LaTeX on GitHub), pgfplots coordinates, and the SVG plot beside a Markdown file.
The SVG is deterministic: fixed hash salt, no date, no random ids.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from lstm_sym.handouts.content import TracePlot

# Series drawn in each panel of the trace plot, in legend order.
MEMORY_SERIES = ("c", "y")
GATE_SERIES = ("i", "f", "o")
SERIES_STYLE = {  # colour-blind-safe (Okabe–Ito) and distinct in grey print by marker
    "c": ("#0072B2", "o", "-"),
    "y": ("#D55E00", "s", "--"),
    "i": ("#009E73", "^", "-"),
    "f": ("#CC79A7", "v", "--"),
    "o": ("#E69F00", "D", ":"),
}

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "phi": "φ", "psi": "ψ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ",
}
_SYMBOLS = {
    "cdot": "·", "times": "×", "odot": "⊙", "circ": "∘", "to": "→", "rightarrow": "→",
    "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "pm": "±",
    "infty": "∞", "prime": "′", "ldots": "…", "dots": "…", "partial": "∂", "top": "ᵀ",
}
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", "quad": " ", "qquad": " ", " ": " "}
_SUB_DIGITS = str.maketrans("0123456789+-()=", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎₌")
_SUP_DIGITS = str.maketrans("0123456789+-()=", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾⁼")
_DROP = ("left", "right", "big", "Big", "bigl", "bigr", "displaystyle", "mathrm", "mathbf",
         "mathit", "operatorname", "text", "boldsymbol", "mathsf")


def _group(tex: str, start: int) -> tuple[str, int]:
    """The argument at `start` (a braced group or one character) and the index after it."""
    if start < len(tex) and tex[start] == "{":
        depth = 0
        for j in range(start, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[start + 1 : j], j + 1
        return tex[start + 1 :], len(tex)
    if start < len(tex) and tex[start] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", tex[start:])
        assert m is not None
        return m.group(0), start + len(m.group(0))
    return tex[start : start + 1], start + 1


def _script(body: str, table: dict, mark: str) -> str:
    text = latex_to_text(body)
    if text and all(ch in "0123456789+-()=" for ch in text.replace("−", "-")):
        return text.replace("−", "-").translate(table)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _operand(text: str) -> str:
    """A fraction's part, in parentheses unless it is one symbol or number."""
    return text if len(text) == 1 or text.isalnum() else f"({text})"


def latex_to_text(tex: str) -> str:
    """Readable plain text for a small LaTeX formula, for labels that cannot show math.

    Digit subscripts become Unicode (x₁); letter subscripts stay as ``_i`` because
    Unicode has no subscript f.

    >>> latex_to_text(r"z_f = 100x_2 + 10")
    'z_f = 100x₂ + 10'
    >>> latex_to_text(r"\\sigma(z_o) \\cdot h(c')")
    "σ(z_o) · h(c')"
    >>> latex_to_text(r"\\frac{1}{1+e^{-z}}")
    '1/(1+e^(−z))'
    """
    out: list[str] = []
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            assert m is not None
            name, i = m.group(1), i + len(m.group(0))
            if name == "frac":
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                out.append(f"{_operand(latex_to_text(num))}/{_operand(latex_to_text(den))}")
            elif name in _GREEK:
                out.append(_GREEK[name])
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            elif name in _SPACES:
                out.append(_SPACES[name])
            elif name in _DROP:
                continue
            else:
                out.append(name)  # \tanh → tanh, \{ → {
        elif ch in "_^":
            body, i = _group(tex, i + 1)
            out.append(_script(body, _SUB_DIGITS if ch == "_" else _SUP_DIGITS, ch))
        elif ch in "{}":
            i += 1
        elif ch == "-":
            out.append("−")
            i += 1
        elif ch == "~":
            out.append(" ")
            i += 1
        else:
            out.append(ch)
            i += 1
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def plain_label(text: str) -> str:
    """A label with ``$…$`` math as plain text, for matplotlib: mathtext would set the
    prose around the math in a font without CJK glyphs.

    >>> plain_label("时间步 $t$"), plain_label("memory $c_1$")
    ('时间步 t', 'memory c₁')
    """
    return re.sub(r"\$([^$]*)\$", lambda m: latex_to_text(m.group(1)), text)


def number(value: float) -> str:
    """A plot coordinate: short, exact for the lecture's integers, never ``-0``.

    >>> number(7.0), number(0.9999546), number(-0.0)
    ('7', '0.999955', '0')
    """
    text = f"{float(value):.6g}"
    return "0" if text in ("-0", "0") else text


def coordinates(t: Sequence[int], values: Sequence[float]) -> str:
    """pgfplots ``coordinates {…}`` body for one series.

    >>> coordinates([1, 2], [3.0, 0.5])
    '(1,3) (2,0.5)'
    """
    return " ".join(f"({x},{number(v)})" for x, v in zip(t, values))


def trace_svg(plot: TracePlot, titles: tuple[str, str], xlabel: str, ylabels: tuple[str, str],
              ) -> bytes:
    """The trace as an SVG: memory and output on the left, the three gates on the right.

    `titles`, `xlabel`, `ylabels` and the series labels are prose with ``$…$`` math,
    shown as plain text. Same input, same bytes.

    >>> svg = trace_svg(TracePlot((1, 2), {"c": (3.0, 7.0), "i": (1.0, 0.0)},
    ...                 {"c": "memory c", "i": "input gate"}), ("A", "B"), "t", ("v", "g"))
    >>> svg.startswith(b"<?xml") and svg == trace_svg(TracePlot((1, 2), {"c": (3.0, 7.0),
    ...     "i": (1.0, 0.0)}, {"c": "memory c", "i": "input gate"}), ("A", "B"), "t", ("v", "g"))
    True
    """
    # A bare Figure draws without pyplot or a GUI backend (no global state touched).
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    titles = tuple(plain_label(t) for t in titles)
    ylabels = tuple(plain_label(t) for t in ylabels)
    xlabel = plain_label(xlabel)
    labels = {name: plain_label(text) for name, text in plot.labels.items()}
    cjk = any(ord(ch) > 0x2E80 for text in (*labels.values(), *titles, xlabel, *ylabels)
              for ch in text)
    rc = {"svg.hashsalt": "lstm_sym", "svg.fonttype": "path", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
    if cjk:  # DejaVu has no CJK; fall back through Noto CJK when it is installed
        rc["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Serif CJK SC",
                             "Droid Sans Fallback"]
    with rc_context(rc):
        fig = Figure(figsize=(7.2, 3.1))
        axes = fig.subplots(1, 2)
        panels = ((MEMORY_SERIES, None), (GATE_SERIES, (-0.05, 1.05)))
        for ax, title, ylabel, (names, ylim) in zip(axes, titles, ylabels, panels):
            for name in names:
                if name not in plot.series:
                    continue
                colour, marker, line = SERIES_STYLE[name]
                ax.plot(plot.t, plot.series[name], color=colour, marker=marker, linestyle=line,
                        linewidth=1.6, markersize=5, label=labels.get(name, name))
            ax.set_title(title, fontsize=10)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            ax.set_xticks(list(plot.t))
            ax.grid(True, color="#dddddd", linewidth=0.6)
            if ylim:
                ax.set_ylim(*ylim)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(frameon=False, fontsize=8, loc="upper center",  # below: no overlap
                          bbox_to_anchor=(0.5, -0.2), ncol=3, handlelength=2.2)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
