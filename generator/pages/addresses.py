"""Every page's address, relative to its language's root: the one home of the URL scheme.

The data pages get theirs from the functions below; the editorial pages in
``content/`` get theirs from their slug (``PAGE_SAVE_AS = "{slug}.html"``),
and the constants here name them (tests/test_addresses.py checks that every
language's pages are written there). Templates reach this module as the
global ``address``; the search index and the sitemap find pages by the same
names.
"""

from __future__ import annotations

# Editorial pages (content/<lang>/*.md).
START = "index.html"
METHODOLOGY = "methodology.html"
OPEN_DATA = "open-data.html"
ACCESSIBILITY = "accessibility.html"
HOW_TO_CHOOSE = "how-choosing-works.html"  # services, choosing, switching, complaints
EMPLOYER_GUIDE = "for-employers.html"  # how employers recruit through providers, support schemes
EASY_READ_FOLDER = "lattlast/"

# Data pages without parameters.
SEARCH = "search.html"
COMPARE = "compare.html"
LIST = "providers/index.html"
EMPLOYERS = "employers.html"
LIKE_ME = "like-me/index.html"

PROVIDER_FOLDER = "provider/"  # one page per provider: provider/<id>.html
COMPARE_DATA_FOLDER = "compare/"  # one JSON file per provider for the comparison's script
PAGEFIND_FOLDER = "pagefind/"  # the search index, at the site root (one for every language)

# The open data, at the site root (one for every language): opendata.py writes
# these files, the open-data page and each provider page link to them.
OPEN_DATA_FOLDER = "data/"
INDICATORS_CSV = OPEN_DATA_FOLDER + "indicators.csv"
PROVIDERS_JSON = OPEN_DATA_FOLDER + "providers.json"
DATAPACKAGE_JSON = OPEN_DATA_FOLDER + "datapackage.json"

# The main menu's sections, and the pages that belong to each (``section``).
_SECTIONS = (
    ("start", (START,), ()),
    ("how-to-choose", (HOW_TO_CHOOSE,), ()),
    ("list", (), ("providers/",)),
    ("search", (SEARCH,), ()),
    ("like-me", (), ("like-me/",)),
    ("compare", (COMPARE,), ("compare/",)),
    ("employers", (EMPLOYERS, EMPLOYER_GUIDE), ("employers/",)),
    ("methodology", (METHODOLOGY,), ()),
)


def section(path: str) -> str:
    """The main menu's section a page belongs to ('' for none): the menu marks it."""
    for name, pages, folders in _SECTIONS:
        if path in pages or path.startswith(folders):
            return name
    return ""


def paged(path: str, page: int) -> str:
    """Page 2 onwards of a split list: 'x/y.html' -> 'x/y-page-2.html'."""
    if page <= 1:
        return path
    stem = path.removesuffix(".html")
    if stem.endswith("/index"):
        stem = stem.removesuffix("index") + "all"
    return f"{stem}-page-{page}.html"


def list_path(filter_key: str = "all", sort: str = "name", page: int = 1) -> str:
    """Path of a pre-rendered provider list: one page per filter, sort order and page."""
    if filter_key == "all" and sort == "name":
        return paged(LIST, page)
    return paged(f"providers/{filter_key}-by-{sort.replace('_', '-')}.html", page)


def provider_path(provider_id: str) -> str:
    return f"{PROVIDER_FOLDER}{provider_id}.html"


# Easy-to-read Swedish (lättläst) pages about the providers: the default
# language only, under the easy-to-read folder with the editorial ones, in a
# folder of a name of their own ("företag", as the easy-to-read pages call
# providers): a */provider/ folder is a language's provider pages to the search.
EASY_READ_PROVIDER_FOLDER = f"{EASY_READ_FOLDER}foretag/"
EASY_READ_LIST = f"{EASY_READ_PROVIDER_FOLDER}index.html"
EASY_READ_HOW_TO_CHOOSE = EASY_READ_FOLDER + HOW_TO_CHOOSE


def easy_read_provider_path(provider_id: str) -> str:
    return f"{EASY_READ_PROVIDER_FOLDER}{provider_id}.html"


# Standard pages with an easy-to-read version (content/sv/lattlast/ and the
# pages above): on an easy-to-read page, the menus lead there instead.
_EASY_READ_VERSIONS = {
    START: EASY_READ_FOLDER + "index.html",
    HOW_TO_CHOOSE: EASY_READ_HOW_TO_CHOOSE,
    LIST: EASY_READ_LIST,
    METHODOLOGY: EASY_READ_FOLDER + METHODOLOGY,
    OPEN_DATA: EASY_READ_FOLDER + OPEN_DATA,
    ACCESSIBILITY: EASY_READ_FOLDER + ACCESSIBILITY,
}


def is_easy_read(path: str) -> bool:
    return path.startswith(EASY_READ_FOLDER)


def easy_read_version(path: str) -> str:
    """Where a link to ``path`` leads from an easy-to-read page: its
    easy-to-read version where there is one, else the page itself."""
    if path.startswith(PROVIDER_FOLDER):
        return easy_read_provider_path(path.removeprefix(PROVIDER_FOLDER).removesuffix(".html"))
    return _EASY_READ_VERSIONS.get(path, path)


def group_slug(group: str) -> str:
    """'age_band=55+' -> 'age-band-55plus': safe in a path and in an HTML id."""
    return group.replace("=", "-").replace("_", "-").replace("+", "plus")


def like_me_path(group: str | None = None, page: int = 1) -> str:
    """The "people like me" page, or the pre-built page for one customer group."""
    return paged(f"like-me/{group_slug(group)}.html", page) if group else LIKE_ME


def compare_path() -> str:
    return COMPARE


def compare_service_path(service: str, page: int = 1) -> str:
    return paged(f"compare/service-{service}.html", page)


def compare_data_path(provider_id: str) -> str:
    """The figures of one provider that the comparison's script fetches."""
    return f"{COMPARE_DATA_FOLDER}{provider_id}.json"


def provider_data_path(provider_id: str) -> str:
    """One provider's rows of indicators.csv, for download."""
    return f"{OPEN_DATA_FOLDER}providers/{provider_id}.csv"


def factsheet_path(provider_id: str) -> str:
    return f"factsheet/{provider_id}.html"


def employers_path(kind: str = "all", code: str | None = None, page: int = 1) -> str:
    if kind == "all" or code is None:
        return paged(EMPLOYERS, page)
    return paged(f"employers/{kind}-{code}.html", page)
