"""The site model: every figure a page shows, the rankings and the rules behind the sentences."""
