"""Plain Dutch (B1) in every text a person reads: the Dutch catalogue (``web/messages/nl/``) and
any Dutch still written into a template. Three rules, each from the B1 guidance:

- a sentence has at most 15 words;
- every word is a common one: in wordfreq's Dutch list at Zipf 3.5 or more (below), a form of
  such a word (``typ``: typen, ``gewist``: wissen), two of them written as one (Dutch writes a
  compound as one word: ``wachtpagina``), or in the short glossary;
- one form of address, "je": never "u" or "uw" (children of 12 and older read the tablet too).

Names (a capital inside a sentence, or an acronym), placeables and numbers are not words. The
test prints its figures: strings checked, strings flagged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from wordfreq import zipf_frequency

from server.messages import DEFAULT_LANGUAGE, MESSAGES

TEMPLATES = MESSAGES.parent / "templates"
MAX_WORDS = 15

# Zipf 3.5 is 3 in 10 million words: about the 14,700 most used Dutch word forms (every
# inflection and name counts as a form), a few thousand words as a dictionary counts them —
# the size of a B1 vocabulary. At 3.0 "dagbesteding" and "hoogstens" pass; at 4.0 everyday
# words such as "wachtwoord" and "afwezig" fail.
ZIPF = 3.5

# The domain's own words (shared/DOMAIN.md), which a family meets at every round table and which
# no plainer word replaces; a glossary word also covers its plural and its -e form. Some pass on
# their own and need no entry: "netwerk" (4.86), "gezinsplan" (gezin + s + plan).
GLOSSARY = frozenset(
    {
        "regisseur",  # 4.23, but "regisseurs" is 3.45: the family's coordinator, by that name
        "rondetafel",  # 1.79: the meeting and the app, by its name
        "hulpverlener",  # 3.45, just under: the one word for every professional at the table
        "notitie",  # 3.31: the coordinator's own note on a family; "opmerking" is a remark
        "afmelden",  # 2.99: the pair of "aanmelden" (4.34), signing out; "uitloggen" is 2.51
    }
)

_PARSER = FluentParser()
_PLACEABLE = "\u2063"  # an invisible separator: a placeable's seat, neither word nor sentence end
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_NOT_WORDS = re.compile(r"[\w.+-]+@[\w.-]*\w|\b\w+\.\w+\b|https?://\S+")  # mail, url, a.b
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ADDRESS = frozenset({"u", "uw", "uzelf"})
# separable prefixes a participle's "ge" follows: af-ge-drukt, weg-ge-haald
_PREFIXES = ("", "aan", "af", "in", "mee", "op", "terug", "toe", "uit", "weg")


@dataclass(frozen=True)
class Text:
    """One string a person reads: where it lives and its words (each variant of a plural)."""

    where: str
    variants: tuple[str, ...]


def _expand(elements: list[ast.PatternElement]) -> list[str]:
    """Every text a pattern can give, a select's variants spelt out, placeables as a mark."""
    out = [""]
    for element in elements:
        if isinstance(element, ast.TextElement):
            out = [o + element.value for o in out]
        elif isinstance(element.expression, ast.SelectExpression):
            variants = [
                v for var in element.expression.variants for v in _expand(var.value.elements)
            ]
            out = [o + v for o in out for v in variants]
        else:
            out = [o + _PLACEABLE for o in out]
    return out


def catalogue_texts(folder: Path) -> Iterator[Text]:
    for path in sorted(folder.glob("*.ftl")):
        resource = _PARSER.parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if not isinstance(entry, ast.Message):
                continue
            patterns = [entry.value] + [a.value for a in entry.attributes]
            variants = [v for p in patterns if p is not None for v in _expand(p.elements)]
            yield Text(f"{path.parent.name}/{path.name} {entry.id.name}", tuple(variants))


_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_BODY_CLASS = re.compile(r"\{%\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}", re.S)
_INLINE = re.compile(r"</?(?:a|strong|em|b|i|bdi|span|abbr|small)\b[^>]*>", re.I)


def template_texts(folder: Path) -> Iterator[Text]:
    """The words a template writes itself, outside ``t()``: each run between block tags."""
    for path in sorted(folder.glob("*.html")):
        source = re.sub(
            r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S
        )
        source = _INLINE.sub("", _JINJA.sub(_PLACEABLE, _BODY_CLASS.sub("", source)))
        for run in re.split(r"<[^>]*>", source):
            # an attribute written by a macro, outside any tag, is code, not words
            if _WORD.search(run.replace(_PLACEABLE, " ")) and '="' not in run:
                text = " ".join(run.split())
                yield Text(f"templates/{path.name} '{text}'", (text,))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def words(sentence: str) -> list[tuple[str, bool]]:
    """The sentence's words, each with whether it opens the sentence (may carry a capital)."""
    found = _WORD.findall(_NOT_WORDS.sub(" ", sentence.replace(_PLACEABLE, " ")))
    return [(w, i == 0) for i, w in enumerate(found)]


def is_name(word: str, first: bool) -> bool:
    acronym = sum(c.isupper() for c in word) >= 2 and word.replace("-", "").isupper()
    return acronym or (word[0].isupper() and not first)


@cache
def _frequent(word: str) -> bool:
    return zipf_frequency(word, "nl") >= ZIPF


def _in_glossary(word: str) -> bool:
    return any(
        word.endswith(end) and word.removesuffix(end) in GLOSSARY for end in ("", "s", "en", "e")
    )


def _known(word: str) -> bool:
    return _frequent(word) or _in_glossary(word)


def _infinitives(stem: str) -> tuple[str, str]:
    return stem + "en", stem + stem[-1:] + "en"  # typ → typen, wis → wissen


def _simple(word: str) -> bool:
    """A common word, or a form of one: wordfreq counts forms, and a verb's stem (the command on
    a button: "typ") or participle ("gewist") is rarer in its corpus than the verb itself."""
    if _known(word) or _known(word.removesuffix("e")):  # weggehaalde → weggehaald
        return True
    bases = [word]
    for prefix in _PREFIXES:
        if word.startswith(prefix + "ge") and len(word) > len(prefix) + 4:
            bases.append(prefix + word[len(prefix) + 2 :])  # afgedrukt → afdrukt
    stems = {s for b in bases for s in (b, b.removesuffix("t"), b.removesuffix("d"))}
    return any(_known(form) for s in stems for form in _infinitives(s))


def _compound(word: str) -> bool:
    """Two simple words written as one, with or without a linking s: wacht+pagina, gezin+s+lid."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if _simple(tail) and (_simple(head) or (head.endswith("s") and _simple(head[:-1]))):
            return True
    return False


def is_plain(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    if _simple(lower) or _compound(lower):
        return True
    parts = word.split("-")  # e-mail, QR-code: each part plain, a letter or an acronym
    return len(parts) > 1 and all(len(p) < 2 or p.isupper() or is_plain(p) for p in parts)


def problems(text: str) -> list[str]:
    """What makes one text less than plain: a long sentence, a rare word, "u"."""
    found: list[str] = []
    for sentence in sentences(text):
        listed = words(sentence)
        if len(listed) > MAX_WORDS:
            found.append(f"{len(listed)} words in '{sentence}'")
        for word, first in listed:
            if word.lower() in _ADDRESS:
                found.append(f"'{word}': say 'je'")
            elif not is_name(word, first) and not is_plain(word):
                found.append(f"'{word}' is not a common word")
    return found


def all_texts() -> list[Text]:
    return [*catalogue_texts(MESSAGES / DEFAULT_LANGUAGE), *template_texts(TEMPLATES)]


def test_every_dutch_text_is_plain(capsys: pytest.CaptureFixture[str]) -> None:
    texts = all_texts()
    flagged = {t.where: sorted({p for v in t.variants for p in problems(v)}) for t in texts}
    flagged = {where: found for where, found in flagged.items() if found}
    with capsys.disabled():
        print(f"\nB1 lint: {len(texts)} Dutch strings checked, {len(flagged)} flagged")
    report = "\n".join(f"{where}: {'; '.join(found)}" for where, found in sorted(flagged.items()))
    assert not flagged, (
        "Plainer words, a shorter sentence, or 'je' (or a glossary entry):\n" + report
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wil je meedoen? Typ dan de code.", []),
        ("Kunt u dit lezen?", ["'u': say 'je'"]),
        ("Dit is uw plan.", ["'uw': say 'je'"]),
        ("Er is een escalatie.", ["'escalatie' is not a common word"]),
        ("Doe mee op de wachtpagina van het gezinsplan.", []),  # a compound, a glossary word
        ("Welkom, \u2063. Bel Wijkcentrum De Brug op 06 12345678 of mail naam@voorbeeld.nl.", []),
        (" ".join(["woord"] * 16) + ".", ["16 words in '" + " ".join(["woord"] * 16) + ".'"]),
        (" ".join(["woord"] * 15) + ". Nog een zin.", []),
    ],
)
def test_the_lint_flags_what_is_not_plain(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_the_lint_reads_every_plural_variant_and_template_text(tmp_path: Path) -> None:
    (tmp_path / "x.ftl").write_text(
        "n = { $n ->\n    [one] U wacht.\n   *[other] Je wacht { $n } keer.\n}\n", encoding="utf-8"
    )
    (tmp_path / "x.html").write_text("<p>Hier ziet u {{ name }} <a href='/'>dit</a>.</p>\n")
    [message] = catalogue_texts(tmp_path)
    assert message.variants == ("U wacht.", "Je wacht \u2063 keer.")
    [page] = template_texts(tmp_path)
    assert problems(page.variants[0]) == ["'u': say 'je'"]
