"""The default settings of every site. ``python -m generator build`` (or ``jamfor
build``) reads this file, then the municipality's own settings file if one is
given with ``--settings``: that file needs to hold only what it changes
(``jamfor init DIR`` writes one with every setting explained). The sample's
municipality has its own in ``data/settings.py``.

Settings in CAPITALS are Pelican's own or this project's (documented in README.md).
"""

# --- About the municipality and the choice system -------------------------------
# A real site sets these in its own settings file.
MUNICIPALITY = "Kommunen"
# Shown in the footer and on the accessibility and contact pages.
CONTACT_EMAIL = ""
CONTACT_PHONE = ""
# Accessibility statement (lagen om tillgänglighet till digital offentlig service).
ACCESSIBILITY_CONTACT_EMAIL = ""
ACCESSIBILITY_CONTACT_PHONE = ""
ACCESSIBILITY_RESPONSE_DAYS = 5  # working days until the municipality answers
ACCESSIBILITY_ENFORCEMENT_NAME = "Myndigheten för digital förvaltning (Digg)"
ACCESSIBILITY_ENFORCEMENT_URL = "https://www.digg.se/tdosanmalan"
ACCESSIBILITY_STATEMENT_DATE = ""  # when the statement was last reviewed (YYYY-MM-DD)
# The employer entrance: who at the municipality helps employers recruit.
EMPLOYER_CONTACT_NAME = ""
EMPLOYER_CONTACT_EMAIL = ""
EMPLOYER_CONTACT_PHONE = ""
# Absolute address where the site is published, used only for the sitemap
# (sitemaps need absolute addresses). Links between pages are always relative,
# so the output folder can be served from any sub-folder. Empty: no sitemap.
SITE_URL = ""

# --- Languages -----------------------------------------------------------------
# The first language is the default and is served at the root of the site; the
# others under /<code>/. Every language needs a catalog in theme/translations/
# and editorial pages in content/<code>/.
LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "uk"]

# --- Disclosure control and reliability (see the methodology page) -------------
DISCLOSURE_K = 5  # no figure rests on fewer records than this (never below 3)
# Staff figures count employees in their role, not customers' results: they have a
# threshold of their own (3 up to DISCLOSURE_K), so a small provider's teachers'
# certification and degrees can be shown.
STAFF_DISCLOSURE_K = 3
RELIABILITY_R = 20  # figures on fewer records are marked "few answers"
POOLED_YEARS = 3  # headline figures pool the last N years
REPORTING_LAG_DAYS = 0  # a year is published once the data reach its 31 December + N days

# --- Input limits ----------------------------------------------------------------
MAX_INPUT_FILE_MB = 200  # a data file larger than this is refused with a clear message
# A night whose records or providers fall by more than this share against the live
# release (an export cut short or read half-written) is held: nothing is published
# unless `nightly --accept-fall` says the fall is real.
HOLD_IF_FALLEN_BY = 0.1

# --- Security -------------------------------------------------------------------
# Only the site's own scripts, styles and fonts; Pagefind's search engine is
# WebAssembly ('wasm-unsafe-eval'). Repeat it as an HTTP header on the web server
# (see README.md); frame-ancestors only works there.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)

# --- Pelican -------------------------------------------------------------------
PATH = "content"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["comparison_pages"]
TIMEZONE = "Europe/Stockholm"
RELATIVE_URLS = True
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = [""]
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
DIRECT_TEMPLATES: list[str] = []
STATIC_PATHS: list[str] = []
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
SLUGIFY_SOURCE = "basename"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}
READERS = {"rst": None, "htm": None, "html": None}  # editorial pages are Markdown
