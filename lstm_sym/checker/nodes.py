"""The parsed form of an answer: small immutable tuples, cheap to hash and pickle.

The parser builds these instead of SymPy objects so that reading an answer
never runs SymPy's automatic evaluation (which can hang on `9^9^9^9`); the
numeric evaluator and, in the sandbox, the SymPy converter walk them.

Node shapes::

    ("num", Fraction, text)          a literal as written
    ("var", name)                    a declared variable (canonical name)
    ("const", "e" | "pi")
    ("neg", a)
    ("sum", (("+" | "-", a), ...))   n-ary, so long sums do not nest deeply
    ("prod", (("*" | "/", a), ...))  the first operator is always "*"
    ("pow", base, exponent)
    ("call", name, (arg,))           name in BUILTINS
    ("ufunc", name, (arg, ...))      an unspecified function such as g(z)

>>> to_text(("prod", (("*", num(4)), ("*", ("var", "m")))))
'4*m'
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

Node = tuple

BUILTINS = ("sigma", "exp", "tanh", "ln", "sqrt", "abs")

_PREC = {"sum": 1, "prod": 2, "neg": 3, "pow": 4}


def num(value: int | Fraction, text: str | None = None) -> Node:
    """A number node; `text` is how it prints (defaults to the value)."""
    value = Fraction(value)
    return ("num", value, text if text is not None else str(value))


def _prec(node: Node) -> int:
    return _PREC.get(node[0], 5)


def _wrap(node: Node, parens: bool) -> str:
    text = to_text(node)
    return f"({text})" if parens else text


def to_text(node: Node) -> str:
    """Print a node the way we read it: explicit `*`, `^` for powers.

    >>> to_text(("neg", ("pow", ("var", "x"), num(2))))
    '-x^2'
    """
    kind = node[0]
    if kind == "num":
        return node[2]
    if kind == "var":
        return node[1]
    if kind == "const":
        return node[1]
    if kind == "neg":
        return "-" + _wrap(node[1], _prec(node[1]) <= 3)
    if kind == "sum":
        out = []
        for i, (sign, term) in enumerate(node[1]):
            parens = _prec(term) <= 1 or (i > 0 and term[0] == "neg")
            text = _wrap(term, parens)
            out.append(text if i == 0 and sign == "+" else f"{sign} {text}" if i else f"-{text}")
        return " ".join(out)
    if kind == "prod":
        out = []
        for i, (op, factor) in enumerate(node[1]):
            parens = _prec(factor) <= 2 or (i > 0 and factor[0] == "neg")
            text = _wrap(factor, parens)
            out.append(text if i == 0 else f"{op}{text}")
        return "".join(out)
    if kind == "pow":
        base, exponent = node[1], node[2]
        return f"{_wrap(base, _prec(base) <= 4)}^{_wrap(exponent, _prec(exponent) <= 4)}"
    if kind in ("call", "ufunc"):
        return f"{node[1]}({', '.join(to_text(a) for a in node[2])})"
    raise ValueError(f"not a node: {node!r}")


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-nodes of `node`."""
    kind = node[0]
    if kind == "neg":
        return (node[1],)
    if kind in ("sum", "prod"):
        return tuple(child for _, child in node[1])
    if kind == "pow":
        return (node[1], node[2])
    if kind in ("call", "ufunc"):
        return node[2]
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node in the tree, without recursion (trees can be long)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def variables_of(node: Node) -> frozenset[str]:
    """Names of the variables that occur in `node`."""
    return frozenset(n[1] for n in walk(node) if n[0] == "var")


def functions_of(node: Node) -> dict[str, int]:
    """Unspecified functions in `node` with their number of arguments."""
    return {n[1]: len(n[2]) for n in walk(node) if n[0] == "ufunc"}


def is_constant(node: Node) -> bool:
    """True when `node` has no variables and no unspecified functions."""
    return all(n[0] not in ("var", "ufunc") for n in walk(node))
