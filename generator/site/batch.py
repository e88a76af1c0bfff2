"""The pinned npm libraries of the attachment pages' batch form (site_overrides/assets/javascripts/
batch.js), copied from ``node_modules`` into ``assets/vendor/`` at build time. The form itself is
rendered by :func:`generator.attachments.html.batch_html`."""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import UserError
from generator.site.context import Artifact, SiteContext

VENDOR = (
    # (file in node_modules, path in the site): pinned in package.json / package-lock.json.
    ("fflate/esm/browser.js", "assets/vendor/fflate/browser.js"),
    ("fflate/LICENSE", "assets/vendor/fflate/LICENSE"),
    ("read-excel-file/bundle/read-excel-file.min.js", "assets/vendor/read-excel-file/read-excel-file.min.js"),
    ("read-excel-file/LICENSE", "assets/vendor/read-excel-file/LICENSE"),
)


def vendor_files(ctx: SiteContext) -> Iterable[Artifact]:
    """The browser libraries of the batch form, copied from node_modules (``make runtime``)."""
    for src, dest in VENDOR:
        path = ctx.root / "node_modules" / src
        try:
            yield Artifact(dest, path.read_bytes())
        except FileNotFoundError:
            raise UserError(f"找不到浏览器库 {path}：请先运行 make runtime（npm ci）") from None


__all__ = ["vendor_files", "VENDOR"]
