"""The indicators: counting records, intervals, and the case-mix model."""
