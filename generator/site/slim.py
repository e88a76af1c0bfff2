"""Our own scripts and style sheets without their comments, as the published site serves them.

The comments in ``site_overrides/assets/javascripts/``, the service worker and our three style sheets explain the code
to maintainers (about 9 KB), but every page downloads them. A full build (not ``mkdocs serve``)
drops them from the copies in the site: whole comment lines and comment blocks that start a line in
JavaScript (our page scripts have no template literals or line continuations, which a line-based
rule could misread — checked here, the file is left as it is otherwise), and every ``/* … */`` in
CSS (no string of ours contains ``/*``). Material's, Pyodide's and vendored files are untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = "assets/javascripts"
WORKERS = ("sw.js",)  # the service worker, at the site root: fetched with the first check page
STYLES = ("assets/stylesheets/site.css", "assets/stylesheets/templates.css", "assets/stylesheets/search.css")
_CSS_COMMENT = re.compile(r"/\*.*?\*/\s*", re.S)


def slim_js(text: str) -> str:
    """``text`` without lines that are only a comment (``//`` lines, ``/* … */`` blocks)."""
    if "`" in text or re.search(r"\\\n", text):
        return text
    out, in_block = [], False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if in_block:
            if "*/" in stripped:
                in_block = False
                if not stripped.endswith("*/"):  # code after the block on its last line: keep all
                    return text
            continue
        if stripped.startswith("//"):
            continue
        if stripped.startswith("/*"):
            if stripped.endswith("*/") and len(stripped) > 3:
                continue
            if "*/" in stripped:
                return text
            in_block = True
            continue
        out.append(line)
    return text if in_block else "".join(out)


def slim_css(text: str) -> str:
    return _CSS_COMMENT.sub("", text)


def slim_site(site_dir: Path, overrides: Path) -> int:
    """Rewrite the site's copies of our scripts and style sheets; return the bytes saved."""
    saved = 0
    ours = [p.relative_to(overrides).as_posix() for p in (overrides / SCRIPTS).rglob("*.js")]
    ours += [name for name in WORKERS if (overrides / name).is_file()]
    for rel, slim in [*((r, slim_js) for r in ours), *((r, slim_css) for r in STYLES)]:
        path = site_dir / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        new = slim(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            saved += len(text.encode()) - len(new.encode())
    return saved
