"""Answer keys as a Moodle question bank (Moodle XML).

How each question of a key becomes a Moodle question:

* number, integer (and a formula that is a plain integer): **numerical**, the key's
  tolerance as Moodle's absolute tolerance (relative and significant-figure tolerances
  are converted around the answer); further accepted values are full-credit answers,
  and each known misconception is a 0 % answer whose feedback names the mistake.
* choice: **multichoice** (one answer), misconception feedback on the wrong choices.
* expression: **shortanswer** with the key's form and its accepted spellings (see
  :mod:`lstm_sym.export.spellings`: Moodle compares text, not mathematics).
* vector, and questions whose ids share a step prefix (``trace.t2.z``, ``trace.t2.c``,
  …): one **cloze** question (``{1:NUMERICAL:=7:0.01}`` per blank, one point per blank).

Worked questions (already solved on the student's sheet) are left out unless asked
for. Prompts and worked solutions are recomputed from the key's exercise data when
possible, so the question text and the general feedback show math as ``\\( … \\)`` for
Moodle's MathJax filter; otherwise the key's plain-text prompt is used.

One key gives one category per worksheet. A folder of per-student keys gives a
question bank: a category per question slot holding every student's variant (students
whose variants are the same question share it), so a quiz "random question from this
category" gives each student one variant.

>>> from lstm_sym.exercises import build_set
>>> items = moodle_items([build_set().key()])
>>> [type(i).__name__ for i in items[:2]], items[1].qtype, items[1].name
(['Category', 'Question'], 'cloze', 'trace.t2')
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from lstm_sym.export.moodle_xml import Answer, Category, Question, quiz_xml
from lstm_sym.export.spellings import (
    formula_spellings,
    is_constant,
    moodle_number,
    shortanswer_pattern,
    split_vector,
    tolerance_for,
    within,
)
from lstm_sym.i18n import msg

Key = Mapping[str, Any]
ROOT = "$course$/lstm_sym"
MAX_NAME = 255  # Moodle's question name column
PARALLEL_FROM = 20  # keys; below this, starting worker processes costs more than it saves


# --- text ------------------------------------------------------------------------------------


def prose_html(text: str) -> str:
    """Prose with ``$…$`` math as HTML for Moodle's MathJax filter; all text escaped.

    >>> prose_html("Is $x_2 < 0$ & why?")
    '<p>Is \\\\(x_2 &lt; 0\\\\) &amp; why?</p>'
    """
    parts = text.split("$")
    if len(parts) % 2 == 0:  # an unpaired $: not math
        parts = [text]
    body = "".join(f"\\({html.escape(p, quote=False)}\\)" if k % 2 else
                   html.escape(p, quote=False) for k, p in enumerate(parts))
    return f"<p>{body}</p>"


def plain_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def math_html(tex: str) -> str:
    return f"<p>\\({html.escape(tex, quote=False)}\\)</p>"


@dataclass(frozen=True)
class RichQuestion:
    """What the exercise model knows beyond the key: LaTeX prompt, worked steps, display."""

    prompt: str
    steps: tuple[tuple[str, str | None], ...]
    display: str | None


def rich_questions(key: Key) -> dict[str, RichQuestion]:
    """Prompts and solutions recomputed from the key's exercise data, if they reproduce
    the key's answers exactly; otherwise {} (the key's plain prompts are used)."""
    from lstm_sym.errors import UserError
    from lstm_sym.exercises import from_key
    from lstm_sym.exercises.formatting import plain

    lang = key.get("exercise", {}).get("lang", "en")
    try:
        exset = from_key(dict(key))
        prompts = {q.id: q.prompt.render(lang) for q in exset.questions}
    except (UserError, KeyError, TypeError, ValueError, ArithmeticError):
        return {}
    rebuilt = {q.id: q for q in exset.questions}
    if any(q["id"] not in rebuilt or rebuilt[q["id"]].answer != q["answer"]
           or plain(prompts[q["id"]]) != q["prompt"] for q in key["questions"]):
        return {}  # an edited key: its own text is the truth
    return {qid: RichQuestion(prompts[qid],
                              tuple((s.text.render(lang), s.math) for s in q.solution),
                              q.display)
            for qid, q in rebuilt.items()}


def _prompt(q: Key, rich: Mapping[str, RichQuestion]) -> str:
    return prose_html(rich[q["id"]].prompt) if q["id"] in rich else plain_html(q["prompt"])


def _solution(questions: Sequence[Key], rich: Mapping[str, RichQuestion], lang: str) -> str:
    out = [f"<p><strong>{html.escape(msg(lang, 'grading.moodle.solution'))}</strong></p>"]
    for q in questions:
        r = rich.get(q["id"])
        if len(questions) > 1:
            out.append(_prompt(q, rich).replace("<p>", "<p><em>", 1).replace("</p>", "</em></p>"))
        for text, tex in (r.steps if r else ()):
            out.append(prose_html(text))
            if tex:
                out.append(math_html(tex))
        display = r.display if r and r.display else \
            q["answer"] if q["kind"] in ("number", "integer") else None
        answer = (f"\\({html.escape(display, quote=False)}\\)" if display
                  else html.escape(q["answer"], quote=False))
        line = html.escape(msg(lang, "grading.moodle.answer", answer="\x00"), quote=False)
        out.append(f"<p>{line.replace(chr(0), answer)}</p>")
    return "\n".join(out)


# --- answers ---------------------------------------------------------------------------------


def _numeric_answers(q: Key) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]] | None:
    """Right values with tolerances, and misconceptions (value, tolerance, feedback) that
    Moodle can tell apart from them; None if the answer is not a plain number."""
    value = moodle_number(q["answer"])
    if value is None:
        return None
    tol = q.get("tolerance")
    right = [(value, tolerance_for(value, tol))]
    for extra in (q.get("exact"), *q.get("accept", [])):
        number = moodle_number(extra) if extra else None
        if number is not None and not any(within(number, v, t) for v, t in right):
            right.append((number, tolerance_for(number, tol)))
    wrong = []
    for mc in q.get("misconceptions", []):
        number = moodle_number(mc["answer"])
        if number is None or any(within(number, v, t) for v, t in right) or \
                any(within(number, v, "0") for v, _, _ in wrong):
            continue
        wrong.append((number, tolerance_for(number, tol), mc["feedback"]))
    return right, wrong


def _numerical(q: Key, name: str, text: str, feedback: str) -> Question | None:
    found = _numeric_answers(q)
    if found is None:
        return None
    right, wrong = found
    answers = [Answer(v, 100, tolerance=t) for v, t in right]
    answers += [Answer(v, 0, plain_html(fb), t) for v, t, fb in wrong]
    return Question("numerical", name, text, feedback, tuple(answers))


def _shortanswer(q: Key, name: str, text: str, feedback: str, lang: str) -> Question:
    spellings = formula_spellings(q["answer"], q.get("variables", []), q.get("accept", []))
    answers = [Answer(shortanswer_pattern(s), 100) for s in spellings]
    for mc in q.get("misconceptions", []):
        first = formula_spellings(mc["answer"], q.get("variables", []))[:4]
        answers += [Answer(shortanswer_pattern(s), 0, plain_html(mc["feedback"]))
                    for s in first if s not in spellings]
    hint = plain_html(msg(lang, "grading.moodle.expression_hint", example="2*a^2 + a*b"))
    return Question("shortanswer", name, text + "\n" + hint, feedback, tuple(answers))


def _multichoice(q: Key, name: str, text: str, feedback: str) -> Question:
    mistakes = {mc["answer"]: mc["feedback"] for mc in q.get("misconceptions", [])}
    answers = tuple(Answer(html.escape(c, quote=False), 100 if c == q["answer"] else 0,
                           plain_html(mistakes[c]) if c in mistakes else "")
                    for c in q["choices"])
    return Question("multichoice", name, text, feedback, answers)


# --- cloze -----------------------------------------------------------------------------------


def cloze_escape(text: str) -> str:
    """Text inside a cloze blank: HTML-escaped, and Moodle's ``} # ~`` escaped.

    >>> cloze_escape("a}b#c~d<e")
    'a\\\\}b\\\\#c\\\\~d&lt;e'
    """
    text = html.escape(" ".join(text.split()), quote=False)
    for ch in "}#~":
        text = text.replace(ch, "\\" + ch)
    return text


def _blank_numerical(right: list[tuple[str, str]], wrong: list[tuple[str, str, str]]) -> str:
    alts = [f"={v}:{t}" for v, t in right]
    alts += [f"%0%{v}:{t}#{cloze_escape(fb)}" for v, t, fb in wrong]
    return "{1:NUMERICAL:" + "~".join(alts) + "}"


def _blank_shortanswer(answer: str, variables: Sequence[str],
                       mistakes: Sequence[tuple[str, str]] = ()) -> str:
    spellings = formula_spellings(answer, variables)
    alts = [f"={cloze_escape(shortanswer_pattern(s))}" for s in spellings]
    alts += [f"%0%{cloze_escape(shortanswer_pattern(a))}#{cloze_escape(fb)}"
             for a, fb in mistakes if a not in spellings]
    return "{1:SHORTANSWER:" + "~".join(alts) + "}"


def _blank_choice(q: Key) -> str:
    mistakes = {mc["answer"]: mc["feedback"] for mc in q.get("misconceptions", [])}
    alts = [("=" if c == q["answer"] else "") + cloze_escape(c)
            + (f"#{cloze_escape(mistakes[c])}" if c in mistakes else "") for c in q["choices"]]
    return "{1:MULTICHOICE:" + "~".join(alts) + "}"


def _blank_scalar(q: Key) -> str:
    found = _numeric_answers(q)
    if found is not None:
        return _blank_numerical(*found)
    mistakes = [(mc["answer"], mc["feedback"]) for mc in q.get("misconceptions", [])]
    return _blank_shortanswer(q["answer"], q.get("variables", []), mistakes)


def _blank_vector(q: Key) -> str:
    """One blank per entry; a misconception's feedback goes on the entries it gets wrong."""
    entries = split_vector(q["answer"])
    mistakes = [(split_vector(mc["answer"]), mc["feedback"])
                for mc in q.get("misconceptions", [])]
    blanks = []
    for i, entry in enumerate(entries):
        wrong_here = [(m[i], fb) for m, fb in mistakes if len(m) == len(entries)]
        part = {"id": q["id"], "answer": entry, "tolerance": q.get("tolerance"),
                "variables": q.get("variables", []),
                "misconceptions": [{"answer": a, "feedback": fb} for a, fb in wrong_here]}
        blanks.append(_blank_scalar(part))
    return "[ " + ", ".join(blanks) + " ]"


def _blank(q: Key) -> str:
    if q["kind"] == "vector":
        return _blank_vector(q)
    if q["kind"] == "choice":
        return _blank_choice(q)
    return _blank_scalar(q)


# Moodle reads "{1:NUMERICAL:…}" in a cloze text as a blank and "{#1}" as a blank's place;
# in prose such a brace is written as an entity (MathJax and browsers still see "{").
_CLOZE_SYNTAX = re.compile(r"\{(?=\d*:|#\d+\})")


def _cloze(questions: Sequence[Key], name: str, rich: Mapping[str, RichQuestion],
           feedback: str) -> Question:
    paragraphs = []
    for q in questions:
        prompt = _CLOZE_SYNTAX.sub("&#123;", _prompt(q, rich))
        paragraphs.append(prompt[:-len("</p>")] + " " + _blank(q) + "</p>")
    return Question("cloze", name, "\n".join(paragraphs), feedback)


# --- slots and categories ---------------------------------------------------------------------


def slot_of(qid: str) -> str:
    """Questions of one step share a slot (and become one cloze question).

    >>> slot_of("trace.t2.c"), slot_of("params.lstm_total")
    ('trace.t2', 'params.lstm_total')
    """
    parts = qid.split(".")
    return ".".join(parts[:-1]) if len(parts) >= 3 else qid


def slots(key: Key, worked: bool = False) -> dict[str, list[Key]]:
    """The key's questions grouped into slots, in key order."""
    out: dict[str, list[Key]] = {}
    for q in key["questions"]:
        if q.get("worked") and not worked:
            continue
        out.setdefault(slot_of(q["id"]), []).append(q)
    return out


def slot_question(questions: Sequence[Key], name: str, rich: Mapping[str, RichQuestion],
                  lang: str) -> Question:
    """One Moodle question for a slot (see the module docstring for the rules)."""
    feedback = _solution(questions, rich, lang)
    if len(questions) > 1:
        return _cloze(questions, name, rich, feedback)
    q = questions[0]
    text = _prompt(q, rich)
    kind = q["kind"]
    if kind == "choice":
        return _multichoice(q, name, text, feedback)
    if kind in ("number", "integer") or (
            kind == "expression" and is_constant(q["answer"], q.get("variables", []))):
        numerical = _numerical(q, name, text, feedback)
        if numerical is not None:
            return numerical
    if kind == "vector":
        return _cloze(questions, name, rich, feedback)
    return _shortanswer(q, name, text, feedback, lang)


def category_name(name: str) -> str:
    """A category name inside a Moodle path: a literal '/' is written '//'.

    >>> category_name("In/out (seed 3)")
    'In//out (seed 3)'
    """
    return " ".join(name.split()).replace("/", "//")


def worksheet_category(key: Key, per_student: bool) -> str:
    exercise = key.get("exercise", {})
    seed = exercise.get("seed")
    which = "lecture" if seed is None else f"seed {seed}"
    if per_student:
        which = f"class, {which}"
    title = exercise.get("title") or "lstm_sym"
    return f"{ROOT}/{category_name(f'{title} ({which})')}"


def _name(*parts: str) -> str:
    return " — ".join(" ".join(p.split()) for p in parts if p)[:MAX_NAME]


def _texts_of_all(keys: Sequence[Key], rich: Callable[[Key], Mapping[str, RichQuestion]],
                  progress: Callable[[int, int], None] | None
                  ) -> Iterator[Mapping[str, RichQuestion]]:
    """Each key's recomputed texts, in key order; a class's keys in parallel processes
    (recomputing an exercise takes ~0.3 s)."""
    workers = min(os.cpu_count() or 1, 8)
    # fork: the workers inherit the loaded modules, and never re-run the CLI's __main__
    # (spawn would); where there is no fork (Windows) the keys are done one by one.
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if rich is rich_questions and len(keys) >= PARALLEL_FROM and workers > 1 and can_fork:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for done, texts in enumerate(pool.map(rich, keys, chunksize=4), 1):
                if progress:
                    progress(done, len(keys))
                yield texts
        return
    for done, key in enumerate(keys, 1):
        texts = rich(key)
        if progress:
            progress(done, len(keys))
        yield texts


def _student_label(key: Key) -> str:
    student = key.get("student") or {}
    return " ".join(f"{student.get('id', '')} {student.get('name', '')}".split())


def moodle_items(keys: Sequence[Key], *, worked: bool = False,
                 rich: Callable[[Key], Mapping[str, RichQuestion]] = rich_questions,
                 progress: Callable[[int, int], None] | None = None
                 ) -> list[Question | Category]:
    """Categories and questions for one key (a quiz) or per-student keys (a bank).

    In a bank, students whose variant of a slot is the same question share one Moodle
    question, named after the first of them ("trace.t2 — s001 Ada (+4 identical)").
    """
    if len(keys) == 1 and "student" not in keys[0]:
        key = keys[0]
        lang = key.get("exercise", {}).get("lang", "en")
        texts = next(_texts_of_all(keys, rich, progress))
        return [Category(worksheet_category(key, False)),
                *(slot_question(questions, slot, texts, lang)
                  for slot, questions in slots(key, worked).items())]
    # slot -> distinct question (named by its first student) -> students who share it
    by_slot: dict[str, dict[Question, list[str]]] = {}
    for key, texts in zip(keys, _texts_of_all(keys, rich, progress)):
        lang = key.get("exercise", {}).get("lang", "en")
        for slot, questions in slots(key, worked).items():
            question = slot_question(questions, slot, texts, lang)
            by_slot.setdefault(slot, {}).setdefault(question, []).append(_student_label(key))
    lang = keys[0].get("exercise", {}).get("lang", "en")
    info = plain_html(msg(lang, "grading.moodle.bank_info"))
    base = worksheet_category(keys[0], True)
    items: list[Question | Category] = []
    for slot, variants in by_slot.items():
        items.append(Category(f"{base}/{category_name(slot)}", info))
        for question, students in variants.items():
            more = f" (+{len(students) - 1} identical)" if len(students) > 1 else ""
            items.append(replace(question, name=_name(slot, students[0] + more)))
    return items


def moodle_quiz(keys: Iterable[Key], *, worked: bool = False) -> bytes:
    """Moodle XML for one key or a class's per-student keys."""
    return quiz_xml(moodle_items(list(keys), worked=worked))
