"""Settings of the sample's municipality (``make serve`` builds with them).

The addresses are placeholders in the reserved ``.example`` domain; a real
municipality writes its own file (``jamfor init DIR``) and passes it with
``--settings``. Anything not set here keeps the default in ``pelicanconf.py``.
"""

MUNICIPALITY = "Nacka kommun"
CONTACT_EMAIL = "kundval@nacka.example"
CONTACT_PHONE = "08-718 80 00"
ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@nacka.example"
ACCESSIBILITY_CONTACT_PHONE = "08-718 80 00"
ACCESSIBILITY_STATEMENT_DATE = "2026-11-23"
EMPLOYER_CONTACT_NAME = "Arbetsmarknadsenheten, företagskontakt"
EMPLOYER_CONTACT_EMAIL = "foretag@nacka.example"
EMPLOYER_CONTACT_PHONE = "08-718 80 00"
SITE_URL = "https://jamfor.nacka.example/"
