"""The municipality's follow-up of providers, as pages show it.

follow_ups.csv (optional) lists quality dialogues, follow-ups, action plans,
warnings and deauthorisations with a date, a status and a short public summary
per language. Pages show a provider's follow-ups newest first, each summary in
the visitor's language where the municipality wrote one, else in Swedish
(marked as Swedish, so a screen reader reads it as such).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from generator.ingest import schema

ACTION_PLAN = "action_plan"


@dataclass(frozen=True)
class FollowUp:
    date: dt.date
    kind: str  # schema.FOLLOW_UP_KINDS
    status: str  # "open" or "closed"
    summaries: tuple[tuple[str, str], ...]  # (lang, text), the default language first

    def summary(self, lang: str) -> tuple[str, str]:
        """The summary in ``lang`` if written, else in the default language:
        (the language it is in, the text)."""
        own = dict(self.summaries)
        return (lang, own[lang]) if lang in own else self.summaries[0]


def follow_ups(frame: pd.DataFrame | None) -> dict[str, tuple[FollowUp, ...]]:
    """Provider id -> its follow-ups, newest first (the mildest first on one day)."""
    if frame is None or frame.empty:
        return {}
    rank = {kind: i for i, kind in enumerate(schema.FOLLOW_UP_KINDS)}
    out: dict[str, list[FollowUp]] = {}
    for row in frame.to_dict("records"):
        summaries = tuple(
            (lang, str(row[f"summary_{lang}"]).strip())
            for lang in schema.TEXT_LANGUAGES
            if not pd.isna(row[f"summary_{lang}"]) and str(row[f"summary_{lang}"]).strip()
        )
        out.setdefault(str(row["provider_id"]), []).append(
            FollowUp(
                date=pd.Timestamp(row["date"]).date(),
                kind=str(row["kind"]),
                status=str(row["status"]),
                summaries=summaries,
            )
        )
    return {
        pid: tuple(sorted(items, key=lambda f: (-f.date.toordinal(), rank[f.kind])))
        for pid, items in out.items()
    }


def under_action_plan(items: tuple[FollowUp, ...]) -> bool:
    """An action plan the municipality has not yet closed."""
    return any(f.kind == ACTION_PLAN and f.status == "open" for f in items)


def complaints(frame: pd.DataFrame | None) -> dict[str, tuple[tuple[int, int], ...]]:
    """Provider id -> (year, complaints received), newest year first."""
    if frame is None or frame.empty:
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault(str(row.provider_id), []).append((int(row.year), int(row.complaints)))
    return {pid: tuple(sorted(items, reverse=True)) for pid, items in out.items()}


@dataclass(frozen=True)
class Placements:
    """Work placements and hires the providers arranged in one sector in one year;
    None where fewer than K (each is a count of people)."""

    sector: str
    placements: int | None
    hires: int | None


def placements(
    frame: pd.DataFrame | None, k: int
) -> tuple[int | None, tuple[Placements, ...]]:
    """The latest year of employer_placements.csv and its rows, in the
    contract's sector order, counts under ``k`` as None; (None, ()) without
    the file."""
    if frame is None or frame.empty:
        return None, ()
    year = int(frame["year"].max())

    def shown(n: int) -> int | None:
        return int(n) if n >= k else None

    rows = {
        str(r.sector): Placements(str(r.sector), shown(r.placements), shown(r.hires))
        for r in frame[frame["year"] == year].itertuples(index=False)
    }
    return year, tuple(rows[s] for s in schema.SECTORS if s in rows)
