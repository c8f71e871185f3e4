"""Parameter counts against PyTorch's own (committed fixtures) and documented conventions."""

import pytest
import sympy as sp
from conftest import load_reference

from lstm_sym.errors import UserError
from lstm_sym.model.notation import m, n
from lstm_sym.model.params import NetworkSpec, comparisons, count_params

TORCH = load_reference("torch_params.json")


def _spec(entry):
    kind = entry["module"].replace("Cell", "").lower()
    return NetworkSpec(kind, bias="double" if entry["bias"] else "none",
                       layers=entry["num_layers"], bidirectional=entry["bidirectional"],
                       proj=entry["proj_size"] > 0)


def test_fixture_has_enough_configurations():
    assert len(TORCH) >= 30


@pytest.mark.parametrize("entry", TORCH, ids=[e["name"] for e in TORCH])
def test_total_matches_pytorch(entry):
    report = count_params(_spec(entry), input_size=entry["input_size"],
                          hidden=entry["hidden_size"], proj_size=entry["proj_size"] or None)
    assert report.total == entry["total"]
    # The closed form evaluated at the same sizes gives the same number.
    values = {s: {"n": entry["input_size"], "m": entry["hidden_size"], "p": entry["proj_size"],
                  "L": entry["num_layers"]}[s.name] for s in report.formula.free_symbols}
    assert report.formula.subs(values) == entry["total"]
    # And so do PyTorch's own tensor shapes, tensor by tensor in total.
    assert sum(t["count"] for t in report.tensors) == sum(
        int(sp.prod(t["shape"])) for t in entry["tensors"])


def test_lecture_cell_is_four_plain_layers():
    lecture = count_params(NetworkSpec("lecture")).formula
    plain = count_params(NetworkSpec("ffn")).formula
    assert sp.simplify(lecture / plain) == 4
    assert lecture == 4 * m * n + 4 * m  # hand count: four (n weights + 1 bias) per cell


def test_gru_is_three_quarters_of_an_lstm_not_two_thirds():
    for convention in ("lecture", "pytorch"):
        gru = count_params(NetworkSpec("gru", convention=convention)).formula
        lstm = count_params(NetworkSpec("lstm", convention=convention)).formula
        assert sp.simplify(gru / lstm) == sp.Rational(3, 4)
    notes = " ".join(c.sentence for c in comparisons(NetworkSpec("gru")))
    assert "1/4 fewer" in notes and "1/3 more" in notes and "1/3 fewer" in notes


def test_keras_convention():
    # Keras documents one bias vector per layer: LSTM(units=m) on n inputs has
    # 4*(n*m + m*m + m) weights; GRU with reset_after=True (the default) keeps separate
    # input and recurrent biases: 3*(n*m + m*m + 2*m). E.g. LSTM(128) on 64 inputs: 98816.
    lstm = count_params(NetworkSpec("lstm", convention="keras"), input_size=64, hidden=128)
    assert lstm.total == 4 * (64 * 128 + 128 * 128 + 128) == 98816
    gru = count_params(NetworkSpec("gru", convention="keras"), input_size=64, hidden=128)
    assert gru.total == 3 * (64 * 128 + 128 * 128 + 2 * 128)


def test_json_formula_is_parsable_and_symbols_are_roles():
    data = count_params(NetworkSpec("lstm", layers=3, bidirectional=True), input_size=5,
                        hidden=7).as_dict()
    formula = sp.sympify(data["formula"])
    assert formula.subs({sp.Symbol(k): {"input": 5, "hidden": 7, "layers": 3}[v]
                         for k, v in data["symbols"].items()}) == data["total"]


@pytest.mark.parametrize("spec, kwargs, option", [
    (NetworkSpec("gru", proj=True), {}, "--proj"),
    (NetworkSpec("lstm", proj=True), {"input_size": 3, "hidden": 2, "proj_size": 4}, "--proj"),
    (NetworkSpec("lecture", bidirectional=True), {}, "--bidirectional"),
    (NetworkSpec("lstm", layers=0), {}, "--layers"),
])
def test_contradictions_are_user_errors(spec, kwargs, option):
    with pytest.raises(UserError, match=option):
        count_params(spec, **kwargs)


def test_comparisons_are_fresh_lists_over_a_shared_cache():
    first = comparisons(NetworkSpec("gru"))
    first.clear()  # a caller's list is its own: the cached comparisons are untouched
    assert [str(c.ratio) for c in comparisons(NetworkSpec("gru"))] == ["3", "3/4"]



@pytest.mark.parametrize("entry", [e for e in TORCH if not e["proj_size"]],
                         ids=lambda e: e["name"])
def test_exercise_counts_at_sizes_match_pytorch(entry):
    # The exercises evaluate a closed form at a sheet's sizes with integer arithmetic
    # (param_count.at); PyTorch's own count and SymPy's substitution are the references.
    from lstm_sym.exercises.param_count import at, formula

    expr = formula(_spec(entry))
    sizes = {"n": entry["input_size"], "m": entry["hidden_size"]}
    assert at(expr, sizes) == entry["total"]
    assert at(expr, {"n": 7, "m": 3}) == int(expr.subs({n: 7, m: 3}))
