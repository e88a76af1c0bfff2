"""The Pagefind index under ``mkdocs serve``, built in the background after each rebuild.

Indexing 200 notices takes several CPU seconds; an editor's reload must not wait for it. The
rebuilt pages are served (and the browser reloaded) at once; the index follows a few seconds
later, at the lowest CPU priority so that it never slows the next rebuild. One indexer thread runs at a time; a rebuild during a run asks for one more run after it.
``make site`` still indexes before the site is swapped into place (generator/site/plugin.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

from generator.errors import UserError

log = logging.getLogger("mkdocs.plugins.zhicheng")


class BackgroundIndexer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Path | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.runs = 0  # finished runs (for tests and the benchmark)

    def request(self, site_dir: Path) -> None:
        with self._lock:
            self._pending = site_dir
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="zc-pagefind", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        from generator.site.pages.search import BUNDLE_DIR, build_index

        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None or self._stopped:
                    self._thread = None
                    return
            try:
                # Written beside the site, then swapped in: the served index is never half-written.
                fresh = site_dir / f".{BUNDLE_DIR}.new"
                old = site_dir / f".{BUNDLE_DIR}.old"
                for stale in (fresh, old):
                    shutil.rmtree(stale, ignore_errors=True)
                build_index(site_dir, fresh, background=True)
                if (site_dir / BUNDLE_DIR).exists():
                    os.rename(site_dir / BUNDLE_DIR, old)
                os.rename(fresh, site_dir / BUNDLE_DIR)
                shutil.rmtree(old, ignore_errors=True)
                self.runs += 1
                log.info("搜索索引（Pagefind）已更新")
            except (UserError, OSError) as err:
                log.warning(f"搜索索引（Pagefind）未能更新：{err}")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._pending = None
