"""The sample generator: determinism, the data contract, and calibration to the seed report.

Figures are computed here with plain pandas, independently of the project's own
indicator code, so a bug there cannot hide a bug in the sample.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest

from generator.ingest import schema
from generator.tools.sample import write_sample

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data"
REGENERATE = "python -m generator sample --out data --scale small --seed 1"

NACKA_DISTRICTS = {"Fisksätra", "Orminge", "Älta", "Nacka centrum"}
PERSONAL_NUMBER = re.compile(r"\d{6}[-+]?\d{4}|\d{8}-?\d{4}")
SUCCESS = {"work", "studies", "own_business"}
SATISFIED = {"4", "5"}

# The truth behind the small sample (see _SMALL_PROVIDERS in generator/tools/sample.py):
# logit effects on work-or-studies. These two have hard-to-place customers and
# effect ~0, so their raw results are low but as expected for their customers.
AS_EXPECTED_DESPITE_MIX = ("orminge-arbetstraning", "fisksatra-sprakcenter")
TRULY_BETTER = "orminge-jobbcoach"  # +1.1
TRULY_WORSE = "nacka-jobbmatchning"  # -0.6, deauthorised in 2025
TINY = {"kummelnas-coachning", "lannersta-mentor", "tattby-studiestod"}
LOW_SATISFACTION = {"nacka-karriarpartner", "nacka-jobbmatchning"}


def _files(folder: Path) -> dict[str, bytes]:
    """Every generated file by relative path (a folder's README is documentation, and
    the sample's settings.py its municipality's settings, not data)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.relative_to(folder).as_posix() not in ("README.md", "settings.py")
    }


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    write_sample(out, "small", 1)
    return out


@pytest.fixture(scope="module")
def results(small: Path) -> pd.DataFrame:
    frame = _read(small, "results.csv")
    frame["end_year"] = frame["end_date"].str[:4]
    frame["start_year"] = frame["start_date"].str[:4]
    return frame


@pytest.fixture(scope="module")
def ended_2025(results: pd.DataFrame) -> pd.DataFrame:
    return results[results["end_year"] == "2025"]


def _work_or_studies(records: pd.DataFrame) -> pd.Series:
    """Indicator 2 per record: True/False among eligible records only."""
    eligible = records[(records["end_date"] != "") & (records["end_reason"] != "external")
                       & (records["outcome"] != "")]
    return eligible["outcome"].isin(SUCCESS)


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(small: Path, tmp_path: Path) -> None:
    write_sample(tmp_path, "small", 1)
    assert _files(tmp_path) == _files(small)


def test_other_seed_gives_other_data(small: Path, tmp_path: Path) -> None:
    write_sample(tmp_path, "small", 2)
    assert _files(tmp_path)["results.csv"] != _files(small)["results.csv"]


def test_committed_data_is_the_generator_output(small: Path) -> None:
    committed, fresh = _files(COMMITTED), _files(small)
    assert sorted(committed) == sorted(fresh), f"data/ is out of date: run `{REGENERATE}`"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"data/ differs from the generator in {stale}: run `{REGENERATE}`"


def test_rerun_into_same_folder_leaves_no_stale_texts(tmp_path: Path) -> None:
    (tmp_path / "texts" / "old-provider").mkdir(parents=True)
    (tmp_path / "texts" / "old-provider" / "sv.md").write_text("# Old\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("kept\n", encoding="utf-8")
    write_sample(tmp_path, "small", 1)
    assert not (tmp_path / "texts" / "old-provider").exists()
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "kept\n"


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        write_sample(tmp_path, "planet", 1)
    with pytest.raises(ValueError, match="unknown draws"):
        write_sample(tmp_path, "small", 1, "poisson")


def test_binomial_draws_vary_as_real_counts_do(small: Path, results: pd.DataFrame,
                                               tmp_path: Path) -> None:
    """Systematic draws keep each provider-year's successes within one of the
    model; binomial draws scatter them as chance does: across providers their
    spread around the systematic counts is about binomial, never nothing."""
    write_sample(tmp_path, "small", 1, "binomial")
    noisy = _read(tmp_path, "results.csv")
    noisy["end_year"] = noisy["end_date"].str[:4]
    assert _files(tmp_path)["providers.csv"] == _files(small)["providers.csv"]

    def successes(frame: pd.DataFrame) -> pd.Series:
        eligible = frame[(frame["end_date"] != "") & (frame["end_reason"] != "external")
                         & (frame["outcome"] != "")]
        hits = eligible["outcome"].isin(SUCCESS)
        return hits.groupby([eligible["provider_id"], eligible["end_year"]]).agg(["sum", "count"])

    plain, scattered = successes(results), successes(noisy)
    both = plain.add_suffix("_s").join(scattered.add_suffix("_b"), how="inner")
    both = both[both["count_s"] >= 20]
    share = both["sum_s"] / both["count_s"]
    z = (both["sum_b"] / both["count_b"] - share) / (share * (1 - share) / both["count_b"]) ** 0.5
    # Independent draws around the same model: z-scores of spread about 1.
    assert 0.5 < float((z**2).mean()) ** 0.5 < 2.0, z.describe()
    from generator.build.pipeline import check

    check(tmp_path)  # and it is still valid data


# --------------------------------------------------------------------------- format


def test_files_are_plain_utf8_csv_in_schema_order(small: Path) -> None:
    for spec in schema.FILES:
        raw = (small / spec.name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), spec.name
        assert b"\r" not in raw, spec.name
        header = raw.decode("utf-8").split("\n", 1)[0]
        assert header == ",".join(spec.column_names), spec.name


def test_booleans_are_yes_or_no(small: Path, results: pd.DataFrame) -> None:
    premises = _read(small, "premises.csv")
    for column in ("accessible_toilet", "hearing_loop", "quiet_room"):
        assert set(premises[column]) <= {"yes", "no"}
    assert set(premises["step_free_access"]) == {"yes", "no", "partly"}
    for column in ("born_abroad", "disability"):
        assert set(results[column]) == {"yes", "no", ""}


# --------------------------------------------------------------------------- providers


def test_providers(small: Path) -> None:
    providers = _read(small, "providers.csv")
    assert len(providers) == 26
    assert providers["provider_id"].is_unique
    assert providers["provider_id"].str.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}").all()
    assert providers["status"].value_counts().to_dict() == {
        "active": 24, "paused": 1, "deauthorised": 1}
    assert providers["website"].map(lambda u: u == "" or u.startswith("https://")).all()
    assert providers["website"].str.contains(r"\.example/|example\.org", regex=True).sum() > 20
    assert providers["phone"].str.fullmatch(r"(08-\d{3} \d{3} \d{2})?").all()
    for column, codes in (("services", schema.SERVICES), ("employer_sectors", schema.SECTORS)):
        listed = providers[column].str.split(";").explode()
        assert set(listed[listed != ""]) <= set(codes)
    assert (providers["services"] != "").all()
    languages = set(providers["staff_languages"].str.split(";").explode())
    assert {"sv", "en", "ar", "fa", "so", "ti", "uk"} <= languages
    placing = providers["services"].str.contains("praktik|larling|yrkesvux")
    assert (providers.loc[placing, "employer_sectors"] != "").all()


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number.replace("-", "")]
    total = 0
    for i, digit in enumerate(digits):
        product = digit * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def test_org_numbers_are_valid_and_not_personal_numbers(small: Path) -> None:
    numbers = _read(small, "providers.csv")["org_number"]
    assert numbers.str.fullmatch(r"\d{6}-\d{4}").all()
    assert numbers.map(_luhn_ok).all()
    assert (numbers.str[2].astype(int) >= 2).all()  # no birth month: an organisation
    assert numbers.is_unique


def test_premises_are_in_nackas_districts(small: Path) -> None:
    premises = _read(small, "premises.csv")
    providers = _read(small, "providers.csv")
    assert set(premises["district"]) <= NACKA_DISTRICTS
    assert set(premises["provider_id"]) == set(providers["provider_id"])
    assert premises.groupby("provider_id").size().between(1, 2).all()
    assert premises["postcode"].str.fullmatch(r"1[3]\d \d\d").all()
    lat, lon = premises["latitude"].astype(float), premises["longitude"].astype(float)
    assert lat.between(59.2, 59.4).all() and lon.between(18.0, 18.35).all()
    metres = premises["transit_stop_m"].astype(int)
    assert metres.between(50, 900).all()


def test_staff_counts_are_consistent(small: Path) -> None:
    staff = _read(small, "staff.csv")
    head = staff["headcount"].astype(int)
    assert (head >= 1).all()
    assert (staff["with_degree"].astype(int) <= head).all()
    teachers = staff["role"] == "teacher"
    assert (staff.loc[teachers, "certified"].astype(int) <= head[teachers]).all()
    assert (staff.loc[~teachers, "certified"] == "").all()
    assert not staff.duplicated(["provider_id", "year", "role"]).any()
    assert set(staff["year"]) == {"2023", "2024", "2025"}


def test_groups_have_realistic_sizes(small: Path) -> None:
    groups = _read(small, "groups.csv")
    assert not groups.duplicated(["provider_id", "year", "group_ref"]).any()
    size = groups["participants"].astype(int)
    for service, (low, high) in {"sfi": (10, 20), "komvux-gymnasial": (15, 30),
                                 "jobbcoachning": (4, 10)}.items():
        rows = groups["service"] == service
        assert rows.any() and size[rows].between(low, high).all(), service


def test_texts(small: Path) -> None:
    folders = sorted(p for p in (small / "texts").iterdir())
    with_english = [f for f in folders if (f / "en.md").exists()]
    swedish_only = [f for f in folders if {p.name for p in f.iterdir()} == {"sv.md"}]
    assert 18 <= len(with_english) <= 22
    assert len(swedish_only) >= 2
    texts = [p.read_text(encoding="utf-8") for f in folders for p in sorted(f.iterdir())]
    assert all(t.startswith("# ") and t.endswith("\n") for t in texts)
    assert any("](https://example.org" in t for t in texts)
    assert any("*" in t.replace("**", "") for t in texts)
    assert all(p.stem in schema.TEXT_LANGUAGES for f in folders for p in f.iterdir())


# --------------------------------------------------------------------------- results


def test_volume(results: pd.DataFrame) -> None:
    assert 1300 <= len(results) <= 1700
    per_year = results["start_year"].value_counts()
    assert set(per_year.index) == {"2023", "2024", "2025"}
    assert per_year.between(450, 580).all()
    assert results["start_date"].max().startswith("2025-12")
    assert results["end_date"].max().startswith("2025-12")


def test_no_cell_looks_like_a_personal_identity_number(results: pd.DataFrame) -> None:
    assert results["record_id"].is_unique
    for column in schema.RESULTS.column_names:
        hits = results[column].str.contains(PERSONAL_NUMBER)
        assert not hits.any(), (column, results.loc[hits, column].head().tolist())


def test_records_keep_the_validators_rules(small: Path, results: pd.DataFrame) -> None:
    providers = set(_read(small, "providers.csv")["provider_id"])
    assert set(results["provider_id"]) <= providers
    ongoing = results["end_date"] == ""
    assert ((results["end_reason"] == "") == ongoing).all()
    assert (results.loc[~ongoing, "end_date"] >= results.loc[~ongoing, "start_date"]).all()
    for column in ("outcome", "outcome_6m", "satisfaction_end", "grade"):
        assert (results.loc[ongoing, column] == "").all(), column
    assert (results.loc[results["outcome_6m"] != "", "outcome"].isin(SUCCESS)).all()
    graded = {"sfi", "komvux-grund", "komvux-gymnasial", "yrkesvux"}
    assert results.loc[results["grade"] != "", "service"].isin(graded).all()
    assert (results["age_band"] != "").all()
    for column, codes in (("service", schema.SERVICES), ("end_reason", schema.END_REASONS),
                          ("outcome", schema.OUTCOMES), ("outcome_6m", schema.OUTCOMES_6M),
                          ("grade", schema.GRADES), ("age_band", schema.AGE_BANDS),
                          ("gender", schema.GENDERS),
                          ("education_level", schema.EDUCATION_LEVELS),
                          ("satisfaction_4w", ("1", "2", "3", "4", "5")),
                          ("satisfaction_end", ("1", "2", "3", "4", "5"))):
        assert set(results[column]) - {""} <= set(codes), column
    youngest = results[results["age_band"] == "16-19"]
    assert (youngest["service"] == "studieforberedande").mean() > 0.5
    assert (results.loc[results["service"] == "studieforberedande", "age_band"]
            .isin({"16-19", "20-24"})).all()


def test_missingness_is_realistic(results: pd.DataFrame) -> None:
    ended = results[results["end_date"] != ""]
    assert 0.07 <= (results["end_date"] == "").mean() <= 0.13
    assert (results.loc[results["end_date"] == "", "start_date"] >= "2025-01-01").all()
    assert 0.04 <= (ended["end_reason"] == "external").mean() <= 0.08
    not_external = ended[ended["end_reason"] != "external"]
    assert 0.03 <= (not_external["outcome"] == "").mean() <= 0.07
    assert 0.20 <= (ended["satisfaction_end"] == "").mean() <= 0.30
    assert 0.20 <= (results["satisfaction_4w"] == "").mean() <= 0.30
    for column in ("gender", "education_level", "disability", "born_abroad"):
        assert 0.0 < (results[column] == "").mean() < 0.12, column


# --------------------------------------------------------------------------- calibration


def test_satisfaction_2025_matches_the_report(ended_2025: pd.DataFrame,
                                              results: pd.DataFrame) -> None:
    answers = ended_2025.loc[ended_2025["satisfaction_end"] != "", "satisfaction_end"]
    assert 0.70 <= answers.isin(SATISFIED).mean() <= 0.78
    first = results.loc[(results["start_year"] == "2025") & (results["satisfaction_4w"] != ""),
                        "satisfaction_4w"]
    assert 0.71 <= first.isin(SATISFIED).mean() <= 0.79


def test_work_or_studies_2025_matches_the_report(ended_2025: pd.DataFrame) -> None:
    assert 0.72 <= _work_or_studies(ended_2025).mean() <= 0.80


def test_self_sufficiency_and_grades(ended_2025: pd.DataFrame, results: pd.DataFrame) -> None:
    ended = results[results["end_date"] != ""]
    successes = ended[ended["outcome"].isin(SUCCESS) & (ended["outcome_6m"] != "")]
    assert 0.74 <= (successes["outcome_6m"] == "self_sufficient").mean() <= 0.86
    # Nobody ending in the last six months has a six-month follow-up yet.
    assert (ended.loc[ended["end_date"] > "2025-07-01", "outcome_6m"] == "").all()
    grades = ended_2025.loc[ended_2025["grade"] != "", "grade"]
    assert 0.74 <= (grades == "passed").mean() <= 0.86


def _answers_2025(small: Path, ended_2025: pd.DataFrame) -> pd.DataFrame:
    providers = _read(small, "providers.csv")["provider_id"]
    answered = ended_2025[ended_2025["satisfaction_end"] != ""]
    per = answered.groupby("provider_id")["satisfaction_end"].agg(
        answers="size", satisfied=lambda s: s.isin(SATISFIED).mean())
    return per.reindex(providers).fillna({"answers": 0})


def test_three_tiny_providers_have_only_satisfied_customers(
        small: Path, ended_2025: pd.DataFrame) -> None:
    per = _answers_2025(small, ended_2025)
    few = per[per["answers"] <= 8]
    assert set(few.index) == TINY
    assert (few["answers"] >= 1).all() and (few["satisfied"] == 1.0).all()


def test_two_providers_below_40_percent_satisfied(small: Path,
                                                  ended_2025: pd.DataFrame) -> None:
    per = _answers_2025(small, ended_2025)
    low = per[(per["answers"] >= 10) & (per["satisfied"] < 0.40)]
    assert set(low.index) == LOW_SATISFACTION


def test_volumes_are_unequal(results: pd.DataFrame) -> None:
    per_year = results[results["start_year"] == "2025"].groupby("provider_id").size()
    assert per_year.max() >= 40
    assert per_year.sort_values().iloc[:3].between(3, 6).all()
    assert (per_year.sort_values().iloc[3:] >= 15).all()


def _observed_minus_expected(results: pd.DataFrame) -> pd.Series:
    """Indirect standardisation: each record expects its profile cell's all-provider rate."""
    ended = results[(results["end_date"] != "") & (results["end_reason"] != "external")
                    & (results["outcome"] != "")].copy()
    ended["success"] = ended["outcome"].isin(SUCCESS).astype(float)
    cell = ["service", "disability", "education_level", "born_abroad"]
    ended["expected"] = ended.groupby(cell)["success"].transform("mean")
    per = ended.groupby("provider_id")[["success", "expected"]].mean()
    return per["success"] - per["expected"]


def test_outcomes_depend_on_the_customer_profile(results: pd.DataFrame) -> None:
    ended = results[(results["end_date"] != "") & (results["end_reason"] != "external")
                    & (results["outcome"] != "")]
    rate = ended["outcome"].isin(SUCCESS).groupby(ended["disability"]).mean()
    assert rate["yes"] < rate["no"] - 0.05
    # Study-preparation placements are all young people without upper secondary
    # school and do well: leave them out, or they hide the education gradient.
    adults = ended[ended["service"] != "studieforberedande"]
    rate = adults["outcome"].isin(SUCCESS).groupby(adults["education_level"]).mean()
    assert rate["pre_upper_secondary"] < rate["post_secondary"] - 0.05
    rate = ended["outcome"].isin(SUCCESS).groupby(ended["born_abroad"]).mean()
    assert rate["yes"] < rate["no"]


def test_case_mix_explains_hard_to_place_providers(results: pd.DataFrame) -> None:
    """The story the committed sample tells (seed 1); 60 records a provider are noisy, so
    the margins are modest and another seed may not tell it as clearly."""
    pooled = results[(results["end_date"] != "") & (results["end_reason"] != "external")
                     & (results["outcome"] != "")]
    raw = pooled["outcome"].isin(SUCCESS).groupby(pooled["provider_id"]).mean()
    overall = pooled["outcome"].isin(SUCCESS).mean()
    gap = _observed_minus_expected(results)
    for provider in AS_EXPECTED_DESPITE_MIX:
        assert raw[provider] < overall - 0.03, provider  # looks bad on raw figures...
        assert gap[provider] > raw[provider] - overall, provider  # ...better once adjusted
    assert gap[TRULY_BETTER] > 0.02
    assert gap[TRULY_WORSE] < -0.02


# --------------------------------------------------------------------------- other scales


@pytest.mark.slow
def test_city_scale(tmp_path: Path) -> None:
    began = time.perf_counter()
    write_sample(tmp_path, "city", 1)
    assert time.perf_counter() - began < 20
    providers = _read(tmp_path, "providers.csv")
    assert len(providers) == 300 and providers["provider_id"].is_unique
    results = _read(tmp_path, "results.csv")
    assert len(results) == 30_000 and results["record_id"].is_unique
    assert set(results["provider_id"]) <= set(providers["provider_id"])
    assert not results["record_id"].str.contains(PERSONAL_NUMBER).any()
    premises = _read(tmp_path, "premises.csv")
    assert premises["district"].nunique() >= 15
    texts = list((tmp_path / "texts").glob("*/sv.md"))
    assert 100 <= len(texts) <= 200
