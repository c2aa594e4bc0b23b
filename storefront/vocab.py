"""Fixed vocabularies (OCOP groups, entity types, …) carry their official Vietnamese and English labels
as data, so imports can match either label whatever the visitor's language."""
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import get_locale

from storefront.text import fold, slugify


@dataclass(frozen=True)
class Choice:
    code: str
    vi: str
    en: str

    @property
    def label(self):
        if has_request_context() and str(get_locale()) == "en":
            return self.en
        return self.vi

    def __str__(self):
        return self.label


class Vocabulary:
    """An ordered set of choices, looked up by code or by either label (case and accents ignored)."""

    def __init__(self, choices, aliases=None):
        self.choices = tuple(choices)
        self.codes = tuple(c.code for c in self.choices)
        self._by_code = {c.code: c for c in self.choices}
        self._by_text = {}
        for c in self.choices:
            for text in (c.code, c.vi, c.en):
                self._by_text[slugify(text)] = c
        for text, code in (aliases or {}).items():
            self._by_text[slugify(text)] = self._by_code[code]

    def __iter__(self):
        return iter(self.choices)

    def __contains__(self, code):
        return code in self._by_code

    def get(self, code):
        return self._by_code.get(code)

    def match(self, text):
        """The choice a person meant by `text` (code or label, any case or accents), or None."""
        if text is None:
            return None
        return self._by_text.get(slugify(fold(str(text))))

    def label(self, code):
        choice = self._by_code.get(code)
        return choice.label if choice else ""
