"""The site's Content-Security-Policy (see docs/dev/SECURITY.md).

``HEADER_POLICY`` is what the web server sends (deploy/nginx.conf, deploy/Caddyfile);
``META_POLICY`` is the same policy minus ``frame-ancestors`` (browsers ignore that directive in
a ``<meta>`` element and log a console error), written into every page by site_overrides/main.html
so the policy also holds where the site is served without the header.

No inline script runs on the site: Material's inline bootstraps are replaced by files
(site_overrides/partials/javascripts/), data for scripts travels in
``<script type="application/json">`` elements (not executed, so not subject to script-src).
'wasm-unsafe-eval' lets the validator's Web Worker compile Pyodide's WebAssembly; it does not
allow eval() or new Function(). Styles come only from files too: no page carries a ``style``
attribute or ``<style>`` element, and scripts set styles through the CSSOM, which style-src allows.
"""

from __future__ import annotations

DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)

# Directives a <meta> policy cannot carry (ignored there, with a console error).
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "sandbox"})

HEADER_POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES)
META_POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES if name not in HEADER_ONLY)
