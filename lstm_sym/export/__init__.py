"""Export answer keys to learning-management systems (Moodle XML).

>>> from lstm_sym.exercises import build_set
>>> xml = moodle_quiz([build_set().key()])
>>> xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
True
"""

from lstm_sym.export.moodle import moodle_quiz

__all__ = ["moodle_quiz"]
