"""Tools for editors: data cases, scaffolding and diffs of notices."""
