"""Removes comments and docstrings from Python source, keeping the code's meaning exactly.

Used inside Pyodide (the very Python version that will run the files) by ``trace_stdlib.mjs``
to shrink the trimmed standard library. The standard library supports ``python -OO``, which
drops docstrings the same way. A file is changed only when its syntax tree, docstrings aside,
is identical before and after; otherwise the original is kept.
"""

import ast
import io
import tokenize

_BODIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _docstring(node):
    body = getattr(node, "body", None)
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        return body[0]
    return None


def _without_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, *_BODIES)):
            doc = _docstring(node)
            if doc is None:
                continue
            if isinstance(node, ast.Module):
                node.body = node.body[1:]
            else:
                node.body[0] = ast.Expr(ast.Constant(...))
    return tree


def _chars(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


def strip(source: str) -> str:
    """``source`` without comments and docstrings (or unchanged if that cannot be done safely)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    edits = []  # (line, col, end_line, end_col, replacement): 1-based lines, character columns
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, *_BODIES)):
            doc = _docstring(node)
            if doc is not None:
                edits.append(
                    (
                        doc.lineno,
                        _chars(lines[doc.lineno - 1], doc.col_offset),
                        doc.end_lineno,
                        _chars(lines[doc.end_lineno - 1], doc.end_col_offset),
                        "" if isinstance(node, ast.Module) else "...",
                    )
                )
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                edits.append((*tok.start, *tok.end, ""))
    except (tokenize.TokenError, SyntaxError):
        return source
    out = list(lines)
    for row, col, erow, ecol, text in sorted(edits, reverse=True):
        out[row - 1] = out[row - 1][:col] + text + out[erow - 1][ecol:]
        for i in range(row, erow):
            out[i] = ""
    result = "".join(
        line.rstrip() + "\n" if line.endswith("\n") else line for line in "".join(out).splitlines(keepends=True)
    )
    try:
        same = ast.dump(_without_docstrings(ast.parse(source))) == ast.dump(_without_docstrings(ast.parse(result)))
    except SyntaxError:
        return source
    return result if same else source
