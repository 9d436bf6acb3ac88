"""Signal wiring: the plugin's one entry point, as Pelican plugins do it."""

from __future__ import annotations

from pelican import signals

from .generators import ComparisonPagesGenerator
from .i18n import install_i18n


def get_generators(_pelican: object) -> type:
    return ComparisonPagesGenerator


def register() -> None:
    signals.generator_init.connect(install_i18n)
    signals.get_generators.connect(get_generators)
