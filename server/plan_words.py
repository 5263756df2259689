"""The one diff (``plan_diff``) put into plain Dutch: sections of entries, each with what it
is about, who did it and what it was before and is now. The compare page, the print, the
closing review and the shared screen's closing step all show exactly this (the pages through
``_plan_changes.html``, the meeting room through ``web/src/views/changes.js``).

A section: ``{"key", "title", "items": [entry]}``; an entry: ``{"text", "by", "note",
"domain", "fields": [{"label", "before", "after"}], "facts": [{"label", "value"}]}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .crdt import schema
from .crdt.schema import Role
from .messages import catalogue, long_date, t
from .plan_diff import diff

Item = dict[str, Any]
Entry = dict[str, Any]
A = schema.Attendance
ATTENDANCE_ORDER = (A.DEVICE, A.AT_TABLE, A.SENT_WORD, A.ABSENT)
FAMILY_PARTS = frozenset({"vision", "strengths"})  # the family's own words
# fields of a changed item shown, in this order (the others are bookkeeping)
SHOWN = {
    "goals": ("text", "domain", "professional_view"),
    "actions": ("text", "goal_id", "owner_id", "due", "status", "evaluation"),
    "decisions": ("text", "reason", "options"),
}


class Words:
    """Names and values of two plans as people read them."""

    def __init__(self, old: schema.Plan, new: schema.Plan, people: dict[str, Any]):
        self.old, self.new = old, new
        self.people = {**people, **mapping_of(old, "people"), **mapping_of(new, "people")}

    def name(self, person_id: Any) -> str:
        person = self.people.get(str(person_id)) if person_id else None
        if not isinstance(person, dict) or not person.get("name"):
            return t("plan.unknown_person")
        return str(person["name"])

    def who(self, person_id: Any, on_behalf: bool = False) -> str:
        """ "Lotte Smit (regisseur, namens het gezin)": a name with the role it acted in."""
        person = self.people.get(str(person_id))
        role = str(person.get("role") or "") if isinstance(person, dict) else ""
        if on_behalf and role == Role.COORDINATOR:
            return t("plan.who_for_family", name=self.name(person_id))
        if role in schema.ROLES:
            return t("plan.who_role", name=self.name(person_id), role=t(f"common.roles.{role}"))
        return self.name(person_id)

    def by(self, person_id: Any, on_behalf: bool = False) -> str:
        """ "Door Lotte Smit (regisseur, namens het gezin)"; empty when nobody is known."""
        return t("plan.by", who=self.who(person_id, on_behalf)) if person_id else ""

    def who_all(self, person_ids: list[str], on_behalf: bool = False) -> str:
        """ "Daan Bakker (gezin) en Lotte Smit (regisseur)": everyone who changed a part."""
        names = [self.who(pid, on_behalf) for pid in person_ids]
        if len(names) > 1:
            return t("plan.c.and", first=", ".join(names[:-1]), last=names[-1])
        return names[0] if names else ""

    def by_all(self, person_ids: list[str], on_behalf: bool = False) -> str:
        """ "Door Daan Bakker (gezin) en Lotte Smit (regisseur)"; empty when nobody is known."""
        return t("plan.by", who=self.who_all(person_ids, on_behalf)) if person_ids else ""

    def trace(self, item: Item, list_name: str) -> str:
        """Who wrote an item and who changed it last, for the plan page: "Bedacht door Daan
        Bakker (gezin); aangepast door Lotte Smit (regisseur, namens het gezin)"."""
        author = item.get("decided_by" if list_name == "decisions" else "author_id")
        changer = item.get("changed_by")
        parts = []
        if author:
            wrote = "decided" if list_name == "decisions" else "thought"
            parts.append(t(f"plan.trace_{wrote}", who=self.who(author)))
        if changer and changer != author:
            parts.append(t("plan.trace_changed", who=self.who(changer, list_name == "goals")))
        return "; ".join(parts)

    def value(self, field: str, value: Any, plan: schema.Plan) -> str:
        """One field's value as text."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return t("plan.empty_value")
        if field == "domain":
            return label_or_code("common.domains", value)
        if field in ("status", "last_status"):
            return label_or_code("common.statuses", value)
        if field in ("due", "next_meeting", "lifted_at", "removed_at"):
            return long_date(value) or str(value)
        if field in ("owner_id", "author_id", "person"):
            return self.name(value)
        if field == "goal_id":
            goal = next((g for g in items_of(plan, "goals") if g.get("id") == value), None)
            return plain_text(goal.get("text")) if goal else t("plan.empty_value")
        return plain_text(value)


def changes(old: schema.Plan, new: schema.Plan, people: dict[str, Any]) -> dict[str, Any]:
    """The sections of what changed from ``old`` to ``new``, and ``nothing`` when none."""
    raw = diff(old, new)
    words = Words(old, new, people)
    sections: list[dict[str, Any]] = []

    def add(key: str, items: list[Any], entry: Callable[[Any], Entry]) -> None:
        if items:
            sections.append(
                {"key": key, "title": t(f"plan.c.{key}"), "items": list(map(entry, items))}
            )

    by = raw["changed_by"]

    def by_part(part: str) -> str:  # the family's own words: a coordinator writes for them
        return words.by_all(by.get(part, []), on_behalf=part in FAMILY_PARTS)

    for change in raw["texts"]:
        add(
            f"text_{change['field']}",
            [change],
            lambda c: {**_before_after(words, c["field"], c), "by": by_part(c["field"])},
        )
    add("scores", raw["scores"], lambda s: _score(s))
    add(
        "not_scored",
        raw["not_scored"],
        lambda s: _entry(s.get("text"), note=t("plan.c.last_score", score=s["last"])),
    )
    for name in schema.LISTS:
        _list_sections(add, words, name, raw[name])
    add(
        "contacts",
        raw["contacts"],
        lambda c: _entry(
            label_or_code("common.domains", c["key"]),
            by=by_part("contacts"),
            fields=[_field(words, "person", c["before"], c["after"], t("plan.c.contact_person"))],
        ),
    )
    if raw["minutes"]:
        add("minutes", [raw["minutes"]], lambda text: _entry(text, by=by_part("minutes")))
    if raw["next_meeting"]:
        date = words.value("next_meeting", raw["next_meeting"], words.new)
        add("next_meeting", [date], lambda text: _entry(text, by=by_part("next_meeting")))
    # this meeting's attendance, as the plan page shows it (only the plan's people have a name)
    there = [{"label": x["label"], "value": x["names"]} for x in attendance_lines(words.new)]
    if raw["attendance"] and there:
        add("attendance", [there], lambda f: _entry("", by=by_part("attendance"), facts=f))
    people = raw["people"]
    add("people_added", people["added"], lambda p: _entry(p.get("name"), note=_about(p)))
    add("people_changed", people["changed"], lambda c: _person_changed(words, c))
    add("people_removed", people["removed"], lambda p: _entry(p.get("name"), note=_about(p)))
    return {"sections": sections, "nothing": not sections}


# each meeting's own record, not a change to the plan: the plan's minutes show them already
MEETING_RECORD = frozenset({"minutes", "next_meeting", "attendance"})


def plan_changes_only(changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` without the meeting's own record, for a page that shows the minutes too."""
    sections = [s for s in changes["sections"] if s["key"] not in MEETING_RECORD]
    return {"sections": sections, "nothing": not sections}


def attendance_lines(plan: schema.Plan) -> list[dict[str, str]]:
    """Who took part and how, as the minutes show it: one line per kind (with a device, at the
    table without one, sent word, absent), names in the plan's order of people."""
    marks = mapping_of(plan, "attendance")
    people = mapping_of(plan, "people")
    lines = []
    for mark in ATTENDANCE_ORDER:
        names = [
            plain_text(people[pid].get("name"))
            for pid in people
            if marks.get(pid) == mark and isinstance(people[pid], dict)
        ]
        if names:
            lines.append({"label": t(f"plan.attendance.{mark}"), "names": ", ".join(names)})
    return lines


def _person_changed(words: Words, change: Item) -> Entry:
    def details(person: Item) -> str:
        role = person.get("role")
        parts = [t(f"common.roles.{role}") if role in schema.ROLES else "", _about(person)]
        parts += [str(person.get("offers") or "")]
        return ", ".join(p for p in parts if p) or t("plan.empty_value")

    before, after = change["before"], change["after"]
    fields = []
    if "name" in change["fields"]:
        name = t("plan.c.person_name")
        fields.append(_field(words, "text", before.get("name"), after.get("name"), name))
    if set(change["fields"]) - {"name"}:
        shown = {"before": details(before), "after": details(after)}
        fields.append({"label": t("plan.c.person_details"), **shown})
    return _entry(after.get("name"), fields=fields)


def _list_sections(add: Callable[..., None], words: Words, name: str, raw: dict[str, Any]) -> None:
    on_behalf = name == "goals"  # the goal is the family's: the coordinator words it for them

    def item(entry: Item, plan: schema.Plan, by: Any = None) -> Entry:
        return _item(words, name, entry, plan, by)

    add(f"{name}_added", raw["added"], lambda i: item(i, words.new, _author(i)))
    add(
        f"{name}_changed",
        [c for c in raw["changed"] if any(f in SHOWN[name] for f in c["fields"])],
        lambda c: {
            **item(c["after"], words.new),
            "by": words.by(c.get("by"), on_behalf),
            "facts": [],
            "fields": [
                _field(words, f, c["before"].get(f), c["after"].get(f), t(f"plan.field.{f}"))
                for f in SHOWN[name]
                if f in c["fields"]
            ],
        },
    )
    if name == "actions":
        add("actions_finished", raw["finished"], lambda i: item(i, words.old))
    if name == "decisions":
        add(
            "decisions_lifted",
            raw["lifted"],
            lambda d: {
                **item(d, words.new),
                "by": words.by(d.get("lifted_by")),
                "note": t(
                    "plan.c.lifted_on", date=words.value("lifted_at", d.get("lifted_at"), words.new)
                ),
            },
        )
        add("decisions_ended", raw["ended"], lambda d: item(d, words.old))
    add(
        f"{name}_removed",
        raw["removed"],
        lambda i: {**item(i, words.old), "by": words.by(i.get("removed_by"), on_behalf)},
    )


def _author(item: Item) -> str | None:
    return item.get("author_id") or item.get("decided_by")


def _item(words: Words, name: str, item: Item, plan: schema.Plan, by: Any = None) -> Entry:
    facts = []
    if name == "actions":
        shown = {"owner_id": "plan.no_owner", "due": "plan.no_due", "status": "plan.empty_value"}
        for key, nothing in shown.items():
            value = words.value(key, item.get(key), plan) if item.get(key) else t(nothing)
            facts.append({"label": t(f"plan.field.{key}"), "value": value})
        if plain_text(item.get("evaluation")):
            facts.append(
                {"label": t("plan.action_evaluation"), "value": plain_text(item["evaluation"])}
            )
    domain = label_or_code("common.domains", item["domain"]) if item.get("domain") else ""
    return _entry(item.get("text"), by=words.by(by), facts=facts, domain=domain)


def _score(change: Item) -> Entry:
    before, after = change["from"], change["to"]
    note = t(
        "plan.score_change", before=t("plan.empty_value") if before is None else before, after=after
    )
    if before is not None:
        direction = "up" if after > before else "down" if after < before else "same"
        note += f" ({t('plan.score_' + direction)})"
    return _entry(change.get("text"), note=note)


def _before_after(words: Words, field: str, change: Item) -> Entry:
    return _entry(
        "", fields=[_field(words, field, change["before"], change["after"], t("plan.c.text_label"))]
    )


def _field(words: Words, field: str, before: Any, after: Any, label: str) -> dict[str, str]:
    return {
        "label": label,
        "before": words.value(field, before, words.old),
        "after": words.value(field, after, words.new),
    }


def _entry(
    text: Any,
    by: str = "",
    note: str = "",
    fields: list[Any] | None = None,
    facts: list[Any] | None = None,
    domain: str = "",
) -> Entry:
    return {
        "text": plain_text(text),
        "by": by,
        "note": note,
        "domain": domain,
        "fields": fields or [],
        "facts": facts or [],
    }


def _about(person: Item) -> str:
    return ", ".join(str(person[k]) for k in ("relation", "organisation") if person.get(k))


def label_or_code(prefix: str, key: Any) -> str:
    """A catalogue label for a code, or the code itself when the catalogue does not know it."""
    full = f"{prefix}.{key}"
    return t(full) if full in catalogue() else str(key)


# the tolerant readers of a stored plan (an older release's version, or an odd shape, reads
# as empty, never fails); the plan pages read with them too (``pages/plan_view.py``)


def plain_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def items_of(plan: schema.Plan, name: str) -> list[Item]:
    items = plan.get(name)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def mapping_of(plan: schema.Plan, name: str) -> dict[str, Any]:
    value = plan.get(name)
    return value if isinstance(value, dict) else {}
