"""Assembly of the self-hosted browser runtime: Pyodide core, pinned wheels, the engine wheel.

Nothing here runs in the browser. ``fetch`` downloads the pinned wheels once (``make runtime``);
``assemble`` gathers every file the site serves under ``assets/pyodide/`` and writes the
``pyodide-lock.json`` that Pyodide uses to verify each wheel's sha256.
"""
