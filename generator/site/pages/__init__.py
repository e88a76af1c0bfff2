"""One module per page kind; each has ``produce(ctx) -> Iterable[Artifact]`` and renders its page
templates (``generator/site/templates/``). The plugin calls them in the order of
``generator.site.plugin.PRODUCERS``."""
