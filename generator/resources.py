"""The JSON Schemas, shipped with the package and read through :mod:`importlib.resources`.

In the repository the schemas live in ``schemas/`` (editors' YAML files point at them in their
first line); ``generator/schemas`` links there, and the wheel carries them as package data
(``pyproject.toml``), so ``pip install .`` validates content without a checkout.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path


def schemas_dir() -> Path:
    """The folder holding ``*.schema.json`` (in a checkout: the repository's ``schemas/``)."""
    return Path(str(resources.files("generator").joinpath("schemas"))).resolve()


def load_schema(name: str) -> dict:
    """A schema by file name, e.g. ``applicant.schema.json``, as a dict."""
    return json.loads(resources.files("generator").joinpath("schemas", name).read_text(encoding="utf-8"))
