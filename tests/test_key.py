"""key.json: schema lstm_sym.key/1 as docs/contracts.md defines it, atomic deterministic
writing, and one-line errors naming the file and field."""

from __future__ import annotations

import copy
import json

import pytest

from lstm_sym.errors import UserError
from lstm_sym.exercises import Student, build_set
from lstm_sym.key import SCHEMA, key_bytes, read_key, validate_key, write_key

CONTRACT_FIELDS = {"id", "family", "kind", "prompt", "answer", "exact", "accept", "variables",
                   "tolerance", "choices", "worked", "reveal", "misconceptions"}


@pytest.fixture(scope="module")
def key():
    return build_set(seed=12, student=Student("s007", "王芳")).key("zh")


def test_key_follows_the_contract(key):
    assert key["schema"] == SCHEMA == "lstm_sym.key/1"
    ex = key["exercise"]
    assert {"title", "example", "seed", "cell", "weights", "inputs", "worked"} <= set(ex)
    assert ex["seed"] == 12 and ex["worked"] == [1, 4] and ex["cell"]["cell"] == "lecture"
    assert key["student"] == {"id": "s007", "name": "王芳"}
    for q in key["questions"]:
        assert CONTRACT_FIELDS <= set(q), q["id"]
        assert q["kind"] in ("number", "integer", "expression", "vector", "choice")
        assert isinstance(q["answer"], str) and q["answer"]
        assert set(q["tolerance"]) == {"abs", "rel", "sigfigs"}
        assert (q["choices"] is not None) == (q["kind"] == "choice")
        assert q["reveal"] == q["worked"]
        for mc in q["misconceptions"]:
            assert set(mc) == {"id", "answer", "feedback", "feedback_tex"}
            assert mc["answer"] != q["answer"] and "$" not in mc["feedback"]
        if q["kind"] == "vector":
            assert q["answer"].startswith("[") and q["answer"].endswith("]")


def test_lecture_key_has_no_student_and_null_seed():
    key = build_set().key()
    assert key["exercise"]["seed"] is None and "student" not in key
    assert key["exercise"]["inputs"] == [[3, 1, 0], [4, 1, 0], [2, 0, 0], [1, 0, 1], [3, -1, 0]]


def test_write_read_round_trip(tmp_path, key):
    path = write_key(tmp_path / "sub" / "key.json", key)
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and "王芳".encode() in raw  # ensure_ascii=False
    assert read_key(path) == json.loads(raw)
    assert json.loads(raw) == json.loads(json.dumps(key))
    assert [p.name for p in path.parent.iterdir()] == ["key.json"]  # no temporary file left
    write_key(path, key)
    assert path.read_bytes() == raw  # same key, same bytes


def test_bytes_do_not_depend_on_dict_order(key):
    shuffled = dict(reversed(list(key.items())))
    shuffled["questions"] = [dict(reversed(list(q.items()))) for q in key["questions"]]
    assert key_bytes(shuffled) == key_bytes(key)
    assert key_bytes(key).decode().startswith('{\n  "schema": "lstm_sym.key/1",')


def test_failed_write_keeps_the_old_file(tmp_path, key):
    path = write_key(tmp_path / "key.json", key)
    before = path.read_bytes()
    broken = copy.deepcopy(key)
    broken["questions"][0]["kind"] = "essay"
    with pytest.raises(UserError):
        write_key(path, broken)
    assert path.read_bytes() == before


def _broken(key, edit):
    out = copy.deepcopy(key)
    edit(out)
    return out


@pytest.mark.parametrize("edit, field", [
    (lambda k: k.update(schema="lstm_sym.key/2"), "schema"),
    (lambda k: k["questions"][3].update(kind="essay"), "questions[3].kind"),
    (lambda k: k["questions"][0].pop("answer"), "questions[0].answer"),
    (lambda k: k["questions"][1].update(id=k["questions"][0]["id"]), "questions[1].id"),
    (lambda k: k["questions"][2]["tolerance"].update(abs=-1), "questions[2].tolerance.abs"),
    (lambda k: k["questions"][4].update(worked="yes"), "questions[4].worked"),
    (lambda k: k["exercise"].update(inputs=[[1, "a", 0]]), "exercise.inputs"),
    (lambda k: k["exercise"].update(seed=1.5), "exercise.seed"),
    (lambda k: k.update(student={"id": "s1"}), "student.name"),
    (lambda k: k.update(questions=[]), "questions"),
])
def test_bad_fields_are_named(tmp_path, key, edit, field):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(_broken(key, edit), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError) as info:
        read_key(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and f"{field}:" in message


def test_choice_answer_must_be_a_choice(key):
    qi = next(i for i, q in enumerate(key["questions"]) if q["kind"] == "choice")
    broken = _broken(key, lambda k: k["questions"][qi].update(answer="zz"))
    with pytest.raises(UserError, match=rf"questions\[{qi}\]\.answer"):
        validate_key(broken, "k.json")
    mc = _broken(key, lambda k: k["questions"][qi]["misconceptions"].append({"id": "x"}))
    with pytest.raises(UserError, match="misconceptions"):
        validate_key(mc, "k.json")


def test_unreadable_files(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_key(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="not valid JSON"):
        read_key(bad)
    arr = tmp_path / "list.json"
    arr.write_text("[]", encoding="utf-8")
    with pytest.raises(UserError, match="expected a JSON object"):
        read_key(arr)


def test_unknown_extra_fields_are_kept(tmp_path, key):
    extended = _broken(key, lambda k: k["questions"][0].update(hint="think of σ"))
    path = write_key(tmp_path / "key.json", extended)
    assert read_key(path)["questions"][0]["hint"] == "think of σ"


def test_key_bytes_equal_the_standard_encoder_question_by_question_or_not():
    # key_bytes writes a class's questions from a cache of their texts; the standard
    # encoder (json.dumps with indent, then number lists on one line) is the reference.
    from lstm_sym.key import _canonical, json_text

    keys = [build_set(seed=seed, student=Student(f"k{seed}", "K")).key(lang)
            for seed, lang in ((1, "en"), (1, "en"), (2, "zh"))]
    keys.append(build_set(seed=3, cell_options={"cell": "gru"}, hidden=2).key("en"))
    keys.append({"schema": SCHEMA, "questions": [], "extra": {"a": [1, 2]}})
    for key in keys:
        assert key_bytes(key) == (json_text(_canonical(key)) + "\n").encode("utf-8")
