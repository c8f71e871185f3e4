"""`worksheet(...)`: the sheets and keys `lstm-sym worksheet` writes, built in memory;
writing the files is a separate step (:meth:`Handouts.write`)."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lstm_sym.api.tables import html_table, markdown_table


@dataclass(frozen=True)
class Handouts:
    """One sheet (or a class's sheets) and its key(s), not yet written.

    `sheet` is the student's edition, `solutions` the solutions edition and `key` the
    key.json content (for a class: the first student's; all of them in `variants`).

    >>> h = worksheet()
    >>> h
    <worksheet 'Exercises: the LSTM memory cell' (en): 78 questions, 60 to answer; .write(folder) writes md, tex, pdf>
    >>> h.key["questions"][0]["id"], h.markdown().splitlines()[0]
    ('trace.t1.z', '# Exercises: the LSTM memory cell')
    """

    args: argparse.Namespace
    students: list | None
    variants: list

    @property
    def sheet(self):
        return self.variants[0].solutions.student_edition()

    @property
    def solutions(self):
        return self.variants[0].solutions

    @property
    def key(self) -> dict[str, Any]:
        return self.variants[0].key

    @property
    def keys(self) -> dict[str | None, dict[str, Any]]:
        """Every variant's key by student id (``None`` for a single sheet)."""
        return {(v.student.id if v.student else None): v.key for v in self.variants}

    def markdown(self, edition: str = "worksheet") -> str:
        """The sheet (or ``solutions``) as Markdown, as worksheet.md / solutions.md."""
        from lstm_sym.handouts.render import render

        return render(self.sheet if edition == "worksheet" else self.solutions, "md",
                      templates=self.args.templates)

    def latex(self, edition: str = "worksheet") -> str:
        """The sheet (or ``solutions``) as LaTeX, as worksheet.tex / solutions.tex."""
        from lstm_sym.handouts.render import render

        return render(self.sheet if edition == "worksheet" else self.solutions, "tex",
                      templates=self.args.templates)

    def notebook(self) -> dict[str, Any]:
        """The practice notebook (nbformat 4 data) of the first variant; it embeds the key."""
        from lstm_sym.handouts.notebook import notebook

        return notebook(self.solutions, self.key)

    def write(self, out: str | Path = "output", format: Any = None) -> int:
        """Write the files `lstm-sym worksheet --out OUT` writes (same layout; with a
        roster, OUT/<id>/ and OUT/teacher/); returns the command's exit status."""
        from lstm_sym.api.arguments import namespace
        from lstm_sym.cli.worksheet import write_all

        options = vars(self.args)
        if format is not None:
            options = {**options, "format": namespace("worksheet", {"format": format}).format}
        return write_all(argparse.Namespace(**{**options, "out": Path(out)}), self.students,
                         self.variants)

    def _counts(self) -> tuple[int, int, Counter]:
        questions = self.key["questions"]
        open_ = [q for q in questions if not q.get("worked")]
        return len(questions), len(open_), Counter(q["family"] for q in open_)

    def __repr__(self) -> str:
        total, open_, _ = self._counts()
        who = f" for {len(self.variants)} students" if self.students is not None else ""
        formats = ", ".join(self.args.format or ("md", "tex", "pdf"))
        return (f"<worksheet {self.key['exercise']['title']!r} ({self.args.lang}){who}: "
                f"{total} questions, {open_} to answer; .write(folder) writes {formats}>")

    def _rows(self) -> list[list[str]]:
        _, _, families = self._counts()
        return [[family, str(count)] for family, count in families.items()]

    def _repr_html_(self) -> str:
        return html_table(["family", "questions to answer"], self._rows(),
                          caption=repr(self)[1:-1], align="left")

    def _repr_markdown_(self) -> str:
        return f"**{repr(self)[1:-1]}**\n\n" + markdown_table(["family", "questions to answer"],
                                                              self._rows())


def worksheet(**options: Any) -> Handouts:
    """Build the sheets and keys `lstm-sym worksheet` would write, in memory.

    The options are the command's: ``seed``, ``students`` (a roster CSV), ``lang``,
    ``example``, ``worked``, ``format``, ``edition``, ``templates`` (and the cell
    options where the command has them). Nothing is written until ``.write(folder)``.

    >>> worksheet(seed=3).key["exercise"]["seed"]
    3
    """
    from lstm_sym.api.arguments import namespace
    from lstm_sym.cli.worksheet import prepare

    if "out" in options:
        raise TypeError("worksheet: give the folder to .write(folder), not out=")
    args, students, variants = prepare(namespace("worksheet", options))
    return Handouts(args, students, variants)
