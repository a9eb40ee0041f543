"""The ``Messages`` port over the compiled gettext catalogs in ``locale/<lang>/LC_MESSAGES/pullit.mo``.

The English template is the msgid, so a template missing from a catalog still reads as
English rather than failing; ``tests/unit/test_message_catalogs.py`` keeps both catalogs complete.
"""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations, Translations

from pullit_domain.messages import Message, render_template

DOMAIN = "pullit"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("ko", "en")


class CatalogMessages:
    def __init__(self, default_language: str = "ko", locale_dir: Path = LOCALE_DIR) -> None:
        if default_language not in LANGUAGES:
            raise ValueError(f"no message catalog for {default_language!r}; have {', '.join(LANGUAGES)}")
        self._default = default_language
        self._catalogs: dict[str, NullTranslations] = {
            language: Translations.load(str(locale_dir), [language], DOMAIN) for language in LANGUAGES
        }

    @property
    def default_language(self) -> str:
        return self._default

    @property
    def languages(self) -> tuple[str, ...]:
        return LANGUAGES

    def render(self, message: Message, language: str | None = None) -> str:
        chosen = language if language in self._catalogs else self._default
        translated = self._catalogs[chosen].gettext(message.template)
        return render_template(translated, message.params, lambda inner: self.render(inner, chosen))
