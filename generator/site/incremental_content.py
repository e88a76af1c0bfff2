"""Content and engine bundle under ``make serve``: after an edit, only the changed files are read,
validated and bundled again (generator/site/incremental.py).

The full loader (``generator.content.load_content``) reads, validates and cross-checks every
file, about 4 ms a notice even with its parse cache — most of a rebuild at 200 notices. Here the
previous build's documents are kept and, when only notice files changed since then:

* the changed and added notices are parsed and validated against their schema;
* the cross-file and semantic checks (generator/content/checks.py) run on all documents, except the
  costly checks that walk every node of a notice and look at nothing but that notice and the
  non-notice files (:data:`LOCAL_CHECKS`): they run on the changed notices only;
* the engine bundle keeps the entries of unchanged notices and builds the others.

Any other change (a template, shared rule, holiday or schema file, a deleted file, a previous
build that failed) loads everything with the full loader. ``make site``, ``make check`` and CI
always use the full loader.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from generator.errors import ContentError

# Checks whose problems about a notice depend only on that notice and the non-notice files
# (every node of the notice is walked: the costly ones). With only notices changed, they run on
# the changed notices (and the non-notice files); every other check runs on all documents.
LOCAL_CHECKS = frozenset({"dates", "urls", "years", "templates-exist", "clauses"})


def _checks(docs: list, fresh: list) -> list:
    """generator.content.checks.run_checks(docs), the local checks only on ``fresh`` notices."""
    from generator.content.checks import CHECKS

    local = fresh + [d for d in docs if d.kind.name != "notices"]
    problems = []
    for name, check in CHECKS:
        subset = local if name in LOCAL_CHECKS else docs
        try:
            problems.extend(list(check(subset)))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            problems.extend(check([d for d in subset if d.valid or d.kind.name != "notices"]))
    return problems


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class ContentState:
    def __init__(self) -> None:
        self.docs: dict[Path, object] = {}  # path -> Doc of the last successful load
        self.stats: dict[Path, tuple[int, int] | None] = {}
        self.others: tuple | None = None  # stats of every non-notice file and the schemas
        self.result: tuple | None = None  # (content, bundle)
        self.full_loads = 0
        self.partial_loads = 0

    def load(self, root: Path, schemas_dir: Path):
        """(content, bundle) of ``root``, as ``load_content`` and ``build_bundle`` give them."""
        from generator.content import load as C

        listing = {kind.name: C._files_of(root / kind.name) for kind in C.KINDS}
        notice_paths = listing["notices"]
        others = tuple((str(p), _stat(p)) for name, paths in listing.items() if name != "notices" for p in paths)
        others += tuple((str(p), _stat(p)) for p in sorted(schemas_dir.glob("*.json")))
        stats = {p: _stat(p) for p in notice_paths}
        if self.result is not None and others == self.others and stats == self.stats:
            return self.result
        partial = (
            self.result is not None and others == self.others and set(self.stats) <= set(stats)
        )  # no notice file deleted
        try:
            if partial:
                changed = [p for p in notice_paths if stats[p] != self.stats.get(p)]
                self.result = self._update(root, schemas_dir, changed)
                self.partial_loads += 1
            else:
                self.result = self._full(root, schemas_dir)
                self.full_loads += 1
        except Exception:
            self.__init__()
            raise
        self.stats, self.others = stats, others
        return self.result

    def _full(self, root: Path, schemas_dir: Path):
        """What ``load_content`` does (keeping the documents), then ``build_bundle``."""
        from generator.content import load as C
        from generator.content.bundle import build_bundle

        collected = C.collect(root, schemas_dir=schemas_dir)
        if collected.problems:
            raise ContentError(collected.problems)
        self.docs = {doc.path: doc for doc in collected.docs}
        return collected.content, build_bundle(collected.content)

    def _update(self, root: Path, schemas_dir: Path, changed: list[Path]):
        from generator.content import load as C
        from generator.content.bundle import build_bundle
        from generator.engine.timeline import round_months

        content, bundle = self.result
        problems = []
        fresh = []
        schema = C.load_schema(C.KIND_BY_NAME["notices"].schema, schemas_dir)
        for path in changed:
            link = C._link_problem(path, root)
            if link is not None:
                problems.append(link)
                continue
            doc = C._parse(C.KIND_BY_NAME["notices"], path, problems)
            if doc is None:
                continue
            C._validate(doc, schema, schemas_dir, problems)
            fresh.append(doc)
        docs = dict(self.docs)
        for doc in fresh:
            docs[doc.path] = doc
        taken = {(p.path, p.line, p.col) for p in problems}
        problems.extend(p for p in _checks(list(docs.values()), fresh) if (p.path, p.line, p.col) not in taken)
        if problems:
            raise ContentError(problems)
        new_content = C._assemble(root, list(docs.values()))
        ids = {str(doc.data.get("id", doc.stem)) for doc in fresh}
        partial = SimpleNamespace(
            notices={i: new_content.notices[i] for i in ids if i in new_content.notices},
            shared_rules=new_content.shared_rules,
            holidays=new_content.holidays,
            files=new_content.files,
            positions=new_content.positions,
        )
        built = build_bundle(partial)
        notices = {**bundle["notices"], **built["notices"]}
        new_bundle = {**bundle, "notices": dict(sorted((k, v) for k, v in notices.items() if k in new_content.notices))}
        new_bundle["round_months"] = round_months(new_bundle["notices"].values())  # over all notices
        self.docs = docs
        return new_content, new_bundle
