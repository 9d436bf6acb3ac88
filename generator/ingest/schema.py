"""The data contract as data: files, columns, types and code lists.

Everything that validates input or generates sample data reads the contract
from here, so the rules live in one place. See ``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SERVICES: tuple[str, ...] = (
    "sfi",
    "samhallsorientering",
    "komvux-grund",
    "komvux-gymnasial",
    "yrkesvux",
    "larling",
    "jobbcoachning",
    "praktik",
    "studieforberedande",
    "starta-eget",
)

SECTORS: tuple[str, ...] = (
    "bygg",
    "restaurang",
    "vard-omsorg",
    "transport",
    "handel",
    "it",
    "industri",
    "fastighet-service",
    "utbildning",
    "kultur",
    "offentlig",
)

STATUSES = ("active", "paused", "deauthorised")
LISTED_STATUSES = ("active", "paused")
# Why a provider is paused or deauthorised (providers.csv, status_reason).
STATUS_REASONS = ("provider_request", "full", "quality", "breach_of_contract", "other")
# The municipality's follow-up of a provider (follow_ups.csv), mildest first.
FOLLOW_UP_KINDS = ("quality_dialogue", "follow_up", "action_plan", "warning", "deauthorisation")
FOLLOW_UP_STATUSES = ("open", "closed")
ROLES = ("teacher", "coach")
STEP_FREE = ("yes", "no", "partly")
END_REASONS = ("completed", "dropped_out", "switched_provider", "external")
OUTCOMES = ("work", "studies", "own_business", "none")
SUCCESS_OUTCOMES = ("work", "studies", "own_business")
OUTCOMES_6M = ("self_sufficient", "not_self_sufficient")
GRADES = ("passed", "failed")
AGE_BANDS = ("16-19", "20-24", "25-29", "30-54", "55+")
GENDERS = ("woman", "man", "other")
EDUCATION_LEVELS = ("pre_upper_secondary", "upper_secondary", "post_secondary")

TRUE_WORDS = frozenset({"yes", "ja", "true", "1"})
FALSE_WORDS = frozenset({"no", "nej", "false", "0"})

# Column types understood by the validator:
#   slug, text, orgnr, url, date, bool, int, float, code, codes, langs, postcode
# Upper bounds no real value reaches: a typo or a broken export (999 999 999
# classrooms) is refused at load instead of published. Documented in data/README.md.
PLAUSIBLE = {
    "transit_stop_m": 50_000,  # metres: 50 km to the nearest stop
    "classrooms": 1_000,
    "headcount": 10_000,  # staff of one role at one provider
    "participants": 1_000,  # one teaching group
    "complaints": 10_000,  # about one provider in one year
    "placements": 100_000,  # placements or hires in one sector in one year
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False  # a blank cell is a problem
    codes: tuple[str, ...] = ()  # for code / codes
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    # May be left out of the file altogether (a column added to the contract
    # later): then every cell is blank.
    optional: bool = False


@dataclass(frozen=True)
class FileSpec:
    name: str  # file name inside the data folder
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # unique together
    required: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


PROVIDERS = FileSpec(
    "providers.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("name", "text", required=True, max_length=120),
        Column("org_number", "orgnr", required=True),
        Column("website", "url"),
        Column("email", "email"),
        Column("phone", "text", max_length=40),
        Column("services", "codes", required=True, codes=SERVICES),
        Column("staff_languages", "langs"),
        Column("employer_sectors", "codes", codes=SECTORS),
        Column("authorised_since", "date"),
        Column("status", "code", required=True, codes=STATUSES),
        Column("status_since", "date", optional=True),
        Column("status_reason", "code", codes=STATUS_REASONS, optional=True),
    ),
    key=("provider_id",),
)

PREMISES = FileSpec(
    "premises.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("premises_id", "text", required=True, max_length=64),
        Column("street_address", "text", max_length=200),
        Column("postcode", "postcode"),
        Column("city", "text", max_length=100),
        Column("district", "text", max_length=100),
        Column("latitude", "float", min=-90, max=90),
        Column("longitude", "float", min=-180, max=180),
        Column("step_free_access", "code", codes=STEP_FREE),
        Column("accessible_toilet", "bool"),
        Column("hearing_loop", "bool"),
        Column("quiet_room", "bool"),
        Column("transit_stop_m", "int", min=0, max=PLAUSIBLE["transit_stop_m"]),
        Column("classrooms", "int", min=0, max=PLAUSIBLE["classrooms"]),
        Column("opening_hours", "hours", max_length=200),
    ),
    key=("provider_id", "premises_id"),
)

STAFF = FileSpec(
    "staff.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("year", "int", required=True, min=1990, max=2100),
        Column("role", "code", required=True, codes=ROLES),
        Column("headcount", "int", required=True, min=0, max=PLAUSIBLE["headcount"]),
        Column("with_degree", "int", min=0, max=PLAUSIBLE["headcount"]),
        Column("certified", "int", min=0, max=PLAUSIBLE["headcount"]),
    ),
    key=("provider_id", "year", "role"),
)

GROUPS = FileSpec(
    "groups.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("year", "int", required=True, min=1990, max=2100),
        Column("service", "code", required=True, codes=SERVICES),
        Column("group_ref", "text", required=True, max_length=64),
        Column("participants", "int", required=True, min=1, max=PLAUSIBLE["participants"]),
    ),
    key=("provider_id", "year", "group_ref"),
)

RESULTS = FileSpec(
    "results.csv",
    (
        Column("record_id", "text", required=True, max_length=64),
        Column("provider_id", "slug", required=True),
        Column("service", "code", required=True, codes=SERVICES),
        Column("start_date", "date", required=True),
        Column("end_date", "date"),
        Column("end_reason", "code", codes=END_REASONS),
        Column("outcome", "code", codes=OUTCOMES),
        Column("outcome_6m", "code", codes=OUTCOMES_6M),
        Column("satisfaction_4w", "int", min=1, max=5),
        Column("satisfaction_end", "int", min=1, max=5),
        Column("grade", "code", codes=GRADES),
        Column("age_band", "code", required=True, codes=AGE_BANDS),
        Column("gender", "code", codes=GENDERS),
        Column("born_abroad", "bool"),
        Column("education_level", "code", codes=EDUCATION_LEVELS),
        Column("disability", "bool"),
    ),
    key=("record_id",),
)

# Languages a provider text may be written in: the site's languages.
TEXT_LANGUAGES = ("sv", "en", "ar", "fa", "so", "ti", "uk")
FOLLOW_UP_SUMMARY_LENGTH = 400

FOLLOW_UPS = FileSpec(
    "follow_ups.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("date", "date", required=True),
        Column("kind", "code", required=True, codes=FOLLOW_UP_KINDS),
        Column("status", "code", required=True, codes=FOLLOW_UP_STATUSES),
        # The public summary: Swedish always, other languages where written.
        *(
            Column(
                f"summary_{lang}", "text", required=lang == TEXT_LANGUAGES[0],
                max_length=FOLLOW_UP_SUMMARY_LENGTH, optional=lang != TEXT_LANGUAGES[0],
            )
            for lang in TEXT_LANGUAGES
        ),
    ),
    key=("provider_id", "date", "kind"),
    required=False,
)

# Complaints the municipality received about each provider, per year (optional).
COMPLAINTS = FileSpec(
    "complaints.csv",
    (
        Column("provider_id", "slug", required=True),
        Column("year", "int", required=True, min=1990, max=2100),
        Column("complaints", "int", required=True, min=0, max=PLAUSIBLE["complaints"]),
    ),
    key=("provider_id", "year"),
    required=False,
)

# Work placements and hires the providers arranged with employers, per sector
# and year, all providers together (optional).
PLACEMENTS = FileSpec(
    "employer_placements.csv",
    (
        Column("year", "int", required=True, min=1990, max=2100),
        Column("sector", "code", required=True, codes=SECTORS),
        Column("placements", "int", required=True, min=0, max=PLAUSIBLE["placements"]),
        Column("hires", "int", required=True, min=0, max=PLAUSIBLE["placements"]),
    ),
    key=("year", "sector"),
    required=False,
)

FILES: tuple[FileSpec, ...] = (
    PROVIDERS, PREMISES, STAFF, GROUPS, RESULTS, FOLLOW_UPS, COMPLAINTS, PLACEMENTS,
)
