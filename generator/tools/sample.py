"""Synthetic, anonymised sample data in the data contract (``python -m generator sample``).

Scales:

* ``small``: calibrated to Nacka's quality report 2015: 26 providers, about 500
  customers a year over 2023-2025, about 74 % satisfied, about 76 % into work or
  studies, three tiny providers at 100 % satisfaction and two below 40 %. The
  committed ``data/`` folder is ``small`` with seed 1.
* ``city``: 300 providers and about 10,000 records a year over 2023-2025.
* ``national``: 2,000 providers and 1,000,000 records over 2021-2025.

Outcomes come from a logistic model on the customer's profile and service plus a
provider effect, so raw results depend on each provider's customer mix and the
site's case-mix comparison has something real to find. The true provider
effects live only in this module (``_SMALL_PROVIDERS``) and never in the data.

Everything is drawn from numpy Generators seeded from ``seed`` and a fixed label
per part, and nothing depends on today's date, so the same scale and seed give
byte-identical files.
"""

from __future__ import annotations

import contextvars
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from generator.ingest import schema

DATA_END = np.datetime64("2025-12-31", "D")
# Six months after the end must have passed before a follow-up exists.
FOLLOW_UP_DAYS = 183
# The first survey goes out four weeks after the start.
SURVEY_4W_DAYS = 28


@dataclass(frozen=True)
class Scale:
    name: str
    n_providers: int
    years: tuple[int, ...]
    records_per_year: int
    text_share: float  # share of generated providers with texts (small is hand-made)


SCALES: dict[str, Scale] = {
    "small": Scale("small", 26, (2023, 2024, 2025), 500, 0.0),
    "city": Scale("city", 300, (2023, 2024, 2025), 10_000, 0.5),
    "national": Scale("national", 2_000, (2021, 2022, 2023, 2024, 2025), 200_000, 1 / 3),
}

# Targets from the seed quality report, for all providers together.
TARGET_SATISFIED_END = 0.74
TARGET_SATISFIED_4W = 0.75
TARGET_WORK_OR_STUDIES = 0.76
TARGET_SELF_SUFFICIENT = 0.80
TARGET_PASSED = 0.80

# --------------------------------------------------------------------------- services

SERVICE_INDEX = {code: i for i, code in enumerate(schema.SERVICES)}
N_SERVICES = len(schema.SERVICES)


@dataclass(frozen=True)
class ServiceInfo:
    duration: tuple[int, int]  # planned length in days
    age: tuple[float, float, float, float, float]  # P(age band), schema.AGE_BANDS order
    born_abroad: float  # share born abroad before the provider's tilt
    low_edu: float  # share pre_upper_secondary before tilts
    post_share: float  # share post_secondary among the rest
    disability: float
    outcome: float  # logit effect on work-or-studies
    success_split: tuple[float, float, float]  # work, studies, own_business
    graded: bool
    teaching: bool  # staffed by teachers rather than coaches
    group_size: tuple[int, int] | None  # None: individual, no groups
    group_abbr: str
    sv: str
    en: str


SERVICE_INFO: dict[str, ServiceInfo] = {
    "sfi": ServiceInfo(
        (90, 300), (0.02, 0.12, 0.22, 0.54, 0.10), 0.97, 0.40, 0.45, 0.04, -0.3,
        (0.35, 0.63, 0.02), True, True, (10, 20), "SFI",
        "Svenska för invandrare (sfi)", "Swedish for immigrants (SFI)",
    ),
    "samhallsorientering": ServiceInfo(
        (40, 90), (0.02, 0.12, 0.22, 0.54, 0.10), 0.99, 0.40, 0.45, 0.04, -0.4,
        (0.45, 0.53, 0.02), False, True, (8, 20), "SO",
        "Samhällsorientering", "Civic orientation",
    ),
    "komvux-grund": ServiceInfo(
        (90, 270), (0.04, 0.22, 0.22, 0.45, 0.07), 0.70, 0.80, 0.30, 0.07, -0.1,
        (0.25, 0.74, 0.01), True, True, (12, 25), "GRU",
        "Grundläggande vuxenutbildning (komvux)", "Basic adult education (Komvux)",
    ),
    "komvux-gymnasial": ServiceInfo(
        (80, 260), (0.06, 0.40, 0.24, 0.27, 0.03), 0.35, 0.55, 0.12, 0.07, 0.3,
        (0.40, 0.59, 0.01), True, True, (15, 30), "GY",
        "Gymnasial vuxenutbildning (komvux)", "Upper secondary adult education (Komvux)",
    ),
    "yrkesvux": ServiceInfo(
        (110, 300), (0.03, 0.22, 0.22, 0.45, 0.08), 0.45, 0.30, 0.20, 0.07, 0.6,
        (0.85, 0.13, 0.02), True, True, (10, 24), "YRK",
        "Yrkesutbildning för vuxna (yrkesvux)", "Vocational adult education",
    ),
    "larling": ServiceInfo(
        (130, 330), (0.08, 0.35, 0.22, 0.32, 0.03), 0.35, 0.35, 0.10, 0.07, 0.7,
        (0.90, 0.08, 0.02), False, True, None, "LAR",
        "Lärlingsutbildning på en arbetsplats", "Apprenticeship at a workplace",
    ),
    "jobbcoachning": ServiceInfo(
        (50, 180), (0.03, 0.15, 0.17, 0.48, 0.17), 0.45, 0.25, 0.30, 0.15, -0.1,
        (0.82, 0.14, 0.04), False, False, (4, 10), "JC",
        "Jobbcoachning", "Job coaching",
    ),
    "praktik": ServiceInfo(
        (30, 110), (0.08, 0.20, 0.17, 0.43, 0.12), 0.50, 0.30, 0.20, 0.22, 0.1,
        (0.80, 0.18, 0.02), False, False, None, "PR",
        "Praktik på en arbetsplats", "Work placement",
    ),
    "studieforberedande": ServiceInfo(
        (80, 100), (0.90, 0.10, 0.0, 0.0, 0.0), 0.30, 0.95, 0.0, 0.30, 0.8,
        (0.25, 0.75, 0.0), False, False, (4, 8), "SF",
        "Studieförberedande praktik för dig som är 16–19 år",
        "Study-preparation placement for ages 16–19",
    ),
    "starta-eget": ServiceInfo(
        (60, 160), (0.0, 0.05, 0.15, 0.65, 0.15), 0.40, 0.20, 0.35, 0.06, 0.0,
        (0.25, 0.05, 0.70), False, False, (6, 14), "SE",
        "Stöd för att starta eget företag", "Help to start your own business",
    ),
}

# Outcome effects by profile: the report's hard-to-place groups do worse.
AGE_OUTCOME = np.array([0.3, 0.2, 0.1, 0.0, -0.6, 0.0])  # last: unknown (never used)
EDU_OUTCOME = np.array([-0.55, 0.0, 0.35, 0.0])  # pre, upper, post, unknown
ABROAD_OUTCOME = np.array([0.0, -0.45, 0.0])  # no, yes, unknown
DISABILITY_OUTCOME = np.array([0.0, -0.85, 0.0])
REASON_OUTCOME = np.array([0.0, -1.4, -2.0, 0.0])  # completed, dropped_out, switched, external

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "sv": ("svenska", "Swedish"),
    "en": ("engelska", "English"),
    "ar": ("arabiska", "Arabic"),
    "fa": ("persiska", "Persian"),
    "so": ("somaliska", "Somali"),
    "ti": ("tigrinja", "Tigrinya"),
    "uk": ("ukrainska", "Ukrainian"),
    "es": ("spanska", "Spanish"),
    "pl": ("polska", "Polish"),
    "tr": ("turkiska", "Turkish"),
    "ru": ("ryska", "Russian"),
    "fi": ("finska", "Finnish"),
}
# Order in which staff languages are written (sv first, then the rest).
LANGUAGE_ORDER = tuple(LANGUAGE_NAMES)

# Short welcome texts for the site's non-Latin-script and other extra languages.
GENERIC_WELCOME: dict[str, str] = {
    "ar": "مرحباً بك! تواصل معنا لمعرفة المزيد عن خدماتنا.",
    "fa": "خوش آمدید! برای اطلاعات بیشتر درباره خدمات ما با ما تماس بگیرید.",
    "so": "Ku soo dhawoow! Nala soo xiriir si aad wax badan uga ogaato adeegyadayada.",
    "ti": "እንቋዕ ብደሓን መጻእኩም! ብዛዕባ ኣገልግሎታትና ዝያዳ ንምፍላጥ ተወከሱና።",
    "uk": "Ласкаво просимо! Зв’яжіться з нами, щоб дізнатися більше про наші послуги.",
}

# Opening hours as data (generator/ingest/hours.py), one with a note in Swedish.
OPENING_HOURS = (
    'Mo-Fr 08:00-17:00; "Stängt i juli"',
    "Mo-Fr 09:00-16:00",
    "Mo-Th 08:00-18:00; Fr 08:00-15:00",
    "Mo-Fr 08:30-16:30",
    "Mo-Fr 08:00-17:00; Sa 10:00-14:00",
)

# Sectors that fit each kind of vocational or placement work.
SECTOR_HINTS = {
    "vard": ("vard-omsorg",),
    "kock": ("restaurang",),
    "forare": ("transport",),
    "it": ("it",),
    "bygg": ("bygg", "fastighet-service"),
    "handel": ("handel",),
}

# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    district: str
    city: str
    lat: float
    lon: float
    postcodes: tuple[str, ...]
    streets: tuple[str, ...]


# Postal towns as Swedish addresses have them: Fisksätra is in 133 xx Saltsjöbaden,
# Orminge in 132 xx Saltsjö-Boo, Älta in 138 xx Älta, all in Nacka municipality.
NACKA_PLACES: dict[str, Place] = {
    "Fisksätra": Place(
        "Fisksätra", "Saltsjöbaden", 59.2943, 18.2565, ("133 41", "133 42", "133 43"),
        ("Fisksätra torg", "Fisksätravägen", "Fiskarhöjdsvägen", "Sågarvägen"),
    ),
    "Orminge": Place(
        "Orminge", "Saltsjö-Boo", 59.3268, 18.2585, ("132 30", "132 31", "132 32", "132 34"),
        ("Kanholmsvägen", "Edövägen", "Ormingeringen", "Mensättravägen", "Utövägen"),
    ),
    "Älta": Place(
        "Älta", "Älta", 59.2583, 18.1800, ("138 30", "138 31", "138 33", "138 34"),
        ("Ältavägen", "Oxelvägen", "Stensövägen", "Almvägen"),
    ),
    "Nacka centrum": Place(
        "Nacka centrum", "Nacka", 59.3105, 18.1635, ("131 30", "131 31", "131 52", "131 54"),
        ("Vikdalsvägen", "Granitvägen", "Forumvägen", "Järlaleden", "Skvaltans väg"),
    ),
}

# Invented place names for the city and national scales.
CITY_DISTRICTS = (
    "Centrum", "Hamnstaden", "Björkhagen", "Ekbacken", "Lindö", "Granbo", "Sjövik",
    "Tallåsen", "Rönnby", "Ängsdal", "Kvarnbacken", "Solbacka", "Norrby", "Söderåsen",
    "Västerhöjden", "Österäng", "Brobacka", "Furuhöjd", "Stenhaga", "Vassängen",
)
TOWNS = (
    "Storvik", "Norrhamra", "Björkvik", "Sjöhamn", "Granåker", "Älvnäs", "Ekeholm",
    "Lindstad", "Forsvalla", "Hällevika", "Bergsäter", "Åbyhamn", "Tallberga", "Rönnköping",
    "Kvarnsund", "Mossala", "Vikarby", "Sandhamra", "Ängelsta", "Östervalla",
    "Brattvik", "Nyhamra", "Grönköping", "Skogsvalla", "Lövhamra", "Hagsjö", "Fjällnäs",
    "Älvdala", "Backvik", "Strömsholma", "Klippsund", "Norrtuna", "Västerhamra", "Sörvalla",
    "Holmsvik", "Ljungvalla", "Åselby", "Furuhamra", "Mörsjö", "Vallsäter",
)
STREET_WORDS = (
    "Storgatan", "Kyrkogatan", "Skolvägen", "Industrivägen", "Järnvägsgatan",
    "Parkvägen", "Torggatan", "Hamngatan", "Björkvägen", "Bruksgatan", "Åvägen",
    "Drottninggatan", "Stationsvägen", "Verkstadsgatan",
)
SURNAMES = (
    "Andersson", "Berg", "Lind", "Holm", "Ek", "Lund", "Sjöberg", "Nyström", "Wallin",
    "Dahl", "Forsberg", "Hedlund", "Sandberg", "Lundqvist", "Engström", "Strand",
    "Nordin", "Björk", "Öberg", "Åkesson", "Hassan", "Yilmaz", "Nowak", "Haddad",
    "Ali", "Mohammadi", "Kowalski", "Tesfaye", "Warsame", "Kovalenko",
)

# --------------------------------------------------------------------------- providers


@dataclass
class Provider:
    pid: str
    name: str
    services: tuple[str, ...]  # the first is the main service
    size: float  # small: customers a year; generated: a relative weight
    places: tuple[Place, ...]
    status: str = "active"
    sat_effect: float = 0.0  # logit effect on satisfaction
    outcome_effect: float = 0.0  # logit effect on work-or-studies: the true provider effect
    tilt_abroad: float = 0.0  # customer mix, as logit shifts
    tilt_low_edu: float = 0.0
    tilt_disability: float = 0.0
    tiny: bool = False
    languages: tuple[str, ...] = ()  # beyond Swedish
    sectors: tuple[str, ...] = ()
    text_langs: tuple[str, ...] = ()
    tagline_sv: str = ""
    tagline_en: str = ""
    extra_sv: str = ""  # optional Markdown after the list
    extra_en: str = ""
    website: bool = True
    authorised_day: int = 0  # days since 1970
    phone: str = ""
    org_number: str = ""


LOW_SATISFACTION = -2.6  # about a quarter satisfied: the report's "below 40 %"
TINY_SATISFACTION = 9.0  # practically always 4 or 5, as the report's three small ones

# The Nacka providers. Effects are the truth the site should recover: outcome
# effects 0 for the two providers with hard-to-place customers (Fisksätra
# Språkcenter, Orminge Arbetsträning) mean "as expected" despite low raw results;
# Orminge Jobbcoach is truly better, Nacka Jobbmatchning truly worse.
# (pid, name, services, size, districts, status, sat, outcome, tilts abroad/edu/dis,
#  texts, tagline sv, tagline en)
_SMALL_PROVIDERS: tuple[tuple, ...] = (
    ("nacka-karriarpartner", "Nacka Karriärpartner AB",
     ("jobbcoachning", "praktik", "starta-eget"), 46, ("Nacka centrum", "Orminge"), "active",
     LOW_SATISFACTION, -0.3, (0.0, 0.0, 0.0), ("sv", "en"),
     "Vi lovar att hitta rätt jobb åt dig – snabbt.",
     "We promise to find the right job for you – fast."),
    ("nacka-sfi-center", "Nacka SFI-center AB",
     ("sfi", "samhallsorientering"), 38, ("Nacka centrum", "Fisksätra"), "active",
     0.2, 0.0, (0.0, 0.2, 0.0), ("sv", "en", "ar", "so"),
     "Hos oss lär du dig svenska i små grupper, på dagtid eller kvällstid.",
     "Learn Swedish with us in small groups, in the daytime or in the evening."),
    ("saltsjo-yrkesakademi", "Saltsjö Yrkesakademi AB",
     ("yrkesvux", "larling", "komvux-gymnasial"), 30, ("Nacka centrum",), "active",
     0.3, 0.3, (0.0, 0.0, 0.0), ("sv", "en"),
     "Vi utbildar för yrken där arbetsgivarna behöver folk, tillsammans med företag i Nacka.",
     "We train people for jobs that employers need to fill, together with companies in Nacka."),
    ("sickla-vuxenutbildning", "Sickla Vuxenutbildning AB",
     ("komvux-gymnasial", "komvux-grund"), 26, ("Nacka centrum",), "active",
     0.0, 0.1, (0.0, 0.0, 0.0), ("sv", "en"),
     "Läs in grundskolan eller gymnasiet i din egen takt.",
     "Complete compulsory or upper secondary school at your own pace."),
    ("fisksatra-sprakcenter", "Fisksätra Språkcenter AB",
     ("sfi", "komvux-grund", "samhallsorientering"), 24, ("Fisksätra",), "active",
     0.4, 0.0, (1.0, 0.9, 0.3), ("sv", "en", "ar", "fa", "so", "ti", "uk"),
     "Vi finns mitt i Fisksätra och har lärare som talar många språk.",
     "We are in the middle of Fisksätra and our teachers speak many languages."),
    ("orminge-jobbcoach", "Orminge Jobbcoach AB",
     ("jobbcoachning", "praktik"), 22, ("Orminge",), "active",
     0.3, 1.1, (0.0, 0.0, 0.0), ("sv", "en"),
     "En coach hjälper dig med cv, ansökningar och kontakter med arbetsgivare.",
     "A coach helps you with your CV, applications and contacts with employers."),
    ("orminge-arbetstraning", "Orminge Arbetsträning AB",
     ("praktik", "jobbcoachning"), 20, ("Orminge",), "active",
     0.5, 0.0, (0.5, 0.8, 2.5), ("sv", "en"),
     "Vi tar emot dig som behöver mer tid och stöd för att komma tillbaka till arbete.",
     "We welcome you if you need more time and support to get back to work."),
    ("nacka-jobbmatchning", "Nacka Jobbmatchning AB",
     ("jobbcoachning", "praktik"), 24, ("Nacka centrum",), "deauthorised",
     LOW_SATISFACTION, -0.6, (0.0, 0.0, 0.0), ("sv",),
     "Vi matchar dig mot lediga jobb.", ""),
    ("alta-vagledning", "Älta Vägledning AB",
     ("jobbcoachning", "studieforberedande"), 20, ("Älta",), "active",
     0.2, 0.0, (0.0, 0.0, 0.3), ("sv", "en"),
     "Vi hjälper dig att hitta vägen till jobb eller studier.",
     "We help you find your way to a job or to studies."),
    ("fisksatra-ungdomsstod", "Fisksätra Ungdomsstöd AB",
     ("studieforberedande", "praktik"), 20, ("Fisksätra",), "active",
     0.1, 0.0, (0.0, 0.0, 0.6), ("sv", "en"),
     "För dig mellan 16 och 19 år som vill tillbaka till skolan eller ut i jobb.",
     "For young people aged 16 to 19 who want to go back to school or find a job."),
    ("nacka-foretagsstart", "Nacka Företagsstart AB",
     ("starta-eget", "jobbcoachning"), 20, ("Nacka centrum",), "active",
     0.2, 0.0, (0.0, 0.0, 0.0), ("sv", "en"),
     "Har du en affärsidé? Vi hjälper dig från idé till eget företag.",
     "Do you have a business idea? We help you from idea to your own business."),
    ("vikdalens-larlingscenter", "Vikdalens Lärlingscenter AB",
     ("larling", "yrkesvux"), 20, ("Nacka centrum",), "active",
     0.0, 0.2, (0.0, 0.0, 0.0), ("sv",),
     "Lär dig ett yrke på riktigt, ute på en arbetsplats med en handledare.", ""),
    ("alta-sprakstudio", "Älta Språkstudio AB",
     ("sfi", "samhallsorientering"), 21, ("Älta",), "active",
     0.1, 0.0, (0.0, 0.0, 0.0), ("sv", "en"),
     "Sfi med fokus på vardagssvenska och arbetslivet.",
     "SFI with a focus on everyday Swedish and working life."),
    ("boo-kompetens", "Boo Kompetens AB",
     ("komvux-gymnasial", "yrkesvux"), 20, ("Orminge",), "active",
     -0.1, 0.0, (0.0, 0.0, 0.0), ("sv", "en"),
     "Gymnasiekurser och yrkesutbildning nära dig i Boo.",
     "Upper secondary courses and vocational training close to you in Boo."),
    ("jarla-vardutbildning", "Järla Vårdutbildning AB",
     ("yrkesvux", "larling"), 20, ("Nacka centrum",), "active",
     0.3, 0.3, (0.0, 0.0, 0.0), ("sv", "en"),
     "Bli undersköterska eller vårdbiträde. Många av våra elever får jobb direkt.",
     "Become an assistant nurse or care assistant. Many of our students get a job at once."),
    ("nacka-kockskola", "Nacka Kockskola AB",
     ("yrkesvux", "larling"), 20, ("Nacka centrum",), "paused",
     0.0, 0.0, (0.0, 0.0, 0.0), ("sv", "en"),
     "Utbildning till kock och restaurangbiträde i ett riktigt restaurangkök.",
     "Training to become a cook or kitchen assistant, in a real restaurant kitchen."),
    ("orminge-sprakhus", "Orminge Språkhus AB",
     ("sfi",), 21, ("Orminge",), "active",
     0.1, 0.0, (0.0, 0.3, 0.0), ("sv", "en"),
     "Sfi i Orminge centrum, med läxhjälp två kvällar i veckan.",
     "SFI in Orminge centre, with homework help two evenings a week."),
    ("alta-jobbcenter", "Älta Jobbcenter AB",
     ("jobbcoachning", "praktik"), 20, ("Älta",), "active",
     0.0, -0.1, (0.0, 0.0, 0.0), ("sv", "en"),
     "Vi har kontakter med arbetsgivare i hela Stockholmsområdet.",
     "We have contacts with employers across the Stockholm area."),
    ("nacka-it-akademin", "Nacka IT-akademin AB",
     ("yrkesvux", "komvux-gymnasial"), 20, ("Nacka centrum",), "active",
     0.2, 0.1, (0.0, -0.3, 0.0), ("sv", "en"),
     "Yrkesutbildningar inom it-support, programmering och nätverk.",
     "Vocational courses in IT support, programming and networks."),
    ("sickla-forarutbildning", "Sickla Förarutbildning AB",
     ("yrkesvux", "larling"), 20, ("Nacka centrum",), "active",
     0.1, 0.2, (0.0, 0.0, 0.0), ("sv",),
     "Utbildning till lastbils- och bussförare med körkort som ingår.", ""),
    ("praktikplatsen-fisksatra", "Praktikplatsen Fisksätra AB",
     ("praktik", "studieforberedande"), 20, ("Fisksätra",), "active",
     0.1, 0.0, (0.3, 0.2, 0.0), ("sv", "en"),
     "Vi ordnar praktik i butiker, kök och fastighetsskötsel nära dig.",
     "We arrange work placements in shops, kitchens and property maintenance near you."),
    ("nackaporten-vagledning", "Nackaporten Vägledning AB",
     ("jobbcoachning", "samhallsorientering"), 20, ("Nacka centrum", "Älta"), "active",
     0.0, 0.0, (0.3, 0.0, 0.0), ("sv", "en"),
     "Vägledning och coachning för dig som är ny i Sverige.",
     "Guidance and coaching if you are new in Sweden."),
    ("duvnas-handelsutbildning", "Duvnäs Handelsutbildning AB",
     ("yrkesvux", "praktik"), 20, ("Orminge",), "active",
     0.0, 0.0, (0.0, 0.0, 0.0), ("sv", "en"),
     "Utbildning inom handel och lager, med praktik hos våra partnerföretag.",
     "Training in retail and warehouse work, with a placement at our partner companies."),
    ("kummelnas-coachning", "Kummelnäs Coachning AB",
     ("jobbcoachning",), 0, ("Orminge",), "active",
     TINY_SATISFACTION, 0.3, (0.0, 0.0, 0.0), (),
     "", ""),
    ("lannersta-mentor", "Lännersta Mentor AB",
     ("starta-eget", "jobbcoachning"), 0, ("Orminge",), "active",
     TINY_SATISFACTION, 0.3, (0.0, 0.0, 0.0), ("sv",),
     "Erfarna företagare blir mentorer för dig som vill starta eget.", ""),
    ("tattby-studiestod", "Tattby Studiestöd AB",
     ("studieforberedande",), 0, ("Fisksätra",), "active",
     TINY_SATISFACTION, 0.3, (0.0, 0.0, 0.5), (),
     "", ""),
)

# Extra Markdown for two providers, so the site's Markdown handling has links and emphasis.
_SMALL_EXTRAS: dict[str, tuple[str, str]] = {
    "nacka-sfi-center": (
        "Läs mer om kurstider på [vår webbplats](https://example.org/nacka-sfi-center). "
        "*Nya grupper startar varje månad.*",
        "Read more about course times on [our website](https://example.org/nacka-sfi-center). "
        "*New groups start every month.*",
    ),
    "saltsjo-yrkesakademi": (
        "**Tips:** kom på en öppen visning i vår verkstad, första tisdagen varje månad.",
        "**Tip:** come to an open day in our workshop, the first Tuesday of every month.",
    ),
}

# Kinds of provider for generated names: name word, services (main first),
# optional services, sector hint, disability tilt.
_ARCHETYPES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str, float], ...] = (
    ("Språkcenter", ("sfi", "samhallsorientering"), ("komvux-grund",), "", 0.0),
    ("Språkhus", ("sfi",), ("samhallsorientering",), "", 0.0),
    ("Språkskola", ("sfi", "komvux-grund"), ("samhallsorientering",), "", 0.0),
    ("Vuxenutbildning", ("komvux-gymnasial", "komvux-grund"), ("sfi",), "", 0.0),
    ("Lärcenter", ("komvux-grund", "komvux-gymnasial"), ("yrkesvux",), "", 0.0),
    ("Studiecenter", ("komvux-gymnasial",), ("komvux-grund", "studieforberedande"), "", 0.0),
    ("Yrkesakademi", ("yrkesvux", "larling"), ("komvux-gymnasial",), "", 0.0),
    ("Yrkesutbildning", ("yrkesvux",), ("larling", "praktik"), "", 0.0),
    ("Lärlingscenter", ("larling", "yrkesvux"), (), "bygg", 0.0),
    ("Vårdutbildning", ("yrkesvux", "larling"), (), "vard", 0.0),
    ("Kockskola", ("yrkesvux", "larling"), (), "kock", 0.0),
    ("Förarutbildning", ("yrkesvux",), ("larling",), "forare", 0.0),
    ("IT-akademi", ("yrkesvux",), ("komvux-gymnasial",), "it", 0.0),
    ("Byggskola", ("yrkesvux", "larling"), (), "bygg", 0.0),
    ("Jobbcoach", ("jobbcoachning",), ("praktik", "starta-eget"), "", 0.0),
    ("Jobbcenter", ("jobbcoachning", "praktik"), (), "", 0.0),
    ("Karriärpartner", ("jobbcoachning", "praktik"), ("starta-eget",), "", 0.0),
    ("Jobbmatchning", ("jobbcoachning",), ("praktik",), "", 0.0),
    ("Kompetens", ("jobbcoachning", "praktik"), ("yrkesvux",), "", 0.0),
    ("Arbetsträning", ("praktik", "jobbcoachning"), (), "", 2.0),
    ("Ungdomsstöd", ("studieforberedande", "praktik"), (), "", 0.6),
    ("Företagsstart", ("starta-eget",), ("jobbcoachning",), "", 0.0),
    ("Vägledning", ("jobbcoachning",), ("samhallsorientering", "studieforberedande"), "", 0.0),
)

_ARCHETYPE_TAGLINES: dict[str, tuple[str, str]] = {
    "sfi": ("Hos oss lär du dig svenska för vardagen och arbetslivet.",
            "Learn Swedish for everyday life and work with us."),
    "samhallsorientering": ("Vi hjälper dig att förstå hur samhället fungerar.",
                            "We help you understand how Swedish society works."),
    "komvux-grund": ("Läs in grundskolans kurser i din egen takt.",
                     "Complete compulsory school courses at your own pace."),
    "komvux-gymnasial": ("Läs gymnasiekurser för att kunna jobba eller studera vidare.",
                         "Take upper secondary courses so you can work or study further."),
    "yrkesvux": ("Vi utbildar för yrken där arbetsgivarna behöver folk.",
                 "We train people for jobs that employers need to fill."),
    "larling": ("Lär dig ett yrke ute på en arbetsplats, med en handledare.",
                "Learn a trade at a workplace, with a supervisor."),
    "jobbcoachning": ("En coach hjälper dig med cv, ansökningar och intervjuer.",
                      "A coach helps you with your CV, applications and interviews."),
    "praktik": ("Vi ordnar praktik hos arbetsgivare nära dig.",
                "We arrange work placements with employers near you."),
    "studieforberedande": ("För dig mellan 16 och 19 år som vill tillbaka till skolan.",
                           "For young people aged 16 to 19 who want to go back to school."),
    "starta-eget": ("Vi hjälper dig från affärsidé till eget företag.",
                    "We help you from business idea to your own business."),
}

# --------------------------------------------------------------------------- helpers


def _rng(seed: int, part: str) -> np.random.Generator:
    """An independent stream per part, so changing one part leaves the others as they were."""
    return np.random.default_rng([seed, zlib.crc32(part.encode("utf-8"))])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float | np.ndarray) -> float | np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _calibrate(linear: np.ndarray, mask: np.ndarray, target: float) -> float:
    """The intercept that makes the mean modelled probability over ``mask`` equal ``target``.

    Calibrating on the generated customers (not on assumed averages) keeps every
    scale near the report's figures whatever its provider and customer mix.
    """
    values = linear[mask]
    if values.size == 0:
        return float(_logit(target))
    low, high = -15.0, 15.0
    for _ in range(60):
        middle = (low + high) / 2
        if _sigmoid(values + middle).mean() < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _categorical(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One category per record, drawn from row ``rows[i]`` of a probability table.

    Vectorised inverse-CDF: each row's cumulative probabilities are offset by the
    row number and flattened, so one searchsorted serves every record.
    """
    table = np.asarray(table, dtype=float)
    n_rows, n_cols = table.shape
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    flat = (cumulative + np.arange(n_rows)[:, None]).ravel()
    u = rng.random(rows.size)
    index = np.searchsorted(flat, rows + u, side="right") - rows * n_cols
    return np.minimum(index, n_cols - 1)


# How yes/no outcomes are drawn: "systematic" (the default, and the committed
# sample) keeps every count within one of expected, "binomial" draws each record
# on its own, with the spread of real data. A context variable rather than a
# parameter through every drawing function: it is one choice for a whole run.
DRAWS = ("systematic", "binomial")
_DRAWS: contextvars.ContextVar[str] = contextvars.ContextVar("draws", default="systematic")


def _bernoulli(rng: np.random.Generator, p: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """Draws with probability ``p`` whose count in each stratum is within one of expected.

    Systematic sampling along a random order inside each stratum: every record
    keeps its own probability, but a year's total cannot drift far from the model
    by chance, so a small data set still matches the report it is calibrated to.
    Records with a negative stratum are drawn too, apart from the rest. With
    binomial draws each record is drawn on its own: counts vary as real ones
    do, which is what a reviewer of the statistics wants to see.
    """
    if _DRAWS.get() == "binomial":
        return rng.random(p.size) < np.clip(p, 0.0, 1.0)
    order = np.lexsort((rng.random(p.size), strata))
    cumulative = np.cumsum(np.clip(p, 0.0, 1.0)[order])
    offset = rng.random()
    hits = np.diff(np.floor(np.concatenate(([0.0], cumulative)) + offset)) > 0
    drawn = np.empty(p.size, dtype=bool)
    drawn[order] = hits
    return drawn


def _year(days: np.ndarray) -> np.ndarray:
    """Calendar year of day numbers; -1 (no date) gives -1."""
    years = (np.datetime64(0, "D") + np.maximum(days, 0)).astype("datetime64[Y]")
    return np.where(days >= 0, years.astype(np.int64) + 1970, -1)


def _blank_some(rng: np.random.Generator, codes: np.ndarray, share: float) -> np.ndarray:
    """Mark a share of codes unknown (-1), as real registers have gaps."""
    return np.where(rng.random(codes.size) < share, -1, codes)


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "&": " och "})
    text = text.lower().translate(table)
    if text.endswith(" ab"):
        text = text[:-3]
    chars = [c if c.isascii() and c.isalnum() else "-" for c in text]
    return "-".join(part for part in "".join(chars).split("-") if part)[:63]


def _org_number(body: str) -> str:
    """``NNNNNN-NNNN`` with the Luhn check digit the Swedish Tax Agency uses."""
    total = 0
    for i, char in enumerate(body):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"


def _org_numbers(rng: np.random.Generator, n: int) -> list[str]:
    # 556/559: aktiebolag. The third digit >= 2 keeps them apart from personal numbers.
    tails = rng.choice(1_000_000, size=n, replace=False)
    prefixes = rng.choice(np.array(["556", "559"]), size=n, p=[0.7, 0.3])
    return [_org_number(f"{p}{t:06d}") for p, t in zip(prefixes, tails, strict=True)]


def _phone(rng: np.random.Generator) -> str:
    # 08-465 004 00-99: the range Swedish telecom regulator PTS reserves for fiction.
    return f"08-465 004 {int(rng.integers(0, 100)):02d}"


def _join(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _days(date: str) -> int:
    return int(np.datetime64(date, "D").astype(np.int64))


def _date_string(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


# --------------------------------------------------------------------------- provider plans


def _small_providers(seed: int) -> list[Provider]:
    rng = _rng(seed, "providers")
    providers = []
    for row in _SMALL_PROVIDERS:
        (pid, name, services, size, districts, status, sat, outcome, tilts, texts,
         tagline_sv, tagline_en) = row
        extra_sv, extra_en = _SMALL_EXTRAS.get(pid, ("", ""))
        providers.append(
            Provider(
                pid=pid, name=name, services=services, size=size,
                places=tuple(NACKA_PLACES[d] for d in districts), status=status,
                sat_effect=sat, outcome_effect=outcome, tilt_abroad=tilts[0],
                tilt_low_edu=tilts[1], tilt_disability=tilts[2], tiny=size == 0,
                text_langs=texts, tagline_sv=tagline_sv, tagline_en=tagline_en,
                extra_sv=extra_sv, extra_en=extra_en,
            )
        )
    for provider, number in zip(providers, _org_numbers(rng, len(providers)), strict=True):
        provider.org_number = number
        _fill_contact_details(rng, provider, hint=_sector_hint_from_name(provider.name))
    return providers


def _sector_hint_from_name(name: str) -> str:
    for word, hint in (("Vård", "vard"), ("Kock", "kock"), ("Förar", "forare"),
                       ("IT-", "it"), ("Lärling", "bygg"), ("Handel", "handel")):
        if word in name:
            return hint
    return ""


def _fill_contact_details(rng: np.random.Generator, provider: Provider, hint: str) -> None:
    """Languages, sectors, dates and contact details: the parts that need no hand-tuning."""
    # A provider that writes in a language can also serve customers in it.
    drawn = set(_staff_languages(rng, provider.services)) | set(provider.text_langs)
    provider.languages = tuple(lang for lang in LANGUAGE_ORDER if lang in drawn and lang != "sv")
    provider.sectors = _sectors(rng, provider.services, hint)
    # Authorised before the data begins, so every year has a full set of providers.
    provider.authorised_day = int(rng.integers(_days("2011-01-10"), _days("2022-06-30")))
    provider.website = provider.tiny is False or rng.random() < 0.5
    provider.phone = _phone(rng)


def _staff_languages(rng: np.random.Generator, services: tuple[str, ...]) -> tuple[str, ...]:
    newcomers = any(s in services for s in ("sfi", "samhallsorientering", "komvux-grund"))
    chances = {
        "en": 0.9, "ar": 0.7 if newcomers else 0.3, "fa": 0.5 if newcomers else 0.15,
        "so": 0.5 if newcomers else 0.15, "ti": 0.4 if newcomers else 0.08,
        "uk": 0.4 if newcomers else 0.15, "es": 0.1, "pl": 0.1, "tr": 0.1, "ru": 0.06,
        "fi": 0.05,
    }
    draws = rng.random(len(chances))
    return tuple(lang for (lang, p), u in zip(chances.items(), draws, strict=True) if u < p)


def _sectors(rng: np.random.Generator, services: tuple[str, ...], hint: str) -> tuple[str, ...]:
    """Employer partnerships, only where customers are placed with employers."""
    if not any(s in services for s in ("praktik", "larling", "yrkesvux", "studieforberedande")):
        return ()
    chosen = set(SECTOR_HINTS.get(hint, ()))
    pool = ("handel", "restaurang", "vard-omsorg", "fastighet-service", "bygg", "transport",
            "industri", "it", "utbildning", "kultur", "offentlig")
    weights = np.array([6, 5, 5, 4, 4, 3, 2, 2, 2, 1, 2], dtype=float)
    extra = int(rng.integers(0 if chosen else 1, 4))
    picks = rng.choice(len(pool), size=extra, replace=False, p=weights / weights.sum())
    chosen.update(pool[i] for i in picks)
    return tuple(s for s in schema.SECTORS if s in chosen)


def _generated_places(rng: np.random.Generator, spec: Scale) -> dict[str, list[Place]]:
    """Towns and their districts: one town for ``city``, many for ``national``."""
    if spec.name == "city":
        towns = {"Storvik": (59.33, 18.07)}
    else:
        lats = rng.uniform(55.6, 65.8, len(TOWNS))
        # Sweden narrows and leans east going north: a rough shape is enough.
        lons = rng.uniform(12.6, 16.5, len(TOWNS)) + (lats - 55.6) * 0.45
        towns = {t: (float(a), float(o)) for t, a, o in zip(TOWNS, lats, lons, strict=True)}
    places: dict[str, list[Place]] = {}
    for town, (lat, lon) in towns.items():
        if spec.name == "city":
            names = CITY_DISTRICTS
        else:
            picks = rng.choice(len(CITY_DISTRICTS) - 1, size=int(rng.integers(2, 6)), replace=False)
            names = ("Centrum", *(CITY_DISTRICTS[1 + int(k)] for k in sorted(picks)))
        base = int(rng.integers(100, 990))
        town_places = []
        for k, district in enumerate(names):
            label = f"{town} centrum" if district == "Centrum" else district
            streets = tuple(rng.choice(np.array(STREET_WORDS), size=3, replace=False))
            town_places.append(
                Place(
                    label, town, lat + float(rng.normal(0, 0.02)),
                    lon + float(rng.normal(0, 0.035)),
                    (f"{base} {10 + 3 * k:02d}", f"{base} {11 + 3 * k:02d}"),
                    tuple(str(s) for s in streets),
                )
            )
        places[town] = town_places
    return places


def _generated_providers(seed: int, spec: Scale) -> list[Provider]:
    rng = _rng(seed, "providers")
    places = _generated_places(rng, spec)
    towns = list(places)
    district_words = [d for d in CITY_DISTRICTS if d != "Centrum"]
    name_words = (towns if spec.name == "national" else []) + district_words + list(SURNAMES)
    pool = [(w, a) for w in name_words for a in range(len(_ARCHETYPES))]
    order = rng.permutation(len(pool))[: spec.n_providers]
    org_numbers = _org_numbers(rng, spec.n_providers)
    providers: list[Provider] = []
    used: set[str] = set()
    for k, pick in enumerate(order):
        word, archetype = pool[pick]
        title, core, optional, hint, dis_tilt = _ARCHETYPES[archetype]
        town = word if word in places else towns[int(rng.integers(len(towns)))]
        name = f"{word} {title} AB"
        pid = _slug(name)
        while pid in used:  # the slug folds å/ä/ö: two names can meet
            pid = f"{pid}-{k}"
        used.add(pid)
        services = core + tuple(s for s in optional if rng.random() < 0.4)
        home = [p for p in places[town] if p.district == word] or places[town]
        first = home[int(rng.integers(len(home)))]
        others = [p for p in places[town] if p is not first]
        chosen = (first,) if rng.random() < 0.7 else (first, others[int(rng.integers(len(others)))])
        provider = Provider(
            pid=pid, name=name, services=services, size=float(rng.lognormal(0.0, 0.9)),
            places=chosen, outcome_effect=float(rng.normal(0, 0.3)),
            sat_effect=float(np.clip(rng.normal(0, 0.35), -0.8, 0.8)),
            tilt_abroad=float(rng.normal(0, 0.5)), tilt_low_edu=float(rng.normal(0, 0.4)),
            tilt_disability=dis_tilt + float(rng.normal(0, 0.4)),
        )
        kind = rng.random()
        if kind < 0.03:  # a few tiny providers their customers love, as in the report
            provider.tiny, provider.size, provider.sat_effect = True, 0.02, TINY_SATISFACTION
        elif kind < 0.07:
            provider.sat_effect = LOW_SATISFACTION
        status = rng.random()
        provider.status = ("paused" if status < 0.03
                           else "deauthorised" if status < 0.05 else "active")
        if rng.random() < spec.text_share:
            provider.text_langs = _generated_text_langs(rng)
            provider.tagline_sv, provider.tagline_en = _ARCHETYPE_TAGLINES[services[0]]
        provider.org_number = org_numbers[k]
        _fill_contact_details(rng, provider, hint)
        providers.append(provider)
    return sorted(providers, key=lambda p: p.pid)


def _generated_text_langs(rng: np.random.Generator) -> tuple[str, ...]:
    draws = rng.random(6)
    langs = ["sv"] + (["en"] if draws[0] < 0.8 else [])
    langs += [lang for lang, u in zip(("ar", "fa", "so", "ti", "uk"), draws[1:], strict=True)
              if u < 0.15]
    return tuple(langs)


# --------------------------------------------------------------------------- tables


def _providers_table(providers: list[Provider], seed: int) -> pd.DataFrame:
    rng = _rng(seed, "contacts")
    rows = []
    for p in providers:
        domain = f"{p.pid}.example"
        rows.append({
            "provider_id": p.pid,
            "name": p.name,
            "org_number": p.org_number,
            "website": f"https://www.{domain}/" if p.website else "",
            "email": f"info@{domain}" if rng.random() < 0.95 else "",
            "phone": p.phone if rng.random() < 0.95 else "",
            "services": ";".join(s for s in schema.SERVICES if s in p.services),
            "staff_languages": ";".join(["sv", *(lang for lang in LANGUAGE_ORDER
                                                 if lang in p.languages)]),
            "employer_sectors": ";".join(p.sectors),
            "authorised_since": _date_string(p.authorised_day),
            "status": p.status,
            "status_since": _STATUS_SINCE.get(p.status, ""),
            "status_reason": _STATUS_REASON.get(p.status, ""),
        })
    return pd.DataFrame(rows, columns=list(schema.PROVIDERS.column_names))


# A deauthorised provider's customers moved on the decision day (see _records);
# a paused provider stopped taking customers when its groups were full.
_STATUS_SINCE = {"deauthorised": "2025-11-28", "paused": "2025-09-01"}
_STATUS_REASON = {"deauthorised": "quality", "paused": "full"}

# The municipality's follow-ups of the Nacka providers: the deauthorised one's
# road to its deauthorisation, an open action plan for the provider whose
# customers are least satisfied, and routine visits.
_SMALL_FOLLOW_UPS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("nacka-jobbmatchning", "2025-03-12", "quality_dialogue", "closed",
     "Kommunen gick igenom låga resultat och klagomål på uteblivna möten med anordnaren.",
     "The municipality went through low results and complaints about missed meetings with"
     " the provider."),
    ("nacka-jobbmatchning", "2025-05-20", "action_plan", "closed",
     "Anordnaren lämnade en åtgärdsplan för fler möten med varje kund och bättre uppföljning.",
     "The provider handed in an action plan for more meetings with each customer and better"
     " follow-up."),
    ("nacka-jobbmatchning", "2025-09-15", "warning", "closed",
     "Åtgärdsplanen följdes inte. Kommunen gav anordnaren en skriftlig varning.",
     "The action plan was not kept. The municipality gave the provider a written warning."),
    ("nacka-jobbmatchning", "2025-11-28", "deauthorisation", "closed",
     "Kommunen återkallade auktorisationen. Kunderna har fått välja en ny anordnare.",
     "The municipality withdrew the authorisation. The customers have chosen a new provider."),
    ("nacka-karriarpartner", "2025-10-02", "quality_dialogue", "closed",
     "Kommunen tog upp att få kunder är nöjda och att anordnarens löften i marknadsföringen"
     " inte stämmer med resultaten.",
     "The municipality raised that few customers are satisfied and that the provider's"
     " promises in its marketing do not match its results."),
    ("nacka-karriarpartner", "2025-11-10", "action_plan", "open",
     "Anordnaren arbetar efter en åtgärdsplan: tydligare information till kunderna och"
     " ändrad marknadsföring. Kommunen följer upp i mars 2026.",
     "The provider is working to an action plan: clearer information for customers and"
     " changed marketing. The municipality follows up in March 2026."),
    ("nacka-sfi-center", "2025-04-08", "follow_up", "closed",
     "Besök i lokalerna i Fisksätra. Inga brister.",
     "A visit to the premises in Fisksätra. No shortcomings."),
    ("orminge-jobbcoach", "2024-11-19", "follow_up", "closed",
     "Kommunen granskade hur anordnaren dokumenterar kundernas planer. Inga brister.",
     "The municipality reviewed how the provider records its customers' plans."
     " No shortcomings."),
)


def _complaints_table(providers: list[Provider], years: tuple[int, ...], seed: int) -> pd.DataFrame:
    """Complaints per provider and year: mostly none or one, more where customers
    are less satisfied; the deauthorised provider's pile up."""
    rng = _rng(seed, "complaints")
    rows = []
    for p in providers:
        for year in years:
            mean = 0.6 + 1.5 * max(-p.sat_effect, 0.0) + (3.0 if p.status == "deauthorised" else 0)
            count = int(rng.poisson(mean))
            rows.append({"provider_id": p.pid, "year": year, "complaints": count})
    return pd.DataFrame(rows, columns=list(schema.COMPLAINTS.column_names))


def _placements_table(providers: list[Provider], years: tuple[int, ...], seed: int) -> pd.DataFrame:
    """Work placements and hires per sector and year: the more providers work with
    a sector, the more placements; about a third of placements lead to a hire."""
    rng = _rng(seed, "placements")
    partners = {s: sum(s in p.sectors for p in providers) for s in schema.SECTORS}
    rows = []
    for year in years:
        for sector in schema.SECTORS:
            if not partners[sector]:
                continue
            placed = int(rng.poisson(6 * partners[sector]))
            rows.append({"year": year, "sector": sector, "placements": placed,
                         "hires": int(rng.binomial(placed, 0.35))})
    return pd.DataFrame(rows, columns=list(schema.PLACEMENTS.column_names))


def _follow_ups_table(providers: list[Provider], seed: int, scale: str) -> pd.DataFrame:
    """The municipality's follow-ups: the Nacka ones for the small scale; for the
    generated scales a routine visit for some providers, an open action plan for
    a few and the deauthorisation of every deauthorised one."""
    columns = list(schema.FOLLOW_UPS.column_names)
    if scale == "small":
        rows = [
            {"provider_id": pid, "date": day, "kind": kind, "status": status,
             "summary_sv": sv, "summary_en": en}
            for pid, day, kind, status, sv, en in _SMALL_FOLLOW_UPS
        ]
        return pd.DataFrame(rows, columns=columns).astype(object).fillna("")
    rng = _rng(seed, "follow-ups")
    rows = []
    for p in providers:
        draw = rng.random()
        if p.status == "deauthorised":
            rows.append({"provider_id": p.pid, "date": _STATUS_SINCE["deauthorised"],
                         "kind": "deauthorisation", "status": "closed",
                         "summary_sv": "Kommunen återkallade auktorisationen.",
                         "summary_en": "The municipality withdrew the authorisation."})
        elif draw < 0.03:
            rows.append({"provider_id": p.pid, "date": "2025-10-15", "kind": "action_plan",
                         "status": "open",
                         "summary_sv": "Anordnaren arbetar efter en åtgärdsplan.",
                         "summary_en": "The provider is working to an action plan."})
        elif draw < 0.15:
            rows.append({"provider_id": p.pid, "date": "2025-05-06", "kind": "follow_up",
                         "status": "closed",
                         "summary_sv": "Besök i lokalerna. Inga brister.",
                         "summary_en": "A visit to the premises. No shortcomings."})
    return pd.DataFrame(rows, columns=columns).astype(object).fillna("")


def _premises_table(providers: list[Provider], seed: int) -> pd.DataFrame:
    rng = _rng(seed, "premises")
    rows = []
    for p in providers:
        teaching = any(SERVICE_INFO[s].teaching for s in p.services)
        for k, place in enumerate(p.places, start=1):
            step_free = str(rng.choice(np.array(schema.STEP_FREE), p=[0.6, 0.15, 0.25]))
            number = f"{int(rng.integers(1, 60))}{' B' if rng.random() < 0.1 else ''}"
            rows.append({
                "provider_id": p.pid,
                "premises_id": f"p{k}",
                "street_address": f"{rng.choice(np.array(place.streets))} {number}",
                "postcode": str(rng.choice(np.array(place.postcodes))),
                "city": place.city,
                "district": place.district,
                "latitude": f"{place.lat + rng.normal(0, 0.002):.5f}",
                "longitude": f"{place.lon + rng.normal(0, 0.003):.5f}",
                "step_free_access": step_free,
                # A toilet for wheelchairs is rarer where the entrance has steps.
                "accessible_toilet": _yes(rng.random() < (0.85 if step_free != "no" else 0.3)),
                "hearing_loop": _yes(rng.random() < 0.4),
                "quiet_room": _yes(rng.random() < 0.5),
                "transit_stop_m": str(int(rng.integers(5, 91)) * 10),
                "classrooms": str(int(rng.integers(2, 9) if teaching else rng.integers(0, 3))),
                "opening_hours": str(rng.choice(np.array(OPENING_HOURS))),
            })
    return pd.DataFrame(rows, columns=list(schema.PREMISES.column_names))


def _yes(flag: bool | np.bool_) -> str:
    return "yes" if flag else "no"


def _counts(providers: list[Provider], spec: Scale, seed: int) -> np.ndarray:
    """Records started per provider (rows) and year (columns)."""
    rng = _rng(seed, "volumes")
    n_years = len(spec.years)
    if spec.name == "small":
        growth = np.linspace(0.97, 1.02, n_years)
        counts = np.zeros((len(providers), n_years), dtype=np.int64)
        for i, p in enumerate(providers):
            if p.tiny:
                counts[i] = rng.integers(3, 7, n_years)
            else:
                counts[i] = np.rint(p.size * growth).astype(np.int64) + rng.integers(-1, 2, n_years)
        return counts
    tiny = np.array([p.tiny for p in providers])
    counts = np.zeros((len(providers), n_years), dtype=np.int64)
    counts[tiny] = rng.integers(3, 7, (int(tiny.sum()), n_years))
    weights = np.array([p.size for p in providers])[~tiny]
    weights /= weights.sum()
    for y in range(n_years):
        counts[~tiny, y] = rng.multinomial(spec.records_per_year - counts[tiny, y].sum(), weights)
    return counts


# --------------------------------------------------------------------------- results


@dataclass
class Records:
    """Column arrays for results.csv; codes are indexes into schema tuples, -1 = blank."""

    provider: np.ndarray
    service: np.ndarray
    start: np.ndarray  # days since 1970
    end: np.ndarray  # days since 1970, -1 = ongoing
    end_reason: np.ndarray
    outcome: np.ndarray
    outcome_6m: np.ndarray
    sat_4w: np.ndarray  # 1-5, 0 = no answer
    sat_end: np.ndarray
    grade: np.ndarray
    age: np.ndarray
    gender: np.ndarray
    abroad: np.ndarray  # 1 yes, 0 no, -1 unknown
    education: np.ndarray
    disability: np.ndarray


def _start_days(rng: np.random.Generator, years: tuple[int, ...], year: np.ndarray) -> np.ndarray:
    """Start dates with the rhythm of terms: many in January and August, few in July."""
    month_weights = np.array([13, 11, 10, 9, 8, 6, 3, 13, 12, 10, 9, 5], dtype=float)
    month = _categorical(rng, month_weights[None, :], np.zeros(year.size, dtype=np.int64))
    firsts = np.array([np.datetime64(f"{y}-{m:02d}-01", "D") for y in years for m in range(1, 13)])
    firsts_days = firsts.astype(np.int64)
    lengths = np.diff(np.append(firsts_days, _days(f"{years[-1] + 1}-01-01")))
    slot = year * 12 + month
    days = firsts_days[slot] + (rng.random(year.size) * lengths[slot]).astype(np.int64)
    # Nothing starts at a weekend: move to the Monday, or the Friday at the very end.
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    forward = days + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    backward = days - np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
    return np.where(forward <= DATA_END.astype(np.int64), forward, backward)


def _profile(rng: np.random.Generator, providers: list[Provider], provider: np.ndarray,
             service: np.ndarray) -> dict[str, np.ndarray]:
    info = [SERVICE_INFO[s] for s in schema.SERVICES]
    n = provider.size
    age = _categorical(rng, np.array([i.age for i in info]), service)
    gender = _categorical(rng, np.array([[0.455, 0.52, 0.005, 0.02]]), np.zeros(n, np.int64))
    gender = np.where(gender == 3, -1, gender)

    tilt = {k: np.array([getattr(p, k) for p in providers])[provider]
            for k in ("tilt_abroad", "tilt_low_edu", "tilt_disability")}
    abroad_logit = _logit(np.array([i.born_abroad for i in info]))[service]
    p_abroad = _sigmoid(abroad_logit + tilt["tilt_abroad"])
    abroad = (rng.random(n) < p_abroad).astype(np.int64)

    # Customers born abroad more often lack Swedish upper secondary school.
    low_logit = _logit(np.array([i.low_edu for i in info]))[service] + tilt["tilt_low_edu"]
    p_low = _sigmoid(low_logit + np.where(abroad == 1, 0.4, -0.3))
    post_share = np.array([i.post_share for i in info])[service]
    u = rng.random(n)
    education = np.where(u < p_low, 0, np.where(u < p_low + (1 - p_low) * (1 - post_share), 1, 2))

    p_dis = _sigmoid(_logit(np.array([i.disability for i in info]))[service]
                     + tilt["tilt_disability"])
    disability = (rng.random(n) < p_dis).astype(np.int64)
    return {
        "age": age, "gender": gender, "abroad": _blank_some(rng, abroad, 0.03),
        "education": _blank_some(rng, education, 0.07),
        "disability": _blank_some(rng, disability, 0.09),
    }


def _ends(rng: np.random.Generator, providers: list[Provider], provider: np.ndarray,
          service: np.ndarray, start: np.ndarray, profile: dict[str, np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray]:
    """End dates and reasons; records still running on DATA_END stay open."""
    n = provider.size
    lo = np.array([SERVICE_INFO[s].duration[0] for s in schema.SERVICES])[service]
    hi = np.array([SERVICE_INFO[s].duration[1] for s in schema.SERVICES])[service]
    planned = lo + (rng.random(n) * (hi - lo)).astype(np.int64)

    young = profile["age"] == 0
    p_drop = _sigmoid(_logit(0.10) + 0.5 * (profile["disability"] == 1) + 0.4 * young)
    u = rng.random(n)
    reason = np.where(u < 0.06, 3, np.where(u < 0.10, 2, np.where(u < 0.10 + p_drop, 1, 0)))
    # People who leave early leave part-way through.
    share = np.where(reason == 0, 1.0, rng.uniform(0.1, 0.8, n))
    end = start + np.maximum((planned * share).astype(np.int64), 1)

    # A deauthorised provider's customers moved to other providers on the decision day.
    stop = np.array([_days("2025-11-28") if p.status == "deauthorised" else 1 << 40
                     for p in providers])[provider]
    moved = end > stop
    end = np.where(moved, stop, end)
    reason = np.where(moved, 2, reason)

    ongoing = end > DATA_END.astype(np.int64)
    return np.where(ongoing, -1, end), np.where(ongoing, -1, reason)


def _linear_outcome(providers: list[Provider], provider: np.ndarray, service: np.ndarray,
                    profile: dict[str, np.ndarray], reason: np.ndarray) -> np.ndarray:
    service_effect = np.array([SERVICE_INFO[s].outcome for s in schema.SERVICES])
    provider_effect = np.array([p.outcome_effect for p in providers])
    return (
        service_effect[service]
        + provider_effect[provider]
        + AGE_OUTCOME[profile["age"]]
        + EDU_OUTCOME[profile["education"]]
        + ABROAD_OUTCOME[profile["abroad"]]
        + DISABILITY_OUTCOME[profile["disability"]]
        + REASON_OUTCOME[reason]
    )


def _outcomes(rng: np.random.Generator, providers: list[Provider], provider: np.ndarray,
              service: np.ndarray, profile: dict[str, np.ndarray], end: np.ndarray,
              reason: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = provider.size
    linear = _linear_outcome(providers, provider, service, profile, reason)
    eligible = (end >= 0) & (reason != 3)
    intercept = _calibrate(linear, eligible, TARGET_WORK_OR_STUDIES)
    success = _bernoulli(rng, _sigmoid(linear + intercept), np.where(eligible, _year(end), -1))
    split = _categorical(rng, np.array([SERVICE_INFO[s].success_split for s in schema.SERVICES]),
                         service)
    outcome = np.where(success, split, 3)
    # Moves, parental leave and the like leave the outcome unknown, and some others too.
    unknown = ~eligible | (rng.random(n) < 0.05)
    outcome = np.where(unknown, -1, outcome)

    followed = (outcome >= 0) & (outcome <= 2) & (end <= DATA_END.astype(np.int64) - FOLLOW_UP_DAYS)
    linear_6m = (np.where(outcome == 0, 0.3, np.where(outcome == 1, -0.3, -0.2))
                 + 0.5 * np.array([p.outcome_effect for p in providers])[provider]
                 + 0.5 * DISABILITY_OUTCOME[profile["disability"]])
    intercept_6m = _calibrate(linear_6m, followed, TARGET_SELF_SUFFICIENT)
    self_sufficient = _bernoulli(rng, _sigmoid(linear_6m + intercept_6m),
                                 np.where(followed, _year(end), -1))
    outcome_6m = np.where(self_sufficient, 0, 1)
    outcome_6m = np.where(followed & (rng.random(n) >= 0.08), outcome_6m, -1)
    return outcome, outcome_6m


def _grades(rng: np.random.Generator, providers: list[Provider], provider: np.ndarray,
            service: np.ndarray, profile: dict[str, np.ndarray], end: np.ndarray,
            reason: np.ndarray) -> np.ndarray:
    n = provider.size
    graded_service = np.array([SERVICE_INFO[s].graded for s in schema.SERVICES])[service]
    # Completers get a grade; some who drop out get a failing one, the rest none.
    graded = graded_service & ((reason == 0) | ((reason == 1) & (rng.random(n) < 0.4)))
    linear = (np.where(reason == 1, -1.8, 0.0)
              + 0.5 * EDU_OUTCOME[profile["education"]]
              + 0.4 * DISABILITY_OUTCOME[profile["disability"]]
              + 0.5 * np.array([p.outcome_effect for p in providers])[provider])
    intercept = _calibrate(linear, graded, TARGET_PASSED)
    passed = _bernoulli(rng, _sigmoid(linear + intercept), np.where(graded, _year(end), -1))
    return np.where(graded, np.where(passed, 0, 1), -1)


def _scores(rng: np.random.Generator, satisfied: np.ndarray) -> np.ndarray:
    """1-5 scores: 4 or 5 for the satisfied, 1-3 for the rest."""
    high = np.where(rng.random(satisfied.size) < 0.55, 5, 4)
    low = _categorical(rng, np.array([[0.15, 0.35, 0.5]]), np.zeros(satisfied.size, np.int64)) + 1
    return np.where(satisfied, high, low)


def _satisfaction(rng: np.random.Generator, providers: list[Provider], provider: np.ndarray,
                  profile: dict[str, np.ndarray], start: np.ndarray, end: np.ndarray,
                  reason: np.ndarray, outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = provider.size
    effect = np.array([p.sat_effect for p in providers])[provider]
    base = (effect - 0.2 * (profile["disability"] == 1) - 0.2 * (profile["age"] == 0)
            + 0.2 * (profile["abroad"] == 1))

    # Answer counts and satisfied counts are pinned per provider and year (see
    # _bernoulli): the report's statements are about exactly these small numbers
    # (three providers at 100 %, two below 40 %), so chance must not blur them.
    per_provider = provider * 10_000 + _year(start)
    asked_4w = start <= DATA_END.astype(np.int64) - SURVEY_4W_DAYS
    answered_4w = _bernoulli(rng, np.full(n, 0.75), np.where(asked_4w, per_provider, -1))
    intercept_4w = _calibrate(base, answered_4w, TARGET_SATISFIED_4W)
    sat_4w = _scores(rng, _bernoulli(rng, _sigmoid(base + intercept_4w),
                                     np.where(answered_4w, per_provider, -1)))

    ended = end >= 0
    linear_end = (base + np.array([0.0, -1.0, -1.3, -0.3, 0.0])[reason]
                  + 0.6 * ((outcome >= 0) & (outcome <= 2)))
    # Answer rates rose a little each year after the digital follow-up came in.
    end_year = _year(end)
    trend = 0.03 * (end_year - 2024)
    answer_rate = np.array([0.80, 0.55, 0.60, 0.45, 0.0])[reason] + trend
    per_provider_end = provider * 10_000 + end_year
    answered_end = _bernoulli(rng, answer_rate, np.where(ended, per_provider_end, -1))
    intercept_end = _calibrate(linear_end, answered_end, TARGET_SATISFIED_END)
    sat_end = _scores(rng, _bernoulli(rng, _sigmoid(linear_end + intercept_end),
                                      np.where(answered_end, per_provider_end, -1)))
    return np.where(answered_4w, sat_4w, 0), np.where(answered_end, sat_end, 0)


def _records(providers: list[Provider], spec: Scale, seed: int) -> Records:
    rng = _rng(seed, "results")
    counts = _counts(providers, spec, seed)
    n_providers, n_years = counts.shape
    provider = np.repeat(np.repeat(np.arange(n_providers), n_years), counts.ravel())
    year = np.repeat(np.tile(np.arange(n_years), n_providers), counts.ravel())

    service_probs = np.zeros((n_providers, N_SERVICES))
    for i, p in enumerate(providers):
        weights = np.array([2.0] + [1.0] * (len(p.services) - 1))  # the main service is bigger
        service_probs[i, [SERVICE_INDEX[s] for s in p.services]] = weights
    service = _categorical(rng, service_probs, provider)

    start = _start_days(rng, spec.years, year)
    # Paused and deauthorised providers stopped taking customers during the last year.
    squeeze = np.array([{"paused": 0.7, "deauthorised": 0.6}.get(p.status, 1.0)
                        for p in providers])[provider]
    last_year = _days(f"{spec.years[-1]}-01-01")
    late = start >= last_year
    start = np.where(late, last_year + ((start - last_year) * squeeze).astype(np.int64), start)

    profile = _profile(rng, providers, provider, service)
    end, reason = _ends(rng, providers, provider, service, start, profile)
    outcome, outcome_6m = _outcomes(rng, providers, provider, service, profile, end, reason)
    grade = _grades(rng, providers, provider, service, profile, end, reason)
    sat_4w, sat_end = _satisfaction(rng, providers, provider, profile, start, end, reason, outcome)
    return Records(provider, service, start, end, reason, outcome, outcome_6m, sat_4w, sat_end,
                   grade, profile["age"], profile["gender"], profile["abroad"],
                   profile["education"], profile["disability"])


def _record_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``r`` + 8 hex digits, unique: never anything shaped like a personal identity number."""
    values = rng.choice(16**8, size=n, replace=False).astype(np.uint64)
    shifts = np.arange(28, -1, -4, dtype=np.uint64)
    digits = ((values[:, None] >> shifts) & np.uint64(0xF)).astype(np.uint8)
    alphabet = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    chars = np.empty((n, 9), dtype=np.uint8)
    chars[:, 0] = ord("r")
    chars[:, 1:] = alphabet[digits]
    return chars.view("S9").ravel().astype(str)


def _coded(codes: np.ndarray, categories: tuple[str, ...] | list[str]) -> pd.Categorical:
    # Categoricals keep a million-row table small until to_csv writes it chunk by chunk.
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(categories))


def _results_table(records: Records, providers: list[Provider], spec: Scale,
                   seed: int) -> pd.DataFrame:
    first_day = _days(f"{spec.years[0]}-01-01")
    dates = np.datetime_as_string(np.arange(np.datetime64(f"{spec.years[0]}-01-01", "D"),
                                            DATA_END + 1))
    # An export is ordered by start date, not by provider.
    order = np.lexsort((records.provider, records.start))
    ids = _record_ids(_rng(seed, "record-ids"), records.provider.size)

    def pick(values: np.ndarray) -> np.ndarray:
        return values[order]

    end = pick(records.end)
    scores = ("1", "2", "3", "4", "5")
    columns = {
        "record_id": ids,
        "provider_id": _coded(pick(records.provider), [p.pid for p in providers]),
        "service": _coded(pick(records.service), schema.SERVICES),
        "start_date": _coded(pick(records.start) - first_day, dates),
        "end_date": _coded(np.where(end >= 0, end - first_day, -1), dates),
        "end_reason": _coded(pick(records.end_reason), schema.END_REASONS),
        "outcome": _coded(pick(records.outcome), schema.OUTCOMES),
        "outcome_6m": _coded(pick(records.outcome_6m), schema.OUTCOMES_6M),
        "satisfaction_4w": _coded(pick(records.sat_4w) - 1, scores),
        "satisfaction_end": _coded(pick(records.sat_end) - 1, scores),
        "grade": _coded(pick(records.grade), schema.GRADES),
        "age_band": _coded(pick(records.age), schema.AGE_BANDS),
        "gender": _coded(pick(records.gender), schema.GENDERS),
        "born_abroad": _coded(pick(records.abroad), ("no", "yes")),
        "education_level": _coded(pick(records.education), schema.EDUCATION_LEVELS),
        "disability": _coded(pick(records.disability), ("no", "yes")),
    }
    return pd.DataFrame(columns)[list(schema.RESULTS.column_names)]


# --------------------------------------------------------------------------- staff and groups


def _per_provider_year_service(records: Records, n_providers: int, years: tuple[int, ...]
                               ) -> np.ndarray:
    year = np.searchsorted(
        np.array([_days(f"{y}-01-01") for y in years]), records.start, side="right") - 1
    key = (records.provider * len(years) + year) * N_SERVICES + records.service
    counts = np.bincount(key, minlength=n_providers * len(years) * N_SERVICES)
    return counts.reshape(n_providers, len(years), N_SERVICES)


def _staff_table(providers: list[Provider], volumes: np.ndarray, years: tuple[int, ...],
                 seed: int) -> pd.DataFrame:
    rng = _rng(seed, "staff")
    teaching = np.array([SERVICE_INFO[s].teaching for s in schema.SERVICES])
    rows = []
    for i, p in enumerate(providers):
        roles = []
        if any(SERVICE_INFO[s].teaching for s in p.services):
            roles.append(("teacher", volumes[i][:, teaching].sum(axis=1), 6.0,
                          rng.beta(8, 3), rng.beta(7, 2)))
        if any(not SERVICE_INFO[s].teaching for s in p.services):
            roles.append(("coach", volumes[i][:, ~teaching].sum(axis=1), 8.0,
                          rng.beta(5, 4), 0.0))
        for role, per_year, per_person, p_degree, p_cert in roles:
            scale = rng.lognormal(0, 0.2)
            offset = int(rng.choice([-1, 0, 0, 1]))
            for y, year in enumerate(years):
                # Staff follow the volume; degrees and certificates are a stable share.
                headcount = max(1, round(per_year[y] / per_person * scale))
                degree = min(headcount, max(0, round(headcount * p_degree) + offset))
                certified = str(round(degree * p_cert)) if role == "teacher" else ""
                rows.append({"provider_id": p.pid, "year": str(year), "role": role,
                             "headcount": str(headcount), "with_degree": str(degree),
                             "certified": certified})
    return pd.DataFrame(rows, columns=list(schema.STAFF.column_names))


def _groups_table(providers: list[Provider], volumes: np.ndarray, years: tuple[int, ...],
                  seed: int) -> pd.DataFrame:
    """Groups in proportion to the customers each provider had in a service and year."""
    rng = _rng(seed, "groups")
    sizes = [SERVICE_INFO[s].group_size for s in schema.SERVICES]
    p_idx, y_idx, s_idx = np.nonzero(volumes)
    grouped = np.array([sizes[s] is not None for s in s_idx], dtype=bool)
    p_idx, y_idx, s_idx = p_idx[grouped], y_idx[grouped], s_idx[grouped]
    lo = np.array([sizes[s][0] for s in s_idx])
    hi = np.array([sizes[s][1] for s in s_idx])
    n_groups = np.maximum(1, np.ceil(volumes[p_idx, y_idx, s_idx] / ((lo + hi) / 2))).astype(int)

    rep = np.repeat(np.arange(p_idx.size), n_groups)
    serial = np.arange(rep.size) - np.repeat(np.cumsum(n_groups) - n_groups, n_groups) + 1
    participants = lo[rep] + (rng.random(rep.size) * (hi[rep] - lo[rep] + 1)).astype(int)
    abbr = np.array([SERVICE_INFO[s].group_abbr for s in schema.SERVICES])
    year_arr = np.array(years)
    frame = pd.DataFrame({
        "provider_id": np.array([p.pid for p in providers])[p_idx[rep]],
        "year": year_arr[y_idx[rep]].astype(str),
        "service": np.array(schema.SERVICES)[s_idx[rep]],
        "group_ref": [f"{a}-{y % 100:02d}-{k:03d}" for a, y, k in
                      zip(abbr[s_idx[rep]], year_arr[y_idx[rep]], serial, strict=True)],
        "participants": participants.astype(str),
    })
    return frame[list(schema.GROUPS.column_names)]


# --------------------------------------------------------------------------- texts


def _text(provider: Provider, lang: str) -> str:
    places = [pl.district for pl in provider.places]
    languages = [lang for lang in LANGUAGE_ORDER if lang == "sv" or lang in provider.languages]
    if lang == "sv":
        langs = _join([LANGUAGE_NAMES[code][0] for code in languages], "och")
        lines = [f"# {provider.name}", "",
                 f"{provider.tagline_sv} Vi finns i {_join(places, 'och')}.".strip(), "",
                 "Det här erbjuder vi:", ""]
        lines += [f"- {SERVICE_INFO[s].sv}" for s in provider.services]
        lines += [f"- Personal som talar {langs}"]
        extra = provider.extra_sv
    elif lang == "en":
        langs = _join([LANGUAGE_NAMES[code][1] for code in languages], "and")
        lines = [f"# {provider.name}", "",
                 f"{provider.tagline_en} You will find us in {_join(places, 'and')}.".strip(), "",
                 "What we offer:", ""]
        lines += [f"- {SERVICE_INFO[s].en}" for s in provider.services]
        lines += [f"- Staff who speak {langs}"]
        extra = provider.extra_en
    else:
        lines = [f"# {provider.name}", "", GENERIC_WELCOME[lang]]
        extra = ""
    if extra:
        lines += ["", extra]
    return "\n".join(lines) + "\n"


def _write_texts(out: Path, providers: list[Provider]) -> None:
    texts = out / "texts"
    # Texts from an earlier run (another scale, other providers) must not linger.
    if texts.exists():
        shutil.rmtree(texts)
    for provider in providers:
        for lang in provider.text_langs:
            if lang == "en" and not provider.tagline_en:
                continue
            folder = texts / provider.pid
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / f"{lang}.md", "w", encoding="utf-8", newline="\n") as handle:
                handle.write(_text(provider, lang))


# --------------------------------------------------------------------------- entry point


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_sample(out: Path, scale: str = "small", seed: int = 1, draws: str = "systematic") -> None:
    """Write a synthetic data set in the data contract into ``out``.

    Replaces the six CSV files and the ``texts/`` folder in ``out``; other files
    there (such as a README) are left alone. ``draws`` is "systematic" or
    "binomial" (see ``_bernoulli``).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    if draws not in DRAWS:
        raise ValueError(f"unknown draws {draws!r}: choose one of {', '.join(DRAWS)}")
    token = _DRAWS.set(draws)
    try:
        _write_sample(out, scale, seed)
    finally:
        _DRAWS.reset(token)


def _write_sample(out: Path, scale: str, seed: int) -> None:
    spec = SCALES[scale]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    providers = _small_providers(seed) if scale == "small" else _generated_providers(seed, spec)
    records = _records(providers, spec, seed)
    volumes = _per_provider_year_service(records, len(providers), spec.years)

    _write_csv(_providers_table(providers, seed), out / schema.PROVIDERS.name)
    _write_csv(_premises_table(providers, seed), out / schema.PREMISES.name)
    _write_csv(_staff_table(providers, volumes, spec.years, seed), out / schema.STAFF.name)
    _write_csv(_groups_table(providers, volumes, spec.years, seed), out / schema.GROUPS.name)
    _write_csv(_results_table(records, providers, spec, seed), out / schema.RESULTS.name)
    _write_csv(_follow_ups_table(providers, seed, scale), out / schema.FOLLOW_UPS.name)
    _write_csv(_complaints_table(providers, spec.years, seed), out / schema.COMPLAINTS.name)
    _write_csv(_placements_table(providers, spec.years, seed), out / schema.PLACEMENTS.name)
    _write_texts(out, providers)
