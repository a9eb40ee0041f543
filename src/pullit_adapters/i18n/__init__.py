"""Learner-facing text in Korean and English: gettext catalogs (Babel) and language negotiation."""

from pullit_adapters.i18n.catalogs import DOMAIN, LANGUAGES, LOCALE_DIR, CatalogMessages
from pullit_adapters.i18n.negotiation import negotiate_language, preferred_languages

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "CatalogMessages", "negotiate_language", "preferred_languages"]
