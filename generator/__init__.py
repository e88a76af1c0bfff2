"""新疆职称申报通知指引站的生成器与规则引擎。

Importing this package must stay cheap and free of heavy dependencies: the browser imports
``generator.engine`` from a wheel that contains only this file and the engine.
"""

__version__ = "0.1.0"
