"""The result of checking one answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Verdict:
    """How an answer was judged.

    `valid` is False when the answer could not be read (or was too complex to
    check); `expected` is only filled in when the key allows revealing it;
    `parsed` shows how we read the answer; `misconception` is the id of a
    known mistake the answer matches; `carried` marks credit for an answer that follows
    correctly from the student's own (wrong) earlier answers.

    >>> Verdict(True, True, 1.0, "Correct.", parsed="7").to_dict()["score"]
    1.0
    """

    valid: bool
    correct: bool
    score: float
    feedback: str
    expected: str | None = None
    parsed: str | None = None
    misconception: str | None = None
    carried: bool = False  # right because it follows from the student's own earlier answers

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with every field."""
        return asdict(self)
