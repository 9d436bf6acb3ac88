"""Static comparison site generator for municipal customer-choice systems.

The pipeline is one module per stage: load -> validate -> indicators ->
disclosure -> publish. Nothing in this package imports Pelican; the
Pelican plugin in ``plugins/`` turns the computed tables into pages.
"""

__version__ = "0.1.0"
