"""Pelican plugin: turns the computed comparison tables into pages, in every language."""

from .comparison_pages import register

__all__ = ["register"]
