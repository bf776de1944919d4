"""Diffs an editor can read: paragraph by paragraph, and inside a changed paragraph character by
character (Chinese has no spaces to split words on), grouped into runs. Pure.

A row is (sign, text) with sign "-" removed, "+" added, " " kept, "…" skipped; or ("~", parts)
for a changed paragraph, parts being (op, text) with op "=" kept, "-" removed, "+" added.
"""

from difflib import SequenceMatcher

# Past this many characters on either side a paragraph is shown as removed and added whole:
# a character diff grows with the product of the two lengths.
MAX_CHARACTER_DIFF = 5000
# A kept run this short between two changes reads as noise ("智算" for "算力" is not "+智 =算 -力").
SHORT_KEPT_RUN = 1
CONTEXT = 1


def character_diff(old, new):
    """[(op, text)] turning old into new: kept, removed and added runs of characters."""
    if len(old) > MAX_CHARACTER_DIFF or len(new) > MAX_CHARACTER_DIFF:
        return [part for part in (("-", old), ("+", new)) if part[1]]
    runs = []  # [kept] or [removed, added], in order
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append([old[i1:i2]])
        else:
            runs.append([old[i1:i2], new[j1:j2]])
    return _parts(_fold(runs))


def _fold(runs):
    """Merge a short kept run lying between two changes into one change."""
    folded = []
    for run in runs:
        between_changes = len(run) == 2 and len(folded) >= 2 and len(folded[-2]) == 2
        if between_changes and len(folded[-1]) == 1 and len(folded[-1][0]) <= SHORT_KEPT_RUN:
            short = folded.pop()[0]
            folded[-1] = [folded[-1][0] + short + run[0], folded[-1][1] + short + run[1]]
            continue
        folded.append(run)
    return folded


def _parts(runs):
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(("=", run[0]))
        else:
            parts += [(op, text) for op, text in zip("-+", run, strict=True) if text]
    return parts


def paragraph_diff(old, new):
    """Rows for two texts: changed paragraphs paired and diffed by character, with one kept
    paragraph of context around each change."""
    before, after = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    rows = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        if rows:
            rows.append(("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [(" ", line) for line in before[i1:i2]]
                continue
            removed, added = before[i1:i2], after[j1:j2]
            paired = min(len(removed), len(added)) if tag == "replace" else 0
            for line, other in zip(removed[:paired], added[:paired], strict=True):
                rows.append(("~", character_diff(line, other)))
            rows += [("-", line) for line in removed[paired:]]
            rows += [("+", line) for line in added[paired:]]
    return [row for row in rows if row[1]]  # blank lines between paragraphs say nothing
