"""Error carried forward: a later trace or memory answer that follows correctly from the
student's own wrong earlier answer gets full credit, marked carried. Values are checked
against hand-written recurrences evaluated with mpmath (not the product's own code)."""

from __future__ import annotations

import csv
import io

import mpmath
import pytest

from lstm_sym.checker import check_question
from lstm_sym.checker.carry import carry_targets, given_text
from lstm_sym.classroom.csvio import AnswerRow, AnswerSheet
from lstm_sym.classroom.grading import KeySet, grade_sheet, graded_csv
from lstm_sym.classroom.report import format_report
from lstm_sym.cli.app import main
from lstm_sym.exercises import build_set
from lstm_sym.key import write_key

KEY = build_set().key("en")
QUESTIONS = {q["id"]: q for q in KEY["questions"]}


def sigma(t):
    return 1 / (1 + mpmath.exp(-t))


def lecture_step(x, c_prev):
    """The lecture's cell by hand: weights of the lecture notes (W_z = [1,0,0] …)."""
    z, z_i, z_f, z_o = x[0], 100 * x[1] - 10, 100 * x[1] + 10, 100 * x[2] - 10
    c = z * sigma(z_i) + c_prev * sigma(z_f)
    return c, c * sigma(z_o)


def grade(answers: dict[str, str], carry: bool = True, key: dict = KEY):
    rows = [AnswerRow(i + 2, "s1", qid, text) for i, (qid, text) in enumerate(answers.items())]
    sheet = AnswerSheet("long", rows, questions=list(answers))
    result = grade_sheet(sheet, KeySet("key.json", shared=key), carry=carry)
    return result, {a.question: a.verdict for a in result.graded}


def test_later_steps_that_follow_from_a_wrong_c2_are_right_and_carried():
    answers = {"trace.t2.c": "8", "trace.t3.c": "8", "trace.t4.c": "8", "trace.t4.y": "8",
               "trace.t5.c": "0"}
    result, verdicts = grade(answers)
    assert not verdicts["trace.t2.c"].correct  # the slip itself stays wrong
    for qid in ("trace.t3.c", "trace.t4.c", "trace.t4.y"):
        assert verdicts[qid].correct and verdicts[qid].carried, qid
        assert verdicts[qid].score == 1.0
    assert "c₂ = 8" in verdicts["trace.t3.c"].feedback
    assert "c₃ = 8" in verdicts["trace.t4.c"].feedback
    assert verdicts["trace.t5.c"].correct and not verdicts["trace.t5.c"].carried  # key's value
    rows = list(csv.DictReader(io.StringIO(graded_csv(result)[1:])))
    assert {r["question"]: r["carried"] for r in rows} == {
        "trace.t2.c": "", "trace.t3.c": "yes", "trace.t4.c": "yes", "trace.t4.y": "yes",
        "trace.t5.c": ""}
    report = format_report(result, "answers.csv")
    assert "| Carried |" in report and "| `trace.t3.c` | 1 | 1 | 1 |" in report


def test_no_carry_judges_against_the_key_alone():
    _, verdicts = grade({"trace.t2.c": "8", "trace.t3.c": "8"}, carry=False)
    assert not verdicts["trace.t3.c"].correct and not verdicts["trace.t3.c"].carried


def test_a_value_that_does_not_follow_is_still_wrong():
    _, verdicts = grade({"trace.t2.c": "8", "trace.t3.c": "9"})
    assert not verdicts["trace.t3.c"].correct and not verdicts["trace.t3.c"].carried


def test_carried_values_match_a_hand_recurrence_in_both_modes():
    with mpmath.workdps(50):
        c3, _ = lecture_step(KEY["exercise"]["inputs"][2], mpmath.mpf(8))
        _, y4 = lecture_step(KEY["exercise"]["inputs"][3], mpmath.mpf(5))
    carried = carry_targets(KEY, "trace.t3.c", {"trace.t2.c": "8"})
    ideal, exact = carried.targets
    assert ideal == 8 and abs(exact - c3) < mpmath.mpf(10) ** -40
    # y₄ from the student's own c₄ (within the step), the key's o₄.
    carried = carry_targets(KEY, "trace.t4.y", {"trace.t4.c": "5"})
    assert carried.targets[0] == 5 and abs(carried.targets[1] - y4) < 1e-3  # o₄ ≈ 1
    assert carried.given == (("c", 4, "5"),)


def test_within_a_step_the_students_own_gate_is_used():
    # The student says the input gate of step 2 is closed (it is open): c₂ = c₁ follows.
    carried = carry_targets(KEY, "trace.t2.c", {"trace.t2.i": "0", "trace.t1.c": "3"})
    assert [float(v) for v in carried.targets] == pytest.approx([3, 3], abs=1e-3)
    assert given_text(carried.given) == "c₁ = 3 and i₂ = 0"
    verdict = check_question(QUESTIONS["trace.t2.c"], "3", carried=carried)
    assert verdict.correct and verdict.carried


def test_carried_forward_wins_over_a_misconception_with_the_same_value():
    # c₂ = 0 (wrong), then c₃ = 0 follows (keep), and 0 is also "forget_ignored" at step 3.
    misconceptions = {m["id"]: m["answer"] for m in QUESTIONS["trace.t3.c"]["misconceptions"]}
    assert misconceptions.get("forget_ignored") == "0"
    _, verdicts = grade({"trace.t2.c": "0", "trace.t3.c": "0"})
    assert verdicts["trace.t3.c"].carried and verdicts["trace.t3.c"].misconception is None
    _, verdicts = grade({"trace.t3.c": "0"})
    assert verdicts["trace.t3.c"].misconception == "forget_ignored"


def test_memory_puzzle_entries_follow_from_the_students_own_entries():
    # The lecture's puzzle with a slip at step 4 (8 instead of 7), carried on to steps 5, 6.
    answers = {"memory.c": "[0, 3, 3, 8, 8, 8, 0, 6, 6]", "memory.y": "[0, 0, 0, 0, 0, 8, 0, 0, 6]"}
    _, verdicts = grade(answers)
    c, y = verdicts["memory.c"], verdicts["memory.y"]
    assert c.carried and not c.correct and c.score == pytest.approx(8 / 9, abs=1e-6)
    assert "entries 4" in c.feedback and "c₄ = 8" in c.feedback
    assert y.correct and y.carried and "c₆ = 8" in y.feedback


def _gru_key() -> dict:
    """A small GRU key built by hand from the numeric layer (not the exercise generator)."""
    from lstm_sym.exercises.variant import make_model
    from lstm_sym.numeric.run import run

    cell = {"cell": "gru", "bias": "single"}
    weights = {"W_r": [[1, -1]], "U_r": [[2]], "b_r": [0], "W_u": [[-1, 1]], "U_u": [[1]],
               "b_u": [1], "W_n": [[1, 2]], "U_n": [[-1]], "b_n": [0]}
    inputs = [[1, 0], [0, 1], [1, 1]]
    model = make_model(cell, weights)
    steps = run(model, inputs, mode="exact").layers[0].steps
    questions = []
    for t, env in enumerate(steps, 1):
        for name in ("z_u", "u", "n", "h"):
            value = mpmath.nstr(env[name][0, 0], 15)
            questions.append({"id": f"trace.t{t}.{name}", "family": "trace", "kind": "number",
                              "prompt": f"{name} at step {t}?", "answer": value,
                              "tolerance": {"abs": 0.0, "rel": 1e-3, "sigfigs": None},
                              "misconceptions": []})
    return {"schema": "lstm_sym.key/1",
            "exercise": {"title": "GRU", "lang": "en", "example": "gru-by-hand", "seed": None,
                         "attempt": 0, "cell": cell, "weights": weights, "inputs": inputs,
                         "worked": []},
            "questions": questions}


def gru_step(x, h):
    """The GRU (reset after U_n, one bias per gate) by hand."""
    r = sigma(x[0] - x[1] + 2 * h)
    u = sigma(-x[0] + x[1] + h + 1)
    n = mpmath.tanh(x[0] + 2 * x[1] + r * (-h))
    return (1 - u) * n + u * h


def test_a_gru_trace_carries_the_students_own_h(tmp_path):
    key = _gru_key()
    write_key(tmp_path / "key.json", key)  # a valid key.json
    with mpmath.workdps(50):
        h2 = gru_step(key["exercise"]["inputs"][1], mpmath.mpf("0.5"))
        h3 = gru_step(key["exercise"]["inputs"][2], h2)
    answers = {"trace.t1.h": "0.5", "trace.t2.h": mpmath.nstr(h2, 12),
               "trace.t3.h": mpmath.nstr(h3, 12)}
    _, verdicts = grade(answers, key=key)
    assert not verdicts["trace.t1.h"].correct
    assert verdicts["trace.t2.h"].carried and verdicts["trace.t2.h"].correct
    assert "h₁ = 0.5" in verdicts["trace.t2.h"].feedback
    assert verdicts["trace.t3.h"].carried and "h₂ = " in verdicts["trace.t3.h"].feedback
    # Within the step: their own u and n give h.
    with mpmath.workdps(50):
        h_from_own = (1 - mpmath.mpf("0.25")) * mpmath.mpf("0.5")
    carried = carry_targets(key, "trace.t1.h", {"trace.t1.u": "0.25", "trace.t1.n": "0.5"})
    assert abs(carried.targets[1] - h_from_own) < 1e-40


def test_check_accepts_earlier_answers_with_given(tmp_path, capsys):
    path = write_key(tmp_path / "key.json", KEY)
    assert main(["check", "--key", str(path), "--question", "trace.t3.c", "--answer", "8",
                 "--given", "trace.t2.c=8"]) == 0
    out = capsys.readouterr().out
    assert "✓ correct" in out and "follows from your c₂ = 8" in out and "carried: yes" in out
    assert main(["check", "--key", str(path), "--question", "trace.t3.c", "--answer", "8"]) == 0
    assert "✗ wrong" in capsys.readouterr().out
    assert main(["check", "--key", str(path), "--question", "trace.t3.c", "--answer", "8",
                 "--given", "nope.q=1"]) == 2


def test_grade_command_no_carry(tmp_path):
    path = write_key(tmp_path / "key.json", KEY)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,question,answer\ns1,trace.t2.c,8\ns1,trace.t3.c,8\n")
    for flags, expected in (([], "yes"), (["--no-carry"], "")):
        out = tmp_path / "graded.csv"
        assert main(["grade", "--key", str(path), "--answers", str(answers), "--out", str(out),
                     *flags]) == 0
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert {r["question"]: r["carried"] for r in rows}["trace.t3.c"] == expected


def test_a_two_unit_gru_worksheet_carries_vector_states():
    """The exercise generator's GRU sheet with two units: h₂ from the student's own h₁,
    checked against the GRU written out by hand with mpmath matrices."""
    key = build_set(seed=1, cell_options={"cell": "gru"}, hidden=2).key("en")
    questions = {q["id"]: q for q in key["questions"]}
    w = {k: mpmath.matrix(v if isinstance(v[0], list) else [[e] for e in v])
         for k, v in key["exercise"]["weights"].items()}
    assert set(w) == {"W_r", "U_r", "b_r", "W_u", "U_u", "b_u", "W_n", "U_n", "b_n"}
    x = mpmath.matrix([[e] for e in key["exercise"]["inputs"][1]])
    h1 = mpmath.matrix([[mpmath.mpf("0.5")], [mpmath.mpf("-0.5")]])
    with mpmath.workdps(50):
        def act(f, v):
            return mpmath.matrix([[f(e)] for e in v])
        r = act(sigma, w["W_r"] * x + w["U_r"] * h1 + w["b_r"])
        u = act(sigma, w["W_u"] * x + w["U_u"] * h1 + w["b_u"])
        inner = w["U_n"] * h1
        n = act(mpmath.tanh, w["W_n"] * x + w["b_n"] + mpmath.matrix([[r[k] * inner[k]]
                                                                        for k in range(2)]))
        h2 = [(1 - u[k]) * n[k] + u[k] * h1[k] for k in range(2)]
    answers = {"trace.t1.h": "[0.5, -0.5]",
               "trace.t2.h": "[" + ", ".join(mpmath.nstr(v, 12) for v in h2) + "]"}
    _, verdicts = grade(answers, key=key)
    assert questions["trace.t2.h"]["kind"] == "vector"
    assert verdicts["trace.t2.h"].correct and verdicts["trace.t2.h"].carried
    assert "h₁ = [0.5, -0.5]" in verdicts["trace.t2.h"].feedback
    carried = carry_targets(key, "trace.t2.h", answers)
    assert all(abs(exact - want) < 1e-40 for (_, exact), want in zip(carried.targets, h2))


def test_an_lstm_sheet_carries_h_into_the_next_pre_activations():
    """The generator's LSTM sheet: z_i at step 2 reads h₁, so a wrong h₁ carries into it
    (hand formula: z_i = W_i x + U_i h + b_i), while z_f, which does not read h here, is
    judged against the key."""
    key = build_set(seed=3, cell_options={"cell": "lstm"}).key("en")
    w = key["exercise"]["weights"]
    x = key["exercise"]["inputs"][1]
    h1 = 1
    z_i = sum(a * b for a, b in zip(w["W_i"][0], x)) + w["U_i"][0][0] * h1 + w["b_i"][0]
    assert w["U_i"][0][0] != 0 and w["U_f"][0][0] == 0
    answers = {"trace.t1.h": str(h1), "trace.t2.z_i": str(z_i)}
    _, verdicts = grade(answers, key=key)
    assert verdicts["trace.t2.z_i"].correct and verdicts["trace.t2.z_i"].carried
    assert "h₁ = 1" in verdicts["trace.t2.z_i"].feedback
    # z_f reads h₁ too, through a zero weight: the carried value is the key's own.
    z_f = carry_targets(key, "trace.t2.z_f", answers).targets
    assert [float(v) for v in z_f] == [float(questions_of(key)["trace.t2.z_f"]["answer"])] * 2


def questions_of(key: dict) -> dict:
    return {q["id"]: q for q in key["questions"]}
