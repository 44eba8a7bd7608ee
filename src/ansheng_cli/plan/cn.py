"""Chinese text helpers shared by the core: numerals, 文号, and mechanical tidying."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
NUMERAL_CHARS = "零〇一二三四五六七八九十百"  # a character class body for list numbers
SMALL_NUMBER = r"\d+|[零〇一二两三四五六七八九十]+"  # numbers as deadlines write them
_NAMES = "零一二三四五六七八九"


def cn_int(text: str) -> int:
    """1, 12, 一, 十二, 二十, 两, 一百零一 → int."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        rest = rest.lstrip("零〇")
        return (cn_int(hundreds) if hundreds else 1) * 100 + (cn_int(rest) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return DIGITS.get(tens, 1) * 10 + (DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + DIGITS[ch]
    return value


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 101 → 一百零一 (enough for list numbers)."""
    if n < 10:
        return _NAMES[n]
    if n < 20:
        return "十" + (_NAMES[n - 10] if n > 10 else "")
    if n < 100:
        return _NAMES[n // 10] + "十" + (_NAMES[n % 10] if n % 10 else "")
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _NAMES[rest]
    else:  # 110 → 一百一十: after 百 the tens digit is always said
        tail = _NAMES[rest // 10] + "十" + (_NAMES[rest % 10] if rest % 10 else "")
    return _NAMES[n // 100] + "百" + tail


# 机关代字 + bracketed year + 序号 + 号, with any of the brackets people actually type.
DOC_NO = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,16}?)(?P<open>[〔﹝\[【［(（])(?P<year>(?:19|20)\d{2})"
    r"(?P<close>[〕﹞\]】］)）])(?P<seq>\d+)号"
)

# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) → ASCII; full-width punctuation such as
# （） is correct Chinese typography and is left alone.
_WIDE = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_SPACE = re.compile(r"[\s\u3000]+")


def tidy(text: str) -> str:
    """A unit name or deadline without spaces and with ASCII digits and letters."""
    return _SPACE.sub("", text.translate(_WIDE))
