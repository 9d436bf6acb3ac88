"""Human labels for the contract's codes, as gettext message ids.

``N_`` only marks a string for extraction (``pybabel extract -k N_``); the
templates translate it with ``_()`` in the visitor's language.
"""

from __future__ import annotations

from generator.compute import registry
from generator.compute.registry import N_

SERVICES = {
    "sfi": N_("Swedish for immigrants (SFI)"),
    "samhallsorientering": N_("Civic orientation (samhällsorientering)"),
    "komvux-grund": N_("Adult education, compulsory level (komvux)"),
    "komvux-gymnasial": N_("Adult education, upper secondary level (komvux)"),
    "yrkesvux": N_("Vocational adult education (yrkesvux)"),
    "larling": N_("Apprenticeship (lärling)"),
    "jobbcoachning": N_("Job coaching (jobbcoachning)"),
    "praktik": N_("Work placement (praktik)"),
    "studieforberedande": N_("Study preparation for ages 16–19 (studieförberedande praktik)"),
    "starta-eget": N_("Starting your own business (starta eget)"),
}

SECTORS = {
    "bygg": N_("Construction"),
    "restaurang": N_("Restaurants and hotels"),
    "vard-omsorg": N_("Health and social care"),
    "transport": N_("Transport and logistics"),
    "handel": N_("Retail and trade"),
    "it": N_("IT"),
    "industri": N_("Manufacturing"),
    "fastighet-service": N_("Property services and cleaning"),
    "utbildning": N_("Education"),
    "kultur": N_("Culture"),
    "offentlig": N_("Public sector"),
}

# The indicators' names and column headings live with the rest of what an
# indicator is, in registry.py; these are the lookups templates use.
INDICATORS = {i.name: i.label for i in registry.INDICATORS}
INDICATORS_SHORT = {i.name: i.short for i in registry.INDICATORS if i.short}

STATUSES = {
    "active": N_("Active"),
    "paused": N_("Paused: not taking new customers"),
    "deauthorised": N_("No longer authorised"),
}

STEP_FREE = {
    "yes": N_("Step-free entrance"),
    "partly": N_("Partly step-free entrance"),
    "no": N_("No step-free entrance"),
}

# Indicator 7: the groups a figure can be broken down by, and their values.
BREAKDOWN_HEADINGS = {
    "age_band": N_("Age"),
    "born_abroad": N_("Born abroad or in Sweden"),
    "education_level": N_("Education"),
    "disability": N_("Disability"),
    "service": N_("Service"),
}

BREAKDOWN_VALUES = {
    "age_band=16-19": N_("Aged 16–19"),
    "age_band=20-24": N_("Aged 20–24"),
    "age_band=25-29": N_("Aged 25–29"),
    "age_band=30-54": N_("Aged 30–54"),
    "age_band=55+": N_("Aged 55 or older"),
    "born_abroad=yes": N_("Born abroad"),
    "born_abroad=no": N_("Born in Sweden"),
    "education_level=pre_upper_secondary": N_("Did not finish upper secondary school"),
    "education_level=upper_secondary": N_("Finished upper secondary school"),
    "education_level=post_secondary": N_("Studied after upper secondary school"),
    "disability=yes": N_("With a disability"),
    "disability=no": N_("Without a disability"),
    **{f"service={code}": label for code, label in SERVICES.items()},
}

# Indicator 6, the class of a provider compared with what would be expected for its customers.
COMPARISON = {
    "better": N_("Better than expected"),
    # Not "as expected": beside "+13" that reads as a contradiction.
    "as_expected": N_("No clear difference from expected"),
    "worse": N_("Worse than expected"),
    # The class holds at 99.8 % too (casemix.CLEARLY + class).
    "clearlybetter": N_("Clearly better than expected"),
    "clearlyworse": N_("Clearly worse than expected"),
}

# Why a provider is paused or deauthorised (providers.csv, status_reason).
STATUS_REASONS = {
    "provider_request": N_("the provider's own request"),
    "full": N_("no room for more customers"),
    "quality": N_("shortcomings in quality"),
    "breach_of_contract": N_("a breach of its agreement with the municipality"),
    "other": N_("another reason"),
}

# The municipality's follow-up of a provider (follow_ups.csv).
FOLLOW_UP_KINDS = {
    "quality_dialogue": N_("Quality dialogue"),
    "follow_up": N_("Follow-up visit"),
    "action_plan": N_("Action plan"),
    "warning": N_("Warning"),
    "deauthorisation": N_("Authorisation withdrawn"),
}

FOLLOW_UP_STATUSES = {
    "open": N_("Ongoing"),
    "closed": N_("Closed"),
}
