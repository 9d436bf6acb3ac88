"""Everything else the build writes and checks: open data, charts, search index, fonts, sitemap,
post-build checks and publishing.
"""
