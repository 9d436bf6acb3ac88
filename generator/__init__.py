"""Static comparison site generator for municipal customer-choice systems.

One subpackage per stage, in the order a build runs them: ``ingest`` (load and
validate) -> ``compute`` (indicators, case mix) -> ``protect`` (disclosure
control and its proof) -> ``model`` (the site model) -> ``pages`` (views and
rendering) -> ``outputs`` (open data, charts, search, checks, publish);
``build`` runs them and holds the command line, ``tools`` the synthetic data
and the benchmark. Only ``pages.render`` imports Pelican, whose plugin in
``plugins/`` writes the pages the views describe.
"""

__version__ = "0.1.0"
