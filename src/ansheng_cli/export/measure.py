"""How wide text prints, for column widths (docx) and row heights (xlsx).

仿宋/仿宋_GB2312 and the CJK fonts LibreOffice falls back to draw every Han character and
full-width punctuation mark one em wide and Latin letters and digits about half an em
(measured: see tests/test_export_render.py). A character's UTF-8 length tells the two apart
without a table lookup: 3-byte characters (CJK, full-width forms, 《》“”—…) take 1 em,
ASCII 0.5 em, the few 2-byte ones (é, ·, ×) 0.75 em.
"""

from __future__ import annotations

import re

# Characters a line may not begin with (GB/T 15834 and Word's defaults): the preceding
# character moves down with them, so a line holds up to one character less.
NO_LINE_START = "，。、；：？！）》」』”’・…—%,.;:?!)]}"
_NO_LINE_START = re.compile(f"[{re.escape(NO_LINE_START)}]")

# Where a title may break: after these (GB/T 9704 7.3.3, 词意完整).
TITLE_BREAKS = ("关于", "的", "、", "，", "和", "与", "及", "》", "年")


def em(text: str) -> float:
    """Printed width in em: CJK 1, ASCII 0.5 (half-width digits and Latin in 仿宋)."""
    return (len(text.encode("utf-8")) + len(text)) / 4


def widest_line(text: str) -> float:
    return max((em(line) for line in text.split("\n")), default=0.0)


def lines(text: str, capacity: float) -> int:
    """Printed lines ``text`` takes in a box ``capacity`` em wide (explicit breaks kept).

    A paragraph needs ceil(width / capacity) lines; a line that would begin with a
    punctuation mark gives up a character (kinsoku), so a paragraph that fills its last
    line to within half an em may need one more."""
    if capacity <= 1:
        return max(1, len(text))
    total = 0
    for line in text.split("\n"):
        width = em(line)
        full, rest = divmod(width, capacity)
        count = int(full) + (1 if rest > 0 else 0)
        if count > 1 and _NO_LINE_START.search(line):
            # each break may be pushed back a character by kinsoku
            count = int(-(-(width + 0.5 * (count - 1)) // capacity))
        total += max(1, count)
    return total


def title_lines(title: str, capacity: float, word: str = "") -> list[str]:
    """A title in lines of at most ``capacity`` em, broken where the words allow: first
    before the trailing ``word`` (任务分工表), then at the most even natural break."""
    if em(title) <= capacity:
        return [title]
    if word and title.endswith(word) and len(title) > len(word):
        head = title[: -len(word)]
        if em(head) <= capacity:
            return [head, word]
        *first, last = title_lines(head, capacity)
        return [*first, last + word] if em(last + word) <= capacity else [*first, last, word]
    best: tuple[float, int] | None = None
    for marker in TITLE_BREAKS:
        start = 0
        while (found := title.find(marker, start)) >= 0:
            cut = found + len(marker)
            start = found + 1
            if 0 < cut < len(title):
                left, right = em(title[:cut]), em(title[cut:])
                if left <= capacity:
                    score = abs(left - right) + (0 if right <= capacity else 1000)
                    if best is None or score < best[0]:
                        best = (score, cut)
    cut = best[1] if best else int(len(title) * min(1.0, capacity / em(title)))
    cut = max(1, cut)
    return [title[:cut], *title_lines(title[cut:], capacity)]
