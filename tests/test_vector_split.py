"""One vector splitter (key.split_entries) for the key's vectors, students' vectors
(the checker adds LaTeX matrices), the exercises' misconception filter and Moodle."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lstm_sym.checker.readers import split_vector
from lstm_sym.exercises.formatting import key_number, key_vector, same_answer
from lstm_sym.key import Tolerance, split_entries


@given(st.lists(st.integers(-10**6, 10**6) | st.fractions(max_denominator=64), min_size=1,
                max_size=6))
def test_key_vectors_split_back_into_their_entries(values):
    written = key_vector(values)
    assert [entry for entry, _ in split_entries(written)] == [key_number(v) for v in values]


def test_offsets_point_into_the_text_and_brackets_nest():
    text = "[4*m, sigma(x1, x2), [1; 2]]"
    entries = split_entries(text)
    assert [e for e, _ in entries] == ["4*m", "sigma(x1, x2)", "[1; 2]"]
    assert all(text[at:at + len(e)] == e for e, at in entries)


def test_the_checker_reads_latex_matrices_with_the_same_splitter():
    assert [e for e, _ in split_vector(r"\begin{bmatrix}0 \\ 3 \\ 7\end{bmatrix}")] == \
        ["0", "3", "7"]


def test_a_vector_with_a_comma_inside_an_entry():
    # a comma inside brackets does not end an entry
    assert not same_answer("vector", "[max(1, 2), 3]", "[2, 4]", Tolerance())
    assert same_answer("vector", "[max(1, 2), 3]", "[2, 3]", Tolerance())
