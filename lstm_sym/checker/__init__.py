"""Check student answers to the exercises: numbers, integers, expressions,
vectors and multiple choice, in English or Chinese.

Student text is hostile input: it is read by our own tokenizer and parser
from a whitelist (never ``eval``/``sympify``), evaluated with guarded
arithmetic, and the rare SymPy step runs in a killable worker process.

>>> check_expected("4*m*(n + m + 1)", "4m^2 + 4mn + 4m", variables=["m", "n"]).correct
True
"""

from lstm_sym.checker.api import check_expected, check_many, check_question
from lstm_sym.checker.feedback import LANGUAGES, MESSAGES
from lstm_sym.checker.verdict import Verdict

__all__ = ["LANGUAGES", "MESSAGES", "Verdict", "check_expected", "check_many", "check_question"]
