"""The catalogue (server/messages.py): every language folder has every Dutch message, with the
same placeables; the files parse; the key mapping is one to one; the server's t() speaks the
request's language, with CLDR plurals and dates in that language."""

from __future__ import annotations

from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from server.messages import (
    DEFAULT_LANGUAGE,
    MESSAGES,
    catalogue,
    languages,
    long_date,
    speaking,
    t,
    t_in,
)


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def read_folder(folder: Path) -> dict[str, dict[str, set[str]]]:
    """``{section: {id: placeables}}`` of one language folder; parse errors and duplicate ids
    fail here, naming the file."""
    parser = FluentParser()
    out: dict[str, dict[str, set[str]]] = {}
    for path in sorted(folder.glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        junk = [e.content.strip()[:60] for e in resource.body if isinstance(e, ast.Junk)]
        assert not junk, f"{path}: Fluent cannot read {junk}"
        messages: dict[str, set[str]] = {}
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in messages, f"{path}: {entry.id.name} twice"
                found = _Variables()
                found.visit(entry)
                messages[entry.id.name] = found.names
        out[path.stem] = messages
    return out


def differences(root: Path, code: str) -> list[str]:
    """What one language lacks, has extra, or fills differently, against Dutch."""
    dutch, other = read_folder(root / DEFAULT_LANGUAGE), read_folder(root / code)
    problems: list[str] = []
    for section, messages in dutch.items():
        theirs = other.get(section, {})
        for mid, names in messages.items():
            if mid not in theirs:
                problems.append(f"{code}/{section}.ftl lacks {mid}")
            elif theirs[mid] != names:
                ours = sorted(theirs[mid])
                problems.append(f"{code}/{section}.ftl {mid}: {ours} ≠ {sorted(names)}")
        problems += [
            f"{code}/{section}.ftl has {m}, not in Dutch" for m in theirs if m not in messages
        ]
    problems += [f"{code}/{s}.ftl has no Dutch file" for s in other if s not in dutch]
    if "language_name" not in other.get("common", {}):
        problems.append(f"{code}/common.ftl lacks language_name (its name in its own words)")
    return problems


FOLDERS = sorted(p.name for p in MESSAGES.iterdir() if p.is_dir())


@pytest.mark.parametrize("code", FOLDERS)
def test_every_language_has_every_message_with_the_same_placeables(code: str) -> None:
    assert differences(MESSAGES, code) == []


def test_a_missing_message_or_a_changed_placeable_is_found(tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "xx").mkdir()
    (tmp_path / "nl" / "common.ftl").write_text(
        "language_name = Nederlands\nhello = Dag { $name }\nbye = Tot ziens\n", encoding="utf-8"
    )
    (tmp_path / "xx" / "common.ftl").write_text(
        "language_name = X\nhello = Hi { $who }\n", encoding="utf-8"
    )
    assert differences(tmp_path, "xx") == [
        "xx/common.ftl hello: ['who'] ≠ ['name']",
        "xx/common.ftl lacks bye",
    ]


def test_no_key_is_both_a_text_and_a_group() -> None:
    """``a-b`` beside ``a`` would make ``section.a`` both a text and a list of texts."""
    for lang in languages():
        keys = set(catalogue(lang.code))
        for key in keys:
            parts = key.split(".")
            above = [".".join(parts[:n]) for n in range(2, len(parts))]
            clash = [group for group in above if group in keys]
            assert not clash, f"{lang.code}: {key} lies under the text {clash}"


def test_keys_map_one_to_one_to_ids() -> None:
    keys = catalogue()
    assert keys["meeting.save.saved"] == "save-saved"
    assert keys["meeting.agenda.steps.0.title"] == "agenda-steps-0-title"
    assert keys["meeting.refused.4401"] == "refused-4401"
    assert len(set(keys.values())) <= len(keys)  # ids repeat only across sections


def test_dutch_is_first_and_every_language_names_itself() -> None:
    assert languages()[0].code == "nl"
    assert languages()[0].name == "Nederlands"
    assert all(lang.name and lang.direction in ("ltr", "rtl") for lang in languages())


def test_counts_choose_their_plural_form() -> None:
    assert t_in("nl", "family.days", days=1) == "1 dag"
    assert t_in("nl", "family.days", days=3) == "3 dagen"
    assert t_in("nl", "file.born", year=2018) == "Geboren in 2018"  # no 2.018


def test_the_request_language_is_used_and_dates_follow_it() -> None:
    with speaking("en"):
        assert t("common.error_home") == "Back to the start"
        assert long_date("2026-11-25") == "November 25, 2026"
        assert t("family.days", days=1) == "1 day"
    assert long_date("2026-11-25T14:05") == "25 november 2026 om 14:05 uur"


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        t("meeting.no_such_text")


@pytest.mark.parametrize("code", [lang.code for lang in languages()])
def test_a_step_title_ending_in_a_question_mark_gets_no_full_stop_after_it(code: str) -> None:
    """``$ends`` is what ``web/src/views/agenda.js`` passes: ``mark`` after a title's own
    ``?`` or ``!`` ("stap 2: Wat gaat goed?", never "goed?.")."""
    for n in range(7):
        title = t_in(code, f"meeting.agenda.steps.{n}.title")
        ends = "mark" if title.endswith(("?", "!", "؟")) else "other"
        for key in ("meeting.agenda.moved", "meeting.agenda.moved_on"):
            line = t_in(code, key, n=n + 1, title=title, ends=ends)
            assert title in line, (code, key)
            after = line.split(title, 1)[1].lstrip("\u2069")  # past an RTL isolate's end
            assert after.startswith(".") == (ends == "other"), (code, key, line)
    assert t_in(code, "meeting.agenda.steps.1.title").endswith(("?", "؟"))  # one such title
