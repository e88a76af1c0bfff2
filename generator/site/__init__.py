"""MkDocs integration: the ``zhicheng`` plugin and its page producers."""
