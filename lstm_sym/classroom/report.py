"""The class report: score distribution (table + SVG histogram), per-question
difficulty, the most common misconceptions, and the rows that were not graded.

:func:`format_report` is pure (Markdown text for GitHub); :func:`histogram_svg` draws
the histogram with matplotlib's SVG backend, deterministic (fixed hash salt, no date).

>>> from lstm_sym.classroom.grading import KeySet, grade_sheet
>>> from lstm_sym.classroom.csvio import AnswerSheet, AnswerRow
>>> keys = KeySet("key.json", shared={"questions": [{"id": "q", "kind": "integer",
...     "answer": "56", "misconceptions": [{"id": "single_bias", "answer": "48",
...     "feedback": "You counted one bias vector; PyTorch keeps two."}]}]})
>>> sheet = AnswerSheet("long", [AnswerRow(2, "s1", "q", "48"), AnswerRow(3, "s2", "q", "56")],
...                     questions=["q"])
>>> text = format_report(grade_sheet(sheet, keys), "answers.csv", "report.scores.svg")
>>> "| 1 | 1 | You counted one bias vector; PyTorch keeps two. (`single_bias`) | `q` |" in text
True
"""

from __future__ import annotations

import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lstm_sym.classroom.csvio import Rejection
from lstm_sym.classroom.grading import GradingResult, format_number
from lstm_sym.handouts.render import md_escape
from lstm_sym.i18n import msg

BANDS = 10  # 0–10 %, …, 90–100 %
MAX_REJECTED_ROWS = 500  # in the report; stderr lists them all
MAX_MISTAKES = 15
BAR = "█"
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Droid Sans Fallback")


def md_code(text: str) -> str:
    """Inline code for an id; falls back to escaped text if it holds a backtick or a bar."""
    text = " ".join(text.split())
    return f"`{text}`" if text and "`" not in text and "|" not in text else str(md_escape(text))


def _table(header: Sequence[str], align: Sequence[str], rows: list[list[str]]) -> list[str]:
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _say(lang: str) -> Callable[..., str]:
    """A report sentence by its short name, in `lang`."""
    def say(name: str, /, **values: object) -> str:
        return msg(lang, f"grading.report.{name}", **values)
    return say


def _percent(value: float) -> str:
    return f"{value:.1f}"


def score_bands(percents: Sequence[float]) -> list[int]:
    """Students per 10 % band; 100 % falls in the last band.

    >>> score_bands([0, 9.9, 10, 55, 100])
    [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    """
    counts = [0] * BANDS
    for p in percents:
        counts[min(int(p // (100 / BANDS)), BANDS - 1)] += 1
    return counts


def band_label(index: int) -> str:
    width = 100 // BANDS
    return f"{index * width}–{(index + 1) * width}"


# --- sections -------------------------------------------------------------------------------


def _scores_section(result: GradingResult, svg_name: str | None, lang: str) -> list[str]:
    t = _say(lang)
    out = [f"## {t('scores')}", ""]
    totals = [s for s in result.totals if s.max]
    if not totals:
        return out + [t("no_scores"), ""]
    percents = [s.percent or 0.0 for s in totals]
    scores = [s.score for s in totals]
    top = max(s.max for s in totals)

    def stat(value: float, pct: float) -> str:
        return t("out_of", score=format_number(round(value, 2)), max=top, percent=_percent(pct))

    rows = [[t("students"), str(len(totals))],
            [t("mean"), stat(statistics.fmean(scores), statistics.fmean(percents))],
            [t("median"), stat(statistics.median(scores), statistics.median(percents))],
            [t("lowest"), stat(min(scores), min(percents))],
            [t("highest"), stat(max(scores), max(percents))]]
    out += _table([t("statistic"), t("value")], "lr", rows) + [""]
    if svg_name:
        out += [f"![{t('histogram_alt')}]({svg_name})", ""]
    bands = score_bands(percents)
    peak = max(bands) or 1
    rows = [[band_label(i), str(n), BAR * round(20 * n / peak)] for i, n in enumerate(bands)]
    out += _table([t("band"), t("students"), ""], "lrl", rows) + [""]
    return out


@dataclass
class _QuestionStats:
    graded: int = 0
    correct: int = 0
    blank: int = 0
    unreadable: int = 0
    carried: int = 0  # credited because they follow from the student's own earlier answers
    mistakes: Counter | None = None


def question_stats(result: GradingResult) -> dict[str, _QuestionStats]:
    """Per question id: graded, correct, blank, unreadable, misconception counts."""
    stats = {qid: _QuestionStats(mistakes=Counter()) for qid in result.questions}
    for a in result.graded:
        s = stats[a.question]
        s.graded += 1
        s.correct += a.verdict.correct
        if not a.answer.strip():
            s.blank += 1
        elif not a.verdict.valid:
            s.unreadable += 1
        s.carried += a.verdict.carried
        if a.verdict.misconception:
            s.mistakes[a.verdict.misconception] += 1
    return stats


def _questions_section(result: GradingResult, lang: str) -> list[str]:
    t = _say(lang)
    stats = question_stats(result)
    rows = []
    for qid, s in stats.items():
        top = ""
        if s.mistakes:
            mid, count = min(s.mistakes.items(), key=lambda kv: (-kv[1], kv[0]))
            top = f"{md_code(mid)} ({count})"
        pct = _percent(100 * s.correct / s.graded) if s.graded else "–"
        rows.append([md_code(qid), str(s.graded), str(s.correct), str(s.carried), pct,
                     str(s.blank), str(s.unreadable), top])
    out = [f"## {t('questions')}", ""]
    out += _table([t("question"), t("graded"), t("correct"), t("carried"), t("percent_correct"),
                   t("blank"), t("unreadable"), t("top_mistake")], "lrrrrrrl", rows) + [""]
    if any(s.carried for s in stats.values()):
        out += [t("carried_note"), ""]
    graded = [(s.correct / s.graded, i, qid) for i, (qid, s) in enumerate(stats.items())
              if s.graded]
    if graded:
        share, _, qid = min(graded)  # ties: the first in key order
        out += [t("hardest", question=md_code(qid), percent=_percent(100 * share)), ""]
    return out


def misconception_sentences(result: GradingResult) -> dict[str, str]:
    """Each misconception id's sentence, from the first key question (in key order) that
    names it: the key's words, in the key's language."""
    sentences: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for a in result.graded:
        mid = a.verdict.misconception
        if not mid or mid in sentences or (a.question, mid) in seen:
            continue
        seen.add((a.question, mid))
        for mc in result.question(a.student, a.question).get("misconceptions", []):
            if mc.get("id") == mid:
                sentences[mid] = mc.get("feedback", "")
                break
    return sentences


def _mistakes_section(result: GradingResult, lang: str) -> list[str]:
    t = _say(lang)
    students: dict[str, set[str]] = defaultdict(set)
    answers: Counter = Counter()
    questions: dict[str, dict[str, None]] = defaultdict(dict)
    for a in result.graded:
        mid = a.verdict.misconception
        if mid:
            students[mid].add(a.student)
            answers[mid] += 1
            questions[mid].setdefault(a.question)
    out = [f"## {t('mistakes')}", ""]
    if not answers:
        return out + [t("no_mistakes"), ""]
    sentences = misconception_sentences(result)
    ranked = sorted(answers, key=lambda m: (-len(students[m]), -answers[m], m))[:MAX_MISTAKES]
    rows = []
    order = {qid: i for i, qid in enumerate(result.questions)}
    for mid in ranked:
        qids = sorted(questions[mid], key=order.__getitem__)
        shown = ", ".join(md_code(q) for q in qids[:4]) + (", …" if len(qids) > 4 else "")
        sentence = str(md_escape(sentences.get(mid, "")))
        rows.append([str(len(students[mid])), str(answers[mid]),
                     f"{sentence} ({md_code(mid)})".strip(), shown])
    out += [t("mistakes_intro"), ""]
    out += _table([t("students"), t("answers"), t("mistake"), t("questions")], "rrll", rows)
    return out + [""]


def _rejected_section(rejected: Sequence[Rejection], lang: str) -> list[str]:
    t = _say(lang)
    out = [f"## {t('rejected')}", ""]
    if not rejected:
        return out + [t("none_rejected"), ""]
    rows = [[str(r.line), str(md_escape(r.student)), str(md_escape(r.question)),
             str(md_escape(r.reason))]
            for r in rejected[:MAX_REJECTED_ROWS]]
    out += _table([t("line"), t("student"), t("question"), t("reason")], "rlll", rows) + [""]
    if len(rejected) > MAX_REJECTED_ROWS:
        out += [t("more_rejected", count=len(rejected) - MAX_REJECTED_ROWS), ""]
    return out


def format_report(result: GradingResult, answers_name: str, svg_name: str | None = None,
                  lang: str | None = None) -> str:
    """The report as GitHub-flavoured Markdown (see the module example)."""
    lang = lang or result.keys.language()
    t = _say(lang)
    given = sum(1 for a in result.graded if a.answer.strip())
    out = [f"# {t('title')}", "",
           t("sources", keyfile=md_code(result.keys.source), answers=md_code(answers_name),
             form=t(f"form.{result.form}")), "",
           t("summary", students=len(result.totals), answers=len(result.graded), given=given,
             blank=len(result.graded) - given, rejected=len(result.rejected)), ""]
    out += _scores_section(result, svg_name, lang)
    out += _questions_section(result, lang)
    out += _mistakes_section(result, lang)
    out += _rejected_section(result.rejected, lang)
    if result.notes:
        out += [f"## {t('notes')}", ""] + [f"- {md_escape(note)}" for note in result.notes] + [""]
    out += ["---", "", f"<sub>{t('footer')}</sub>", ""]
    return "\n".join(out)


def histogram_svg(percents: Sequence[float], lang: str = "en") -> bytes:
    """An SVG histogram of percentages in 10 % bands; same input, same bytes.

    >>> svg = histogram_svg([40, 75, 75, 100])
    >>> svg.startswith(b"<?xml") and svg == histogram_svg([40, 75, 75, 100])
    True
    """
    # A bare Figure draws without pyplot or a GUI backend (no global state touched).
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    counts = score_bands(percents)
    rc = {"svg.hashsalt": "lstm_sym", "svg.fonttype": "path", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
    if lang == "zh":  # DejaVu has no CJK; fall back through the CJK fonts that are installed
        from matplotlib import font_manager

        installed = {font.name for font in font_manager.fontManager.ttflist}
        rc["font.family"] = ["DejaVu Sans", *(name for name in CJK_FONTS if name in installed)]
    width = 100 / BANDS
    with rc_context(rc):
        fig = Figure(figsize=(6.0, 2.8))
        ax = fig.subplots()
        ax.bar([width * (i + 0.5) for i in range(BANDS)], counts, width=width * 0.9,
               color="#0072B2")
        for i, n in enumerate(counts):
            if n:
                ax.annotate(str(n), (width * (i + 0.5), n), ha="center", va="bottom",
                            xytext=(0, 2), textcoords="offset points", fontsize=8)
        ax.set_xlim(0, 100)
        ax.set_xticks([width * i for i in range(BANDS + 1)])
        ax.set_xlabel(msg(lang, "grading.svg.xlabel"))
        ax.set_ylabel(msg(lang, "grading.svg.ylabel"))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylim(0, max(max(counts), 1) * 1.15)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def svg_path_for(report: str | Path) -> Path:
    """The histogram's file name beside the report.

    >>> svg_path_for("out/report.md").as_posix()
    'out/report.scores.svg'
    """
    report = Path(report)
    return report.with_name(f"{report.stem if report.suffix else report.name}.scores.svg")
