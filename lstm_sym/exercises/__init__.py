"""Exercises and answer keys computed from the cell model.

An exercise is data plus functions: a :class:`Variant` (the lecture's numbers, or a
clean random draw from a seed and a student id) and, per question family, a
``generate(variant) -> Exercise`` whose answers, worked solutions and
misconceptions are computed from the cell — never typed in.

Families (one module each): ``trace`` (the lecture's five steps), ``memory``
(the write/reset/read puzzle), ``param_count``, ``shapes``, ``gate_design``,
``gradient`` and ``gru``; ``cell`` is the sheet's opening section.

>>> s = build_set()                       # the lecture's own numbers
>>> s.question("trace.t4.y").answer, s.question("trace.t4.y").worked
('7', True)
>>> [ex.family for ex in s.exercises][:2]
['cell', 'trace']
"""

from __future__ import annotations

from lstm_sym.exercises.exercise_set import SCHEMA, ExerciseSet, build_set, class_variants, from_key, from_variant
from lstm_sym.exercises.model import Exercise, Misconception, Question, Step, Text, Tolerance
from lstm_sym.exercises.variant import Variant, derive_seed, draw_variant, lecture_variant, problems
from lstm_sym.key import Student

__all__ = ["SCHEMA", "Exercise", "ExerciseSet", "Misconception", "Question", "Step", "Student",
           "Text", "Tolerance", "Variant", "build_set", "class_variants",
           "derive_seed", "draw_variant", "from_key", "from_variant", "lecture_variant",
           "problems"]
