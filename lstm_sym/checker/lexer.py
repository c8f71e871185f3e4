"""Turn answer text into tokens from a fixed vocabulary; resolve names.

Numbers become exact fractions, words become declared variables (under any of
their spellings: ``x3``, ``x_3``, ``x_{3}``, ``x₃``), whitelisted functions,
the constants e and pi, or a split of a run of declared names (``mn`` is
m·n). Look-alike characters (Unicode minus, ×, ·, full-width forms) are read
as their ASCII twins one-for-one, so positions in messages match the answer
as typed. Reading conventions: ``log`` is the natural logarithm, a bare
``2e`` is 2·e while ``2e-3`` is 0.002, and a decimal may end in ``...``
(a truncated value such as ``0.333...``).

>>> [t.kind for t in tokenize("2x_3·σ(x3)", Names.declare(["x3"]))]
['num', 'var', 'op', 'func', 'open', 'var', 'close', 'end']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from lstm_sym.checker import limits
from lstm_sym.checker.latex import COMMANDS, GREEK_UNICODE, SYMBOL_COMMANDS
from lstm_sym.model.notation import display


class ParseError(Exception):
    """An answer we cannot read; `code` names a sentence in :mod:`feedback`.

    Positions in `params` are 1-based character positions in the answer.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# Look-alike characters students type (Unicode minus, ×, full-width forms from
# Chinese input methods). Each maps to exactly one character, so positions in
# error messages still point into the original answer.
_LOOKALIKES = {
    "−": "-", "–": "-", "‐": "-", "‑": "-", "﹣": "-",
    "×": "*", "·": "*", "⋅": "*", "∙": "*", "∗": "*", "•": "*",
    "÷": "/", "∕": "/", "′": "'", "’": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
}  # fmt: skip
_LOOKALIKES.update({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
_TRANSLATION = str.maketrans(_LOOKALIKES)

_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789+-aeoxhklmnpstijruv"))
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))

FUNCTION_WORDS = {
    "sigma": "sigma", "sigmoid": "sigma", "exp": "exp", "tanh": "tanh", "ln": "ln",
    "log": "ln", "sqrt": "sqrt", "abs": "abs", "Abs": "abs",
}  # fmt: skip
CONSTANT_WORDS = {"e": "e", "E": "e", "pi": "pi"}
# Common functions outside the course's scope: named as such on both sides (student answers
# and the teacher's expected expressions), never read as products or unknown functions.
UNSUPPORTED_FUNCTIONS = frozenset(
    "sin cos tan cot sec csc arcsin arccos arctan asin acos atan atan2 sinh cosh coth sech csch"
    " arsinh arcosh artanh asinh acosh atanh log10 max min floor ceil sign sgn factorial erf"
    .split())
_MAX_WORD = 60  # longer letter runs are never names; reject before splitting them


def spelling_key(text: str) -> str:
    """How a name is compared: subscript marks, braces and backslashes dropped.

    >>> spelling_key("x_{3}"), spelling_key("cₜ₋₁"), spelling_key("c_{t-1}")
    ('x3', 'ct-1', 'ct-1')
    """
    text = "".join(_SUBSCRIPTS.get(c, c) for c in text.translate(_TRANSLATION))
    return "".join(c for c in text if c not in "_{}\\ ")


@dataclass(frozen=True)
class Names:
    """The names an answer may use: variables (with all their spellings) and
    unspecified functions such as ``g``.

    In `infer` mode (used for keys, never for students) an unknown word becomes
    a new variable, or a function when followed by ``(``.
    """

    variables: tuple[str, ...] = ()
    functions: tuple[tuple[str, int], ...] = ()
    infer: bool = False
    aliases: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def declare(
        cls,
        variables: Iterable[str],
        functions: Iterable[tuple[str, int]] = (),
        infer: bool = False,
    ) -> Names:
        """Names for these canonical variables, with the project's display spellings.

        A display spelling that reads as a product of declared names (``ht``
        for h when t is declared too) is left out: there the product wins.

        >>> sorted(Names.declare(["c_prev"]).aliases.items())
        [('cprev', 'c_prev'), ('ct-1', 'c_prev')]
        >>> "ht" in Names.declare(["h", "t"]).aliases
        False
        """
        variables = tuple(dict.fromkeys(variables))
        aliases: dict[str, str] = {}
        for name in variables:  # the canonical spellings win any collision
            aliases.setdefault(spelling_key(name), name)
        canonical = set(aliases)
        for name in variables:
            for spelling in {*display(name), *display(name, lecture=True)}:
                key = spelling_key(spelling)
                if key not in aliases and not _splits(key, canonical):
                    aliases[key] = name
        return cls(variables, tuple(sorted(dict(functions).items())), infer, aliases)

    @property
    def function_names(self) -> dict[str, int]:
        return dict(self.functions)


def _splits(key: str, pieces: set[str]) -> bool:
    """True if `key` is a concatenation of two or more of `pieces`."""
    reachable = {0: 0}  # end position -> fewest pieces to get there
    for end in range(1, len(key) + 1):
        counts = [reachable[b] + 1 for b in range(end) if b in reachable and key[b:end] in pieces]
        if counts:
            reachable[end] = min(counts)
    return reachable.get(len(key), 0) >= 2


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num var const func ufunc op open close comma frac sup end
    value: object
    pos: int  # 0-based index of the first character
    text: str


class _Lexer:
    def __init__(self, text: str, names: Names) -> None:
        self.src = text.translate(_TRANSLATION)
        self.raw = text
        self.names = names
        self.i = 0
        self.tokens: list[Token] = []

    def error(self, code: str, pos: int, **params: object) -> ParseError:
        return ParseError(code, pos=pos + 1, **params)

    def run(self) -> list[Token]:
        src, n = self.src, len(self.src)
        while self.i < n:
            c = src[self.i]
            nxt = src[self.i + 1] if self.i + 1 < n else ""
            if c.isspace() or c in "~$":
                self.i += 1
            elif c.isdigit() and c.isascii() or (c == "." and nxt.isdigit() and nxt.isascii()):
                self.number()
            elif c.isascii() and c.isalpha() or c in GREEK_UNICODE:
                self.word()
            elif c == "\\":
                self.command()
            elif c == "*" and nxt == "*":
                self.emit("op", "^", 2)
            elif c in "+-*/^":
                self.emit("op", c, 1)
            elif c in "([{":
                self.emit("open", c, 1)
            elif c in ")]}":
                self.emit("close", c, 1)
            elif c == ",":
                self.emit("comma", c, 1)
            elif c == "√":
                self.emit("func", "sqrt", 1)
            elif c in _SUPERSCRIPTS:
                self.superscript()
            else:
                raise self.error("unexpected_char", self.i, char=self.raw[self.i])
        self.tokens.append(Token("end", None, n, ""))
        return self.tokens

    def emit(self, kind: str, value: object, width: int, start: int | None = None) -> None:
        start = self.i if start is None else start
        self.tokens.append(Token(kind, value, start, self.raw[start : self.i + width]))
        self.i += width

    def digits(self) -> str:
        start = self.i
        while self.i < len(self.src) and self.src[self.i].isdigit() and self.src[self.i].isascii():
            self.i += 1
        return self.src[start : self.i]

    def number(self) -> None:
        start, src = self.i, self.src
        whole = self.digits()
        fraction = ""
        if self.i < len(src) and src[self.i] == ".":
            self.i += 1
            fraction = self.digits()
        if fraction and src.startswith(("...", "…"), self.i):
            self.i += 1 if src[self.i] == "…" else 3  # a truncated decimal: 0.333...
        if len(whole) + len(fraction) > limits.MAX_DIGITS:
            raise self.error("number_too_long", start, limit=limits.MAX_DIGITS)
        exponent = 0
        mark = self.i
        if self.i < len(src) and src[self.i] in "eE":  # 1e-3; a bare "2e" is 2 times e
            self.i += 1
            sign = -1 if src[self.i : self.i + 1] == "-" else 1
            if src[self.i : self.i + 1] in ("+", "-"):
                self.i += 1
            power = self.digits()
            if not power:
                self.i = mark
            elif len(power) > 6 or int(power) > limits.MAX_EXPONENT10:
                raise ParseError("too_complex")
            else:
                exponent = sign * int(power)
        value = (
            Fraction(int(whole + fraction or "0"), 10 ** len(fraction)) * Fraction(10) ** exponent
        )
        self.tokens.append(Token("num", value, start, self.raw[start : self.i]))

    def superscript(self) -> None:
        start = self.i
        while self.i < len(self.src) and self.src[self.i] in _SUPERSCRIPTS:
            self.i += 1
        text = "".join(_SUPERSCRIPTS[c] for c in self.src[start : self.i])
        body = text.lstrip("+-")
        if not body or not body.isdigit() or len(text) - len(body) > 1:
            raise self.error("unexpected_char", start, char=self.raw[start])
        if len(body) > limits.MAX_DIGITS:
            raise self.error("number_too_long", start, limit=limits.MAX_DIGITS)
        self.tokens.append(Token("sup", int(text), start, self.raw[start : self.i]))

    def command(self) -> None:
        start, src = self.i, self.src
        j = self.i + 1
        while j < len(src) and src[j].isascii() and src[j].isalpha():
            j += 1
        if j == self.i + 1:  # one-character command such as \, or \{
            symbol = src[j : j + 1]
            if symbol not in SYMBOL_COMMANDS:
                if not symbol:
                    raise self.error("unexpected_char", start, char="\\")
                raise self.error("unknown_command", start, name="\\" + symbol)
            kind, value = SYMBOL_COMMANDS[symbol]
            self.i = j + 1
            if kind != "skip":
                self.tokens.append(Token(kind, value, start, self.raw[start : self.i]))
            return
        name = src[self.i + 1 : j]
        if name in UNSUPPORTED_FUNCTIONS and spelling_key(name) not in self.names.aliases:
            raise self.error("unsupported_function", start, name="\\" + name)
        if name not in COMMANDS:
            raise self.error("unknown_command", start, name="\\" + name)
        if name == "log" and src[j : j + 1] == "_":
            self.i = j
            self.log_base(start, self.tex_subscript())
            return
        kind, value = COMMANDS[name]
        self.i = j
        if kind == "skip":
            if name in ("left", "right") and src[self.i : self.i + 1] == ".":
                self.i += 1  # \left. is an invisible bracket
        elif kind == "word":
            self.braced_word(start)
        elif kind == "greek":
            self.finish_word(start, value)
        elif kind == "prime":
            raise self.error("unexpected_token", start, token="\\prime")
        elif kind == "func" and spelling_key(name) in self.names.aliases:
            self.finish_word(start, name)  # a declared variable named like a function wins
        elif kind == "sqrt":
            self.tokens.append(Token("func", "sqrt", start, self.raw[start : self.i]))
        else:
            self.tokens.append(Token(kind, value, start, self.raw[start : self.i]))

    def tex_subscript(self, plain: bool = False) -> tuple[int, int]:
        """The span of a subscript after ``_``: a braced group, else one character (TeX)
        or a run of letters and digits (plain text: ``log_10``)."""
        src, start = self.src, self.i
        self.i += 1
        if src[self.i : self.i + 1] == "{":
            depth, k = 0, self.i
            while k < len(src):
                depth += src[k] == "{"
                depth -= src[k] == "}"
                if depth == 0:
                    break
                k += 1
            if k >= len(src):
                raise self.error("unclosed", self.i, open="{")
            self.i = k + 1
            return start + 2, k
        if self.i >= len(src) or src[self.i].isspace():
            raise self.error("unexpected_char", start, char="_")
        begin = self.i
        self.i += 1
        while plain and self.i < len(src) and src[self.i].isascii() and src[self.i].isalnum():
            self.i += 1
        return begin, self.i

    def log_base(self, start: int, span: tuple[int, int]) -> None:
        """A logarithm to a base: the base's own tokens between two markers."""
        begin, end = span
        if begin >= end:
            raise self.error("unexpected_char", start, char="_")
        self.tokens.append(Token("logbase", None, start, self.raw[start:begin]))
        inner = _Lexer(self.raw[begin:end], self.names).run()[:-1]
        self.tokens.extend(Token(t.kind, t.value, t.pos + begin, t.text) for t in inner)
        self.tokens.append(Token("logbase_end", None, end, ""))

    def braced_word(self, start: int) -> None:
        src = self.src
        if src[self.i : self.i + 1] != "{":
            raise self.error("unexpected_token", start, token=self.raw[start : self.i])
        close = src.find("}", self.i)
        word = src[self.i + 1 : close] if close != -1 else ""
        if not word or not word.isascii() or not word.isalpha():
            raise self.error("unexpected_token", start, token=self.raw[start : self.i + 1])
        self.i = close + 1
        self.finish_word(start, word)

    def word(self) -> None:
        start, src = self.i, self.src
        if src[self.i] in GREEK_UNICODE:
            self.i += 1
            self.finish_word(start, GREEK_UNICODE[src[start]])
            return
        while self.i < len(src) and src[self.i].isascii() and src[self.i].isalnum():
            self.i += 1
        self.finish_word(start, src[start : self.i])

    def finish_word(self, start: int, word: str) -> None:
        """Read subscripts and primes after a word, then resolve the whole name."""
        src = self.src
        if word == "log" and src[self.i : self.i + 1] == "_" and not any(
                key.startswith("log") for key in self.names.aliases):
            self.log_base(start, self.tex_subscript(plain=True))  # log_2(x), log_{10} x
            return
        subscript = ""
        while self.i < len(src):
            c = src[self.i]
            if c == "_":
                subscript += self.subscript()
            elif c in _SUBSCRIPTS:
                subscript += _SUBSCRIPTS[c]
                self.i += 1
            else:
                break
        primes = ""
        while True:
            if src[self.i : self.i + 1] == "'":
                self.i += 1
            elif src.startswith("^{\\prime}", self.i):
                self.i += len("^{\\prime}")
            elif src.startswith("^\\prime", self.i):
                self.i += len("^\\prime")
            else:
                break
            primes += "'"
        self.resolve(start, word, subscript, primes)

    def subscript(self) -> str:
        start, src = self.i, self.src
        self.i += 1
        if src[self.i : self.i + 1] == "{":
            close = src.find("}", self.i)
            body = src[self.i + 1 : close] if close != -1 else None
            if body is None or len(body) > 40 or not all(c.isalnum() or c in "+-, " for c in body):
                raise self.error(
                    "unclosed" if close == -1 else "unexpected_char", start, open="{", char="_"
                )
            self.i = close + 1
            return body
        begin = self.i
        while self.i < len(src) and src[self.i].isascii() and src[self.i].isalnum():
            self.i += 1
        if self.i == begin:
            raise self.error("unexpected_char", start, char="_")
        return src[begin : self.i]

    def resolve(self, start: int, word: str, subscript: str, primes: str) -> None:
        names, text = self.names, self.raw[start : self.i]
        key = spelling_key(word + subscript) + primes
        plain = not subscript and not primes
        if key in names.aliases:
            self.tokens.append(Token("var", names.aliases[key], start, text))
        elif plain and word in FUNCTION_WORDS:
            self.tokens.append(Token("func", FUNCTION_WORDS[word], start, text))
        elif plain and word in names.function_names:
            self.tokens.append(Token("ufunc", word, start, text))
        elif plain and word in CONSTANT_WORDS:
            self.tokens.append(Token("const", CONSTANT_WORDS[word], start, text))
        elif plain and word in UNSUPPORTED_FUNCTIONS:
            raise self.error("unsupported_function", start, name=word)
        elif names.infer:
            self.tokens.append(self.inferred(start, text, word, subscript, primes))
        else:
            pieces = self.split(key) if len(key) <= _MAX_WORD else None
            if pieces is None:
                shown = text if len(text) <= 30 else text[:30] + "…"
                raise self.error("unknown_name", start, name=shown)
            self.tokens.extend(Token(kind, value, start, text) for kind, value in pieces)

    def inferred(self, start: int, text: str, word: str, subscript: str, primes: str) -> Token:
        rest = self.src[self.i :].lstrip()
        if not subscript and not primes and rest.startswith("("):
            return Token("ufunc", word, start, text)
        name = word + (f"_{subscript}" if subscript else "") + primes
        return Token("var", name, start, text)

    def split(self, key: str) -> list[tuple[str, str]] | None:
        """Split a run of letters like ``mn`` into known names (fewest pieces)."""
        pieces: dict[str, tuple[str, str]] = {k: ("var", v) for k, v in self.names.aliases.items()}
        pieces.update({w: ("func", f) for w, f in FUNCTION_WORDS.items()})
        pieces.update({w: ("ufunc", w) for w in self.names.function_names})
        pieces.update({w: ("const", c) for w, c in CONSTANT_WORDS.items()})
        longest = max(map(len, pieces), default=0)
        best: list[list[tuple[str, str]] | None] = [None] * (len(key) + 1)
        best[0] = []
        for end in range(1, len(key) + 1):
            for begin in range(max(0, end - longest), end):
                head, piece = best[begin], key[begin:end]
                if head is None or piece not in pieces:
                    continue
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [pieces[piece]]
        return best[-1]


def tokenize(text: str, names: Names) -> list[Token]:
    """The tokens of `text`, ending with an ``end`` token.

    >>> [t.value for t in tokenize("2x·σ(x)", Names.declare(["x"]))][:-1]
    [Fraction(2, 1), 'x', '*', 'sigma', '(', 'x', ')']
    """
    return _Lexer(text, names).run()
