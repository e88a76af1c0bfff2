"""Generated pages' HTML blocks skip Python-Markdown's HTML parsing.

The generated ``.md`` pages (notices, regions, home ...) are Markdown headings around large raw
HTML blocks. Python-Markdown (md_in_html) and MkDocs' anchor scan each run an HTML parser over
all of it, which was the largest cost of a build (about a third at 100 notices), although the
blocks come out unchanged: no block carries ``markdown="1"``, so Markdown never touches their
content (blocks marked ``markdown="0"`` are raw by definition and come out with that attribute). Before conversion each top-level HTML block is therefore replaced by a placeholder
element; after conversion the placeholder is replaced by the block, and the block's ``id``
attributes are added to the page's anchors (which MkDocs checks links against). The headings
stay Markdown, so the table of contents is what it was.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b")
_IDS = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']+)["']|<a\b[^>]*?\sname=["']([^"']+)["']""")
PLACEHOLDER = '<div data-zc-stash="{}"></div>'
PLACEHOLDER_RE = re.compile(r'<div data-zc-stash="(\d+)"></div>')
# markdown="0" asks md_in_html to keep a block as raw HTML (it keeps the attribute in the
# output too), which is what a stashed block is: such blocks are stashed as well.
_RAW = 'markdown="0"'
# Only blocks Python-Markdown treats as raw HTML blocks as a whole.
BLOCK_TAGS = frozenset(
    {
        "div",
        "details",
        "table",
        "ul",
        "ol",
        "dl",
        "p",
        "section",
        "figure",
        "form",
        "script",
        "noscript",
        "nav",
        "aside",
        "blockquote",
        "pre",
    }
)


def _block_end(lines: list[str], start: int, tag: str) -> int | None:
    """Index of the line closing the block opened at ``lines[start]``, or None."""
    depth = 0
    open_re = re.compile(rf"<{tag}\b", re.I)
    close_re = re.compile(rf"</{tag}\s*>", re.I)
    for i in range(start, len(lines)):
        depth += len(open_re.findall(lines[i])) - len(close_re.findall(lines[i]))
        if depth <= 0:
            # The block must end its line, and a blank line (or the end) must follow.
            if not lines[i].rstrip().endswith(">"):
                return None
            if i + 1 < len(lines) and lines[i + 1].strip():
                return None
            return i
    return None


def stash(markdown: str) -> tuple[str, list[str]]:
    """(markdown with placeholders, the blocks in order)."""
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    in_front = lines[:1] == ["---"]
    while i < len(lines):
        line = lines[i]
        if in_front:
            out.append(line)
            if i > 0 and line == "---":
                in_front = False
            i += 1
            continue
        m = _OPEN.match(line)
        starts_block = m and m.group(1).lower() in BLOCK_TAGS and (i == 0 or not lines[i - 1].strip())
        if starts_block and 'markdown=' not in line.replace(_RAW, ""):
            end = _block_end(lines, i, m.group(1))
            if end is not None:
                block = "\n".join(lines[i : end + 1])
                if "markdown=" not in block.replace(_RAW, ""):
                    out.append(PLACEHOLDER.format(len(blocks)))
                    blocks.append(block)
                    i = end + 1
                    continue
        out.append(line)
        i += 1
    return "\n".join(out), blocks


def restore(html: str, blocks: list[str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)


def anchor_ids(blocks: list[str]) -> set[str]:
    return {m.group(1) or m.group(2) for block in blocks for m in _IDS.finditer(block)}
