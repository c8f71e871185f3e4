"""The LaTeX subset students may type, as a table the tokenizer consults.

Only commands listed here are understood; anything else (``\\input``,
``\\write18``, ``\\def`` ...) is reported as an unknown command. Nothing is
ever handed to a TeX engine: the commands are read as plain text.

>>> COMMANDS["cdot"], COMMANDS["frac"], COMMANDS["sigma"]
(('op', '*'), ('frac', None), ('func', 'sigma'))
>>> blank_matrix_markup(r"\\begin{bmatrix}1\\\\2\\end{bmatrix}")
'               1, 2             '
"""

from __future__ import annotations

import re

GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "varrho",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Phi",
    "Psi",
    "Omega",
]

# Unicode Greek letters read as the name of the letter, so σ means sigma.
GREEK_UNICODE: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "π": "pi", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta",
    "Λ": "Lambda", "Ξ": "Xi", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip

COMMANDS: dict[str, tuple[str, str | None]] = {
    **{name: ("frac", None) for name in ("frac", "dfrac", "tfrac")},
    **{name: ("op", "*") for name in ("cdot", "times", "ast")},
    "div": ("op", "/"),
    "sigma": ("func", "sigma"),
    "exp": ("func", "exp"),
    "tanh": ("func", "tanh"),
    "ln": ("func", "ln"),
    "log": ("func", "ln"),
    "sqrt": ("sqrt", None),
    "pi": ("const", "pi"),
    "prime": ("prime", None),
    # Sizing and spacing change nothing about the value.
    **{
        name: ("skip", None)
        for name in [
            "left",
            "right",
            "big",
            "Big",
            "bigg",
            "Bigg",
            "bigl",
            "bigr",
            "Bigl",
            "Bigr",
            "biggl",
            "biggr",
            "Biggl",
            "Biggr",
            "displaystyle",
            "textstyle",
            "quad",
            "qquad",
            "thinspace",
            "medspace",
            "thickspace",
            "negthinspace",
            "negmedspace",
            "negthickspace",
            "enspace",
            "space",
            "nobreakspace",
            "hfill",
        ]
    },
    # \mathrm{e}, \operatorname{sigmoid}: the braced word is read as a name.
    **{name: ("word", None) for name in ("mathrm", "operatorname", "text", "mathit", "rm")},
    **{name: ("greek", name) for name in GREEK},
}

# One-character commands: \, \; \: \! and "\ " are spaces; \{ \} are braces.
SYMBOL_COMMANDS: dict[str, tuple[str, str | None]] = {
    ",": ("skip", None), ";": ("skip", None), ":": ("skip", None), "!": ("skip", None),
    " ": ("skip", None), ">": ("skip", None), "{": ("open", "{"), "}": ("close", "}"),
}  # fmt: skip

_MATRIX_MARKUP = re.compile(
    r"\\(?:begin|end)\{[pbvBV]?matrix\}|\\\\|&|\^\s*(?:\{\s*(?:T|\\top)\s*\}|T|\\top)\s*$"
)


def blank_matrix_markup(text: str) -> str:
    """Turn matrix markup into separators, keeping every character's position.

    Row and column breaks (``\\\\``, ``&``) become commas, environment names and a
    trailing transpose become spaces, so error positions still point into what
    the student typed.
    """

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "\\\\":
            return ", "
        if token == "&":
            return ","
        return " " * len(token)

    return _MATRIX_MARKUP.sub(blank, text)
