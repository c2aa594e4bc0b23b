"""Every user-visible string has a Vietnamese translation (Vietnamese is the default language)."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from storefront.i18n import translation_directories

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2), "_n": (1, 2)}
SKIP = (".venv", "tests", "migrations", "bench")


def extracted_messages():
    found = {}
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options, keywords=KEYWORDS,
        callback=None, strip_comment_tags=False,
        directory_filter=lambda d: not any(Path(d).name == s or f"/{s}/" in d for s in SKIP)):
        ids = message if isinstance(message, tuple) else (message,)
        found.setdefault(ids[0], f"{filename}:{lineno}")
    return found


def vietnamese_catalogue():
    translated = {}
    for directory in translation_directories(ROOT, compiled_only=False):
        po = Path(directory) / "vi" / "LC_MESSAGES" / "messages.po"
        if po.exists():
            with po.open("rb") as fh:
                for msg in read_po(fh):
                    if msg.id and not msg.fuzzy:
                        key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
                        text = msg.string[0] if isinstance(msg.string, tuple) else msg.string
                        if text:
                            translated[key] = text
    return translated


def test_every_user_visible_string_has_a_vietnamese_translation():
    missing = {m: where for m, where in extracted_messages().items() if m not in vietnamese_catalogue()}
    assert not missing, "untranslated (add them to the domain's vi messages.po):\n" + "\n".join(
        f"  {where}: {m!r}" for m, where in sorted(missing.items(), key=lambda kv: kv[1]))
