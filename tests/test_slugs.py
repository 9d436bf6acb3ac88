"""District slugs: readable in every script, and never one slug for two districts."""

from __future__ import annotations

from generator.slugs import slugify, unique_slugs


def test_names_in_every_script_get_readable_slugs() -> None:
    assert slugify("Nacka centrum") == "nacka-centrum"
    assert slugify("Älta") == "alta"
    assert slugify("Київ") == "kiiv"
    assert slugify("الحي") != slugify("الحى") != "x"
    assert slugify("ሰላም") == "selam"


def test_distinct_names_never_share_a_slug() -> None:
    names = ["Alta", "Älta", "الحي", "الحى", "Nacka centrum", "Nacka Centrum", "Fisksätra"]
    slugs = unique_slugs(names)
    assert len(set(slugs.values())) == len(names)
    # The name written as its slug reads keeps it; a name alone keeps its plain slug.
    assert slugs["Alta"] == "alta" and slugs["Älta"].startswith("alta-")
    assert slugs["Fisksätra"] == "fisksatra"
    # A name's slug does not depend on the other names' order.
    assert unique_slugs(reversed(names)) == slugs
