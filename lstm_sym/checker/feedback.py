"""Every sentence a student can see, in English and Chinese.

Codes are stable identifiers; the checker never builds feedback text anywhere
else, so a new language is one more dict with the same keys.

>>> message("wrong_length", "en", got=3, want=4)
'Your vector has 3 entries, but this question expects 4.'
"""

from __future__ import annotations

from lstm_sym.errors import UserError

EN: dict[str, str] = {
    "correct": "Correct.",
    "incorrect_number": "Not correct: your value is not close enough to the right one.",
    "incorrect_integer": "Not correct: that is not the right whole number.",
    "incorrect_expression": "Not correct: your expression is not equivalent to the right one.",
    "incorrect_vector": "Not correct: {wrong} of {total} entries are wrong (entries {positions}).",
    "incorrect_entries": "Not correct: some entries are wrong.",
    "incorrect_choice": "Not correct: that is not the right choice.",
    "reveal": "The expected answer is {expected}.",
    "empty": "Your answer is empty.",
    "too_long": "Your answer is too long ({length} characters; the limit is {limit}).",
    "too_deep": "Your answer is nested too deeply (more than {limit} levels).",
    "too_complex": "Your answer is too complex to check; please simplify it.",
    "number_too_long": "The number at position {pos} is too long (at most {limit} digits).",
    "unknown_name": "Unknown name '{name}' at position {pos}.",
    "allowed_names": "You may use: {names}.",
    "no_names": "This answer should contain numbers only.",
    "unknown_command": "Unknown LaTeX command '{name}' at position {pos}.",
    "unexpected_char": "Unexpected character '{char}' at position {pos}.",
    "unexpected_token": "Unexpected '{token}' at position {pos}.",
    "unexpected_end": "Your answer ends too early: something is missing at the end.",
    "unclosed": "The '{open}' at position {pos} is never closed.",
    "mismatched": "The '{close}' at position {pos} does not match the '{open}' at position"
    " {open_pos}.",
    "adjacent_numbers": "Two numbers follow each other at position {pos}; put an operator"
    " between them.",
    "needs_argument": "'{name}' at position {pos} needs an argument in brackets.",
    "arity": "'{name}' at position {pos} takes {want} argument(s), but got {got}.",
    "decimal_comma": "Use a decimal point, not a comma (write 0.5, not 0,5).",
    "no_real_value": "Your answer has no real value (for example a division by zero or the"
    " square root of a negative number).",
    "nowhere_defined": "Your expression has no real value for many values of the variables"
    " where the right answer has one.",
    "not_integer": "The answer must be a whole number.",
    "wrong_length": "Your vector has {got} entries, but this question expects {want}.",
    "vector_entry": "Entry {index}: {detail}",
    "unknown_choice": "'{answer}' is not one of the choices; answer with one of: {options}.",
    "unsupported_function": "'{name}' at position {pos} is a function this checker does not"
    " support (it supports σ, exp, tanh, ln, log, sqrt and abs).",
    "sigfigs_written": "Give your answer to {want} significant figures (you wrote {got}).",
    "sigfigs_not_decimal": "Write your answer as a decimal number with {want} significant"
    " figures.",
    "carried": "Correct: follows from your {given}.",
    "carried_part": "Entries that follow from your {given} count as right.",
    "hint_available": "A hint is available: add --hint 1.",
    "internal_error": "This answer could not be checked because of an error in the checker"
    " ({error}); it is marked unreadable so that a teacher looks at it.",
}

# The same problems in a teacher's expression (a key field or --expected): not "your answer".
KEY_EN: dict[str, str] = {
    "empty": "the expression is empty.",
    "too_long": "the expression is too long ({length} characters; the limit is {limit}).",
    "too_deep": "the expression is nested too deeply (more than {limit} levels).",
    "too_complex": "the expression is too complex to evaluate.",
    "unexpected_end": "the expression ends too early: something is missing at the end.",
    "no_real_value": "the expression has no real value (for example a division by zero).",
    "no_names": "the expression should contain numbers only.",
}

ZH: dict[str, str] = {
    "correct": "正确。",
    "incorrect_number": "不正确：你的数值与正确值相差太大。",
    "incorrect_integer": "不正确：这不是正确的整数。",
    "incorrect_expression": "不正确：你的表达式与正确答案不等价。",
    "incorrect_vector": "不正确：{total} 个分量中有 {wrong} 个错误（第 {positions} 个）。",
    "incorrect_entries": "不正确：有些分量是错误的。",
    "incorrect_choice": "不正确：这不是正确的选项。",
    "reveal": "正确答案是 {expected}。",
    "empty": "你的答案是空的。",
    "too_long": "你的答案太长了（{length} 个字符，上限为 {limit}）。",
    "too_deep": "你的答案嵌套层数太多（超过 {limit} 层）。",
    "too_complex": "你的答案太复杂，无法检查；请先化简。",
    "number_too_long": "第 {pos} 个字符处的数字太长（最多 {limit} 位）。",
    "unknown_name": "第 {pos} 个字符处有未知的名称“{name}”。",
    "allowed_names": "可以使用：{names}。",
    "no_names": "这个答案只能包含数字。",
    "unknown_command": "第 {pos} 个字符处有未知的 LaTeX 命令“{name}”。",
    "unexpected_char": "第 {pos} 个字符“{char}”不应出现在这里。",
    "unexpected_token": "第 {pos} 个字符处的“{token}”不应出现在这里。",
    "unexpected_end": "你的答案不完整：结尾处缺少内容。",
    "unclosed": "第 {pos} 个字符处的“{open}”没有闭合。",
    "mismatched": "第 {pos} 个字符处的“{close}”与第 {open_pos} 个字符处的“{open}”不匹配。",
    "adjacent_numbers": "第 {pos} 个字符处两个数字相邻；请在它们之间加上运算符。",
    "needs_argument": "第 {pos} 个字符处的“{name}”需要一个带括号的参数。",
    "arity": "第 {pos} 个字符处的“{name}”需要 {want} 个参数，但给出了 {got} 个。",
    "decimal_comma": "请使用小数点而不是逗号（写 0.5，而不是 0,5）。",
    "no_real_value": "你的答案没有实数值（例如除以零或对负数开平方）。",
    "nowhere_defined": "对于许多变量取值，正确答案有实数值，而你的表达式没有。",
    "not_integer": "答案必须是整数。",
    "wrong_length": "你的向量有 {got} 个分量，但本题需要 {want} 个。",
    "vector_entry": "第 {index} 个分量：{detail}",
    "unknown_choice": "“{answer}”不是选项之一；请从以下选项中选择：{options}。",
    "unsupported_function": "第 {pos} 个字符处的“{name}”是本检查器不支持的函数（支持 σ、exp、tanh、"
    "ln、log、sqrt 和 abs）。",
    "sigfigs_written": "请给出 {want} 位有效数字（你写了 {got} 位）。",
    "sigfigs_not_decimal": "请把答案写成有 {want} 位有效数字的小数。",
    "carried": "正确：由你的 {given} 推出。",
    "carried_part": "由你的 {given} 正确推出的分量算作正确。",
    "hint_available": "有提示可用：加上 --hint 1。",
    "internal_error": "检查器出错（{error}），无法检查这个答案；已标记为无法读取，请老师查看。",
}

MESSAGES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}
LANGUAGES = tuple(MESSAGES)


def check_lang(lang: str) -> str:
    """Return `lang` if we have sentences for it, else raise UserError."""
    if lang not in MESSAGES:
        raise UserError(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def message(code: str, lang: str = "en", **params: object) -> str:
    """The sentence for `code` in `lang`, with `params` filled in.

    >>> message("unexpected_token", "zh", token=")", pos=7)
    '第 7 个字符处的“)”不应出现在这里。'
    """
    return MESSAGES[check_lang(lang)][code].format(**params)


def key_message(code: str, **params: object) -> str:
    """A problem in a teacher's expression, in English (keys are checked before any student).

    >>> key_message("too_deep", limit=100)
    'the expression is nested too deeply (more than 100 levels).'
    """
    if code in KEY_EN:
        return KEY_EN[code].format(**params)
    return message(code, "en", **params)


def join(*sentences: str) -> str:
    """Join sentences with the spacing each language expects."""
    parts = [s for s in sentences if s]
    if not parts:
        return ""
    # Chinese sentences end in a full-width stop and need no space after it.
    out = parts[0]
    for s in parts[1:]:
        out += s if out.endswith(("。", "：")) else " " + s
    return out
