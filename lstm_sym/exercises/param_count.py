"""Parameter count: numbers and closed forms, from the cells' tensor shapes.

Every answer is :func:`lstm_sym.params.count_params` of a network spec; every
misconception is the count of a spec or cell with the misread part changed (no
biases, no recurrent matrices, one gate block fewer, PyTorch's two biases, each
layer reading x, one direction only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache

import sympy as sp

from lstm_sym.exercises.formatting import distinct_misconceptions
from lstm_sym.exercises.model import EXACT, Exercise, Misconception, Question, Step, T, Text
from lstm_sym.exercises.variant import Variant
from lstm_sym.model.cells import build_cell
from lstm_sym.model.notation import L, m, n
from lstm_sym.model.params import NetworkSpec, comparisons, count_params, ratio_of
from lstm_sym.model.printing import TexPrinter

FAMILY = "params"
# Marks: a count read off one formula is 1; a closed form, PyTorch's two biases or a
# stack take a derivation (2); a stacked bidirectional network has three parts (3).
POINTS = {"lecture_cell": 1, "ratio_ffn": 1, "lstm_formula": 2, "lstm_total": 1,
          "pytorch_total": 2, "stacked": 2, "bidirectional": 3, "peephole": 2}


@cache
def formula(spec: NetworkSpec) -> sp.Expr:
    """Closed form in n and m (the number of layers put in).

    >>> formula(NetworkSpec("lecture"))
    4*m*n + 4*m
    """
    return sp.expand(count_params(spec).formula.subs(L, spec.layers))


@cache
def without_one_gate(spec: NetworkSpec, gate: str = "o") -> sp.Expr:
    """The count with one gate's tensors left out (three blocks instead of four).

    >>> without_one_gate(NetworkSpec("lecture"))
    3*m*n + 3*m
    """
    cell = spec.cell()
    return sp.expand(sum((prm.count for prm in cell.params if prm.gate != gate), sp.Integer(0)))


@cache
def blocks(spec: NetworkSpec) -> tuple[tuple[str, ...], sp.Expr | None]:
    """The cell's weight blocks: the gate (or input) each belongs to, in the cell's order,
    and one block's count when all are equal (else None).

    >>> blocks(NetworkSpec("lecture"))
    (('z', 'i', 'f', 'o'), m*n + m)
    >>> blocks(NetworkSpec("gru", bias="single"))[0]
    ('r', 'u', 'n')
    """
    groups: dict[str | None, sp.Expr] = {}
    for prm in spec.cell().params:
        groups[prm.gate] = groups.get(prm.gate, sp.Integer(0)) + prm.count
    values = list(groups.values())
    same = all(v == values[0] for v in values)
    return tuple(str(g) for g in groups), (sp.expand(values[0]) if same else None)


@cache
def input_names(kind: str) -> tuple[str, ...]:
    """The cell's pre-activations as the sheet writes them (``$z_{i}$``), from its equations.

    >>> input_names("lecture")
    ('$z$', '$z_{i}$', '$z_{f}$', '$z_{o}$')
    """
    cell = build_cell(kind)
    printer = TexPrinter(cell.lecture)
    return tuple(f"${printer.doprint(eq.lhs)}$" for eq in cell.equations
                 if eq.kind == "preactivation")


def block_words(spec: NetworkSpec) -> dict[str, object]:
    """Message parameters that name the cell's blocks: how many, and whose."""
    names, _ = blocks(spec)
    return {"count": len(names), "inputs": input_names(spec.kind), "fewer": len(names) - 1}


def at(expr: sp.Expr, sizes: dict[str, int]) -> int:
    """An expression in n, m at the given sizes.

    >>> at(formula(NetworkSpec("lstm", convention="pytorch")), {"n": 3, "m": 2})  # 4·(6+4+2+2)
    56
    """
    terms = _terms(expr)
    if terms is None:
        return int(expr.subs({n: sizes["n"], m: sizes["m"]}))
    return sum(c * sizes["n"] ** i * sizes["m"] ** j for c, i, j in terms)


@cache
def _terms(expr: sp.Expr) -> tuple[tuple[int, int, int], ...] | None:
    """A count's terms (coefficient, power of n, power of m), so a count at new sizes is
    integer arithmetic instead of a SymPy substitution; None if it is not such a polynomial."""
    expr = sp.sympify(expr)
    if not expr.free_symbols <= {n, m}:
        return None
    poly = sp.Poly(expr, n, m)
    if not all(c.is_Integer for c in poly.coeffs()):
        return None
    return tuple((int(c), i, j) for (i, j), c in poly.terms())


@cache
def blocks_tex(spec: NetworkSpec) -> str:
    """The count as blocks per gate, e.g. ``4 \\left(m n + m\\right)`` (from the cell's tensors)."""
    names, block = blocks(spec)
    if block is not None:
        return rf"{len(names)} \left({sp.latex(block, order='lex')}\right)"
    groups: dict[str | None, sp.Expr] = {}
    for prm in spec.cell().params:
        groups[prm.gate] = groups.get(prm.gate, sp.Integer(0)) + prm.count
    return " + ".join(sp.latex(v, order="lex") for v in groups.values())


@cache
def _tex(expr: sp.Expr) -> str:
    return sp.latex(expr, order="lex")


def _mcs(kind: str, answer: str, candidates: list[tuple[str, str]],
         spec: NetworkSpec = NetworkSpec("lecture")) -> tuple[Misconception, ...]:
    words = block_words(spec)
    return distinct_misconceptions(kind, (answer,), EXACT,
                                   [Misconception(i, a, T(f"ex.mc.params.{i}", **words))
                                    for i, a in candidates])


def _sizes_text(sizes: dict[str, int]) -> str:
    return f"n = {sizes['n']},\\ m = {sizes['m']}"


def _lecture_cell(sizes: dict[str, int]) -> Question:
    """The lecture's cell at its own sizes (`sizes`: its input and hidden sizes)."""
    spec = NetworkSpec("lecture")
    total = at(formula(spec), sizes)
    alts = [("no_bias", at(formula(NetworkSpec("lecture", bias="none")), sizes)),
            ("three_gates", at(without_one_gate(spec), sizes)),
            ("one_neuron", at(formula(NetworkSpec("ffn")), sizes))]
    solution = (
        Step(T("ex.params.sol.lecture_blocks", **block_words(spec)),
             rf"{blocks_tex(spec)} = {_tex(formula(spec))}",
             f"${_tex(formula(spec))}$"),
        Step(T("ex.params.sol.at", sizes=_sizes_text(sizes)),
             rf"{_tex(formula(spec))} = {total}", f"${total}$"),
    )
    return Question(f"{FAMILY}.lecture_cell", FAMILY, "integer",
                    T("ex.params.q.lecture_cell", n=sizes["n"]), str(total), solution=solution,
                    points=POINTS["lecture_cell"],
                    misconceptions=_mcs("integer", str(total),
                                        [(i, str(a)) for i, a in alts]))


@cache
def _ratio_ffn() -> Question:
    ratio = comparisons(NetworkSpec("lecture"))[0].ratio
    lecture, ffn = formula(NetworkSpec("lecture")), formula(NetworkSpec("ffn"))
    three = ratio_of(without_one_gate(NetworkSpec("lecture")), ffn)
    solution = (Step(T("ex.params.sol.ratio_ffn", **block_words(NetworkSpec("lecture"))),
                     rf"\frac{{{_tex(lecture)}}}{{{_tex(ffn)}}} = {sp.latex(ratio)}",
                     f"${sp.latex(ratio)}$"),)
    return Question(f"{FAMILY}.ratio_ffn", FAMILY, "expression", T("ex.params.q.ratio_ffn"),
                    str(ratio), solution=solution, points=POINTS["ratio_ffn"],
                    misconceptions=_mcs("expression", str(ratio),
                                        [("ratio_inverted", str(1 / ratio)),
                                         ("three_gates", str(three))]))


@cache
def _lstm_alternatives(spec: NetworkSpec) -> tuple[tuple[str, sp.Expr], ...]:
    return (("no_bias", formula(NetworkSpec("lstm", bias="none"))),
            ("no_recurrent", formula(NetworkSpec("lecture", bias=spec.bias))),
            ("three_gates", without_one_gate(spec)),
            ("double_bias", formula(NetworkSpec("lstm", convention="pytorch"))))


@cache
def _lstm_formula() -> Question:
    spec = NetworkSpec("lstm", bias="single")
    expr = formula(spec)
    solution = (Step(T("ex.params.sol.lstm_blocks", **block_words(spec)),
                     rf"{blocks_tex(spec)} = {_tex(expr)}",
                     f"${_tex(expr)}$"),
                Step(T("ex.params.sol.factored"), rf"{_tex(expr)} = {sp.latex(sp.factor(expr))}",
                     f"${sp.latex(sp.factor(expr))}$"))
    return Question(f"{FAMILY}.lstm_formula", FAMILY, "expression",
                    T("ex.params.q.lstm_formula", **block_words(spec)),
                    str(expr), variables=("m", "n"), display=_tex(expr), solution=solution,
                    points=POINTS["lstm_formula"],
                    misconceptions=_mcs("expression", str(expr),
                                        [(i, str(e)) for i, e in _lstm_alternatives(spec)], spec))


def _lstm_total(sizes: dict[str, int]) -> Question:
    spec = NetworkSpec("lstm", bias="single")
    return _total_question(sizes, "lstm_total", spec, None, _lstm_alternatives(spec))


def _total_question(sizes: dict[str, int], name: str, spec: NetworkSpec, blocks_key: str | None,
                    alternatives: Sequence[tuple[str, sp.Expr]]) -> Question:
    """The count of one network at the variant's sizes: the blocks, the closed form, the number;
    each misconception is another network's closed form at the same sizes. Without
    `blocks_key` the closed form is the previous question's, put in rather than derived again."""
    total = at(formula(spec), sizes)
    derive = () if blocks_key is None else (
        Step(T(blocks_key, **block_words(spec)), rf"{blocks_tex(spec)} = {_tex(formula(spec))}",
             f"${_tex(formula(spec))}$"),)
    at_sizes = T("ex.params.sol.at_previous" if blocks_key is None else "ex.params.sol.at",
                 sizes=_sizes_text(sizes))
    solution = (*derive, Step(at_sizes, rf"{_tex(formula(spec))} = {total}", f"${total}$"))
    return Question(f"{FAMILY}.{name}", FAMILY, "integer",
                    T(f"ex.params.q.{name}", n=sizes["n"], m=sizes["m"],
                      **block_words(spec)), str(total),
                    solution=solution, points=POINTS[name],
                    misconceptions=_mcs("integer", str(total),
                                        [(i, str(at(e, sizes))) for i, e in alternatives], spec))


def _torch_question(sizes: dict[str, int], name: str, spec: NetworkSpec, prompt: Text,
                    candidates: Sequence[tuple[str, sp.Expr]]) -> Question:
    total = at(formula(spec), sizes)
    text = _sizes_text(sizes)
    last = (T("ex.params.sol.at", sizes=text) if spec.layers == 1 and not spec.bidirectional
            else T("ex.params.sol.torch_bidirectional" if spec.bidirectional
                   else "ex.params.sol.torch_stacked", layers=spec.layers, sizes=text))
    steps = (*_torch_derivation(spec),
             Step(last, rf"{_tex(formula(spec))} = {total}", f"${total}$"))
    return Question(f"{FAMILY}.{name}", FAMILY, "integer", prompt, str(total),
                    solution=steps, points=POINTS[name],
                    misconceptions=_mcs("integer", str(total),
                                        [(i, str(at(e, sizes))) for i, e in candidates], spec))


@cache
def _torch_derivation(spec: NetworkSpec) -> tuple[Step, ...]:
    """The steps to a PyTorch network's closed form (the same at every size)."""
    one_layer = formula(replace(spec, layers=1, bidirectional=False))
    # The first layer is derived once (the single-layer question); stacks refer to it.
    first = "ex.params.sol.torch_layer" if spec.layers == 1 else "ex.params.sol.torch_layer_again"
    steps = [Step(T(first), rf"{blocks_tex(spec)} = {_tex(one_layer)}" if spec.layers == 1
                  else _tex(one_layer), f"${_tex(one_layer)}$")]
    if spec.layers > 1:
        above = spec.layer_input(1)
        per_layer = one_layer.subs(n, above)
        steps.append(Step(T("ex.params.sol.torch_above", size=sp.latex(above)),
                          rf"\left({_tex(one_layer)}\right)\Big|_{{n = {sp.latex(above)}}} = "
                          rf"{_tex(sp.expand(per_layer))}", f"${_tex(sp.expand(per_layer))}$"))
    return tuple(steps)


def _pytorch_total(sizes: dict[str, int]) -> Question:
    spec = NetworkSpec("lstm", convention="pytorch")
    return _torch_question(sizes, "pytorch_total", spec,
                           T("ex.params.q.pytorch", n=sizes["n"], m=sizes["m"],
                             **block_words(spec)),
                           [("single_bias", formula(NetworkSpec("lstm", bias="single"))),
                            ("no_bias", formula(NetworkSpec("lstm", bias="none")))])


def _stacked(sizes: dict[str, int]) -> Question:
    spec = NetworkSpec("lstm", convention="pytorch", layers=2)
    return _torch_question(sizes, "stacked", spec,
                           T("ex.params.q.stacked", n=sizes["n"], m=sizes["m"],
                             **block_words(spec)),
                           _stacked_alternatives())


@cache
def _stacked_alternatives() -> tuple[tuple[str, sp.Expr], ...]:
    one = formula(NetworkSpec("lstm", convention="pytorch"))
    return (("layers_same_input", 2 * one),
            ("single_bias", formula(NetworkSpec("lstm", bias="single", layers=2))))


def _bidirectional(sizes: dict[str, int]) -> Question:
    spec = NetworkSpec("lstm", convention="pytorch", layers=2, bidirectional=True)
    return _torch_question(sizes, "bidirectional", spec,
                           T("ex.params.q.bidirectional", n=sizes["n"], m=sizes["m"],
                             **block_words(spec)),
                           _bidirectional_alternatives())


@cache
def _bidirectional_alternatives() -> tuple[tuple[str, sp.Expr], ...]:
    one = formula(NetworkSpec("lstm", convention="pytorch"))
    return (("second_layer_input", sp.expand(2 * (one + one.subs(n, m)))),
            ("one_direction", formula(NetworkSpec("lstm", convention="pytorch", layers=2))))


def _peephole(sizes: dict[str, int]) -> Question:
    candidates = [("no_peephole", formula(NetworkSpec("lstm", bias="single"))),
                  ("diagonal_peephole", formula(NetworkSpec("lstm", bias="single",
                                                            peephole="diagonal")))]
    return _total_question(sizes, "peephole", NetworkSpec("lstm", bias="single", peephole="lecture"),
                           "ex.params.sol.peephole", candidates)


# --- any other cell: count that cell ------------------------------------------------------

TORCH_MODULE = {"lstm": "nn.LSTM", "gru": "nn.GRU", "rnn": "nn.RNN"}  # PyTorch's class names


def sheet_spec(v: Variant) -> NetworkSpec:
    """The network of the sheet's own cell (its bias convention, peepholes, GRU form)."""
    options = dict(v.model.cell.options)
    return NetworkSpec(v.model.cell.kind, peephole=options.get("peephole", "none"),
                       bias=options.get("bias"), gru_form=options.get("gru_form", "after"))


def _without_recurrent(spec: NetworkSpec) -> sp.Expr:
    return sp.expand(sum((prm.count for prm in spec.cell().params
                          if prm.role != "recurrent weight"), sp.Integer(0)))


@cache
def _cell_alternatives(spec: NetworkSpec) -> tuple[tuple[str, sp.Expr], ...]:
    names, _ = blocks(spec)
    out = [("no_bias", formula(replace(spec, bias="none"))),
           ("no_recurrent", _without_recurrent(spec))]
    if len(names) > 1:
        out.append(("one_block_fewer", without_one_gate(spec, names[-1])))
    other = "double" if spec.cell().option("bias") == "single" else "single"
    out.append(("double_bias" if other == "double" else "single_bias",
                formula(replace(spec, bias=other))))
    return tuple(out)


@cache
def _cell_formula(spec: NetworkSpec, title: str) -> Question:
    expr = formula(spec)
    words = {**block_words(spec), "cell": title}
    solution = (Step(T("ex.params.sol.cell_blocks", **words),
                     rf"{blocks_tex(spec)} = {_tex(expr)}", f"${_tex(expr)}$"),)
    return Question(f"{FAMILY}.formula", FAMILY, "expression", T("ex.params.q.cell_formula", **words),
                    str(expr), variables=("m", "n"), display=_tex(expr), solution=solution,
                    points=2, misconceptions=_mcs("expression", str(expr),
                                                  [(i, str(e)) for i, e in
                                                   _cell_alternatives(spec)], spec))


def _cell_total(spec: NetworkSpec, title: str, sizes: dict[str, int]) -> Question:
    expr, total = formula(spec), at(formula(spec), sizes)
    solution = (Step(T("ex.params.sol.at", sizes=_sizes_text(sizes)),
                     rf"{_tex(expr)} = {total}", f"${total}$"),)
    return Question(f"{FAMILY}.total", FAMILY, "integer",
                    T("ex.params.q.cell_total", cell=title, n=sizes["n"],
                      m=sizes["m"]), str(total), solution=solution, points=1,
                    misconceptions=_mcs("integer", str(total),
                                        [(i, str(at(e, sizes)))
                                         for i, e in _cell_alternatives(spec)], spec))


def _cell_torch(spec: NetworkSpec, layers: int, sizes: dict[str, int]) -> Question:
    torch = replace(spec, convention="pytorch", bias=None, layers=layers)
    name = "pytorch_total" if layers == 1 else "stacked"
    candidates = [("single_bias", formula(replace(torch, convention="lecture", bias="single")))]
    if layers > 1:
        one = formula(replace(torch, layers=1))
        candidates.insert(0, ("layers_same_input", layers * one))
    words = {**block_words(torch), "module": TORCH_MODULE[spec.kind], "n": sizes["n"],
             "m": sizes["m"], "layers": layers}
    return _torch_question(sizes, name, torch, T(f"ex.params.q.cell_{name}", **words), candidates)


def _other_cell(spec: NetworkSpec, title: str, sizes: dict[str, int]) -> tuple[Question, ...]:
    questions = [_cell_formula(spec, title), _cell_total(spec, title, sizes)]
    if spec.kind in TORCH_MODULE and spec.peephole == "none":  # PyTorch has no peepholes
        questions += [_cell_torch(spec, 1, sizes), _cell_torch(spec, 2, sizes)]
    return tuple(questions)


def generate(v: Variant) -> Exercise:
    """The parameter-count exercise: the lecture's questions for the lecture's cell, and
    the sheet's own cell counted for any other.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions][:3]
    ['16', '4', '4*m**2 + 4*m*n + 4*m']
    """
    # Only the sizes (and for another cell, its spec and title) change between variants.
    sizes = (v.sizes["n"], v.sizes["m"])
    if not v.lecture:
        return _other_exercise(sheet_spec(v), v.model.cell.title, *sizes)
    return _lecture_exercise(v.model.sizes["input"], v.model.sizes["hidden"], *sizes)


@lru_cache(maxsize=256)
def _lecture_exercise(inputs: int, hidden: int, n: int, m: int) -> Exercise:
    cell_sizes, sizes = {"n": inputs, "m": hidden}, {"n": n, "m": m}
    questions = (_lecture_cell(cell_sizes), _ratio_ffn(), _lstm_formula(), _lstm_total(sizes),
                 _pytorch_total(sizes), _stacked(sizes), _bidirectional(sizes), _peephole(sizes))
    return Exercise(FAMILY, T("ex.params.title"), T("ex.params.intro"), questions)


@lru_cache(maxsize=256)
def _other_exercise(spec: NetworkSpec, title: str, n: int, m: int) -> Exercise:
    return Exercise(FAMILY, T("ex.params.title"), T("ex.params.intro"),
                    _other_cell(spec, title, {"n": n, "m": m}))
