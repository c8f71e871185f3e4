"""Read an answer (plain text or a LaTeX subset) into nodes, from a whitelist.

Student text is never given to ``eval``, ``sympify`` or ``parse_expr``: a
hand-written tokenizer turns it into tokens drawn from a fixed vocabulary
(numbers, declared variables, a few functions, the constants e and pi,
operators, brackets, a handful of LaTeX commands) and a recursive-descent
parser builds :mod:`nodes` tuples. Anything else is a :class:`ParseError`
whose code and parameters :mod:`feedback` turns into a sentence.

Grammar (implicit multiplication binds like ``*``; ``-x^2`` is ``-(x^2)``)::

    expression := product (("+" | "-") product)*
    product    := signed (("*" | "/") signed | <implicit> power)*
    signed     := ("+" | "-") signed | power
    power      := atom superscript* ("^" signed)?
    atom       := number | variable | constant | "(" expression ")"
                | function ( "(" expression ")" | power ) | \\frac{..}{..}

>>> names = Names.declare(["m", "n"])
>>> from lstm_sym.checker.nodes import to_text
>>> to_text(parse_answer("4m(n+m+1)", names))
'4*m*(n + m + 1)'
>>> to_text(parse_answer(r"\\frac{7}{1+e^{-(100x_3-10)}}", Names.declare(["x3"])))
'7/(1 + e^(-(100*x3 - 10)))'
"""

from __future__ import annotations

from fractions import Fraction

from lstm_sym.checker import limits
from lstm_sym.checker.lexer import Names, ParseError, Token, tokenize
from lstm_sym.checker.nodes import Node, num

__all__ = ["Names", "ParseError", "parse_answer", "tokenize"]

_CLOSER = {"(": ")", "[": "]", "{": "}"}
_STARTS_ATOM = frozenset({"num", "var", "const", "func", "ufunc", "open", "frac", "logbase"})


class _Parser:
    def __init__(self, tokens: list[Token], arities: dict[str, int] | None = None) -> None:
        self.tokens = tokens
        self.arities = arities  # of unspecified functions; None while reading a key
        self.k = 0
        self.depth = 0
        self.open: list[Token] = []  # brackets not yet closed, for "never closed"

    # -- helpers -----------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.k]

    def take(self) -> Token:
        token = self.tokens[self.k]
        self.k += 1
        return token

    def is_op(self, *ops: str) -> bool:
        token = self.tokens[self.k]
        return token.kind == "op" and token.value in ops

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise ParseError("too_deep", limit=limits.MAX_DEPTH)

    def leave(self) -> None:
        self.depth -= 1

    def unexpected(self, token: Token) -> ParseError:
        if token.kind == "end":
            if self.open:
                opener = self.open[-1]
                return ParseError("unclosed", open=opener.value, pos=opener.pos + 1)
            return ParseError("unexpected_end")
        return ParseError("unexpected_token", token=token.text, pos=token.pos + 1)

    # -- grammar -----------------------------------------------------------
    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ParseError("empty")
        node = self.expression()
        if self.peek().kind != "end":
            raise self.unexpected(self.peek())
        return node

    def expression(self) -> Node:
        terms = [("+", self.product())]
        while self.is_op("+", "-"):
            sign = self.take().value
            terms.append((sign, self.product()))
        return terms[0][1] if len(terms) == 1 else ("sum", tuple(terms))

    def product(self) -> Node:
        factors = [("*", self.signed())]
        while True:
            token = self.peek()
            if self.is_op("*", "/"):
                self.take()
                factors.append((token.value, self.signed()))
            elif token.kind in _STARTS_ATOM:
                if token.kind == "num" and self.tokens[self.k - 1].kind == "num":
                    raise ParseError("adjacent_numbers", pos=token.pos + 1)
                factors.append(("*", self.power()))
            else:
                break
        return factors[0][1] if len(factors) == 1 else ("prod", tuple(factors))

    def signed(self) -> Node:
        if self.is_op("+", "-"):
            sign = self.take().value
            self.enter()
            operand = self.signed()
            self.leave()
            return ("neg", operand) if sign == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        depth = self.depth
        while self.peek().kind == "sup":  # x²³…: each one nests, so each one counts
            exponent = self.take().value
            self.enter()
            base = ("pow", base, num(exponent) if exponent >= 0 else ("neg", num(-exponent)))
        if self.is_op("^"):
            self.take()
            self.enter()
            exponent = self.signed()
            base = ("pow", base, exponent)
        self.depth = depth
        return base

    def atom(self) -> Node:
        token = self.peek()
        kind = token.kind
        if kind == "num":
            self.take()
            return ("num", token.value, token.text)
        if kind == "var":
            self.take()
            return ("var", token.value)
        if kind == "const":
            self.take()
            return ("const", token.value)
        if kind == "open":
            return self.group()
        if kind in ("func", "ufunc"):
            return self.call()
        if kind == "logbase":
            return self.log_with_base()
        if kind == "frac":
            self.take()
            self.enter()
            numerator = self.frac_argument(first=True)
            denominator = self.frac_argument(first=False)
            self.leave()
            if self.peek().kind == "num":  # \frac12 3 is ½·3, not two numbers in a row
                self.tokens.insert(self.k, Token("split", None, self.peek().pos, ""))
                self.k += 1
            return ("prod", (("*", numerator), ("/", denominator)))
        raise self.unexpected(token)

    def group(self) -> Node:
        opener = self.take()
        self.enter()
        self.open.append(opener)
        node = self.expression()
        self.close(opener)
        self.open.pop()
        self.leave()
        return node

    def close(self, opener: Token) -> None:
        token = self.peek()
        if token.kind == "close":
            if token.value != _CLOSER[opener.value]:
                raise ParseError(
                    "mismatched",
                    close=token.text,
                    pos=token.pos + 1,
                    open=opener.value,
                    open_pos=opener.pos + 1,
                )
            self.take()
        elif token.kind == "end":
            raise ParseError("unclosed", open=opener.value, pos=opener.pos + 1)
        else:
            raise self.unexpected(token)

    def log_with_base(self) -> Node:
        """``\\log_{b} x`` and ``log_2(x)``: ln(x)/ln(b)."""
        head = self.take()
        self.enter()
        base = self.expression()
        if self.peek().kind != "logbase_end":
            raise self.unexpected(self.peek())
        self.take()
        self.leave()
        (argument,) = self.call_arguments(Token("func", "ln", head.pos, head.text))
        return ("prod", (("*", ("call", "ln", (argument,))), ("/", ("call", "ln", (base,)))))

    def call(self) -> Node:
        head = self.take()
        token = self.peek()
        index = None
        if head.text.startswith("\\sqrt") and token.kind == "open" and token.value == "[":
            index = self.group()  # the n of \sqrt[n]{x}, up to its closing bracket
            token = self.peek()
        args = self.call_arguments(head)
        want = 1 if head.kind == "func" else (self.arities or {}).get(head.value, len(args))
        if len(args) != want:
            raise ParseError("arity", name=head.text, pos=head.pos + 1, want=want, got=len(args))
        if index is not None:  # the n-th root is the power 1/n
            return ("pow", args[0], ("prod", (("*", num(1)), ("/", index))))
        return ("call" if head.kind == "func" else "ufunc", head.value, tuple(args))

    def call_arguments(self, head: Token) -> list[Node]:
        token = self.peek()
        if token.kind == "open" and not (head.text == "\\sqrt" and token.value == "["):
            self.take()
            self.enter()
            self.open.append(token)
            args = [self.expression()]
            while self.peek().kind == "comma":
                self.take()
                args.append(self.expression())
            self.close(token)
            self.open.pop()
            self.leave()
        elif head.kind == "func" and token.kind in _STARTS_ATOM:
            self.enter()
            args = [self.power()]  # \tanh x, √2: the function takes the next factor
            self.leave()
        else:
            raise ParseError("needs_argument", name=head.text, pos=head.pos + 1)
        return args

    def frac_argument(self, first: bool) -> Node:
        token = self.peek()
        if token.kind == "open" and token.value == "{":
            return self.group()
        if token.kind == "num" and token.text.isdigit() and len(token.text) > 1:
            # TeX gives each argument one token: \frac1234 is 1/2 times 34. Split the digit
            # run and leave the rest to be read after the fraction.
            rest = Token("num", Fraction(int(token.text[1:])), token.pos + 1, token.text[1:])
            self.tokens[self.k] = rest
            return num(int(token.text[0]), token.text[0])
        if token.kind in ("num", "var", "const"):
            return self.atom()
        raise self.unexpected(token)


def parse_answer(text: str, names: Names) -> Node:
    """Parse one scalar answer; raise :class:`ParseError` if it cannot be read.

    >>> try:
    ...     parse_answer("2 3", Names())
    ... except ParseError as error:
    ...     print(error.code, error.params)
    adjacent_numbers {'pos': 3}
    """
    if len(text) > limits.MAX_LENGTH:
        raise ParseError("too_long", length=len(text), limit=limits.MAX_LENGTH)
    if not text.strip():
        raise ParseError("empty")
    arities = None if names.infer else names.function_names
    return _Parser(tokenize(text, names), arities).parse()
