"""The family plan on A4 paper, as a PDF the family keeps (fpdf2, pure Python).

It takes what the plan page shows (``plan.version_view``) and lays it out in the same order
and words: no HTML goes in, every value is set as plain text, so a name or goal cannot turn
into markup. The labels are in the reader's language (``messages.t``), the plan's content as
written. The document has that language, a title and an outline (bookmarks) per section, for
screen readers and for finding one's way on a phone.

Fonts: DejaVu Sans (``settings.pdf_font_dir``), which has the letters of Dutch, Turkish,
Polish, Ukrainian, Arabic-script names and more; Noto Sans Arabic beside it (Debian
fonts-noto-core, ``../noto/``) for the letters DejaVu lacks. Arabic letters join and run right
to left only after shaping: fpdf2 does it with HarfBuzz (``uharfbuzz``), switched on for a
right-to-left reader, and for the family's words written in a right-to-left language (their
``lang``: an Arabic vision in a Dutch reader's plan). Without DejaVu the PDF falls back to a
built-in font that knows only Western European letters; any other letter is shown as "?"
rather than failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unicodedata import bidirectional

from fpdf import FPDF

from ..messages import direction, language, t

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FALLBACK = "NotoArabic"  # files relative to the DejaVu folder's parent (Debian's layout)
FALLBACK_FILES = {
    "": "noto/NotoSansArabic-Regular.ttf",
    "B": "noto/NotoSansArabic-Bold.ttf",
    "I": "noto/NotoSansArabic-Regular.ttf",
}
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))  # Fluent's, see text_of
STRONG = ("L", "R", "AL")  # the bidi classes that set a paragraph's direction
LINE = 5.5  # mm per line of body text
Row = dict[str, Any]


class PlanPdf(FPDF):
    """A4 with a footer that says whose plan it is and which page."""

    def __init__(self, font_dir: Path, footer: str):
        super().__init__(format="A4")
        self.footer_text = footer
        self.unicode = all((font_dir / name).is_file() for name in FONT_FILES.values())
        if self.unicode:
            for style, name in FONT_FILES.items():
                self.add_font(FONT, style, str(font_dir / name))
            noto = {style: font_dir.parent / name for style, name in FALLBACK_FILES.items()}
            if all(path.is_file() for path in noto.values()):
                for style, path in noto.items():
                    self.add_font(FALLBACK, style, str(path))
                self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.body_font = FONT if self.unicode else "helvetica"
        self.rtl = language().direction == "rtl"
        self.align = "R" if self.rtl else "L"
        if self.unicode and self.rtl:
            self.set_text_shaping(use_shaping_engine=True, direction="rtl")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def own_direction(self, text: str, lang: str | None = None) -> None:
        """Each paragraph in the direction of its first letter (as dir="auto" in the page): a
        Dutch line in an Arabic plan stays as written, its full stop at its end. A left-to-right
        reader's plan shapes only words written in a right-to-left language (``lang``)."""
        if not self.unicode:
            return
        if not (self.rtl or (lang and direction(lang) == "rtl")):
            if self.text_shaping:  # the paragraph before was such words: back to the labels
                self.set_text_shaping(use_shaping_engine=False)
                self.align = "L"
            return
        first = next((bidirectional(ch) for ch in text if bidirectional(ch) in STRONG), "R")
        self.align = "L" if first == "L" else "R"
        self.set_text_shaping(use_shaping_engine=True, direction="ltr" if first == "L" else "rtl")

    def text_of(self, value: object, lang: str | None = None) -> str:
        """``value`` as set in the PDF; ``lang``: the language the family wrote it in."""
        # the isolation marks Fluent puts around placeables in a right-to-left page have no
        # glyph; the shaping engine orders the line by itself
        text = str(value).translate(ISOLATES)
        self.own_direction(text, lang)
        # the built-in font has Latin-1 only: unknown letters become "?" instead of an error
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.body_font, "", 8)
        self.set_text_color(75, 85, 99)
        self.cell(0, 6, self.text_of(f"{self.footer_text} · {self.page_no()}/{{nb}}"), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, level: int = 1) -> None:
        size = {0: 18, 1: 14, 2: 12}[level]
        if self.will_page_break(size + 12):
            self.add_page()
        self.ln(3 if level else 0)
        if level < 2:
            self.start_section(self.text_of(text), level=level)
        self.set_font(self.body_font, "B", size)
        self.multi_cell(
            0, size * 0.5, self.text_of(text), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(1.5)

    def para(self, text: str, style: str = "", size: int = 11, lang: str | None = None) -> None:
        self.set_font(self.body_font, style, size)
        text = self.text_of(text, lang)
        self.multi_cell(0, LINE, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def words(self, text: str, lang: str | None, size: int = 11) -> None:
        """The family's words in the language they were written in, or "nothing yet"."""
        self.para(text or t("plan.nothing_yet"), size=size, lang=lang if text else None)

    def fact(self, label: str, value: str, lang: str | None = None) -> None:
        self.set_font(self.body_font, "B", 10)
        self.multi_cell(
            0, LINE, self.text_of(label), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )
        self.words(value, lang, size=10)


def plan_pdf(family: str, shown: Row, made: str, font_dir: Path) -> bytes:
    """The PDF of one plan version; ``shown`` is ``plan.version_view``, ``made`` the moment
    of download in the family's time, in words."""
    version = shown["version"]
    pdf = PlanPdf(font_dir, t("plan.pdf_footer", family=family, number=version["number"]))
    pdf.set_lang(language().code)
    pdf.set_title(pdf.text_of(t("plan.heading", family=family)))
    pdf.set_creator(t("common.app_name"))
    pdf.add_page()
    pdf.heading(t("plan.heading", family=family), 0)
    meta = t("plan.version_line", number=version["number"], date=version["date"])
    if version["closed_by"]:
        meta += " " + t("plan.closed_by_line", name=version["closed_by"])
    pdf.para(meta)
    pdf.para(t("plan.pdf_made", when=made), "I", 9)
    plan, languages = shown["plan"], shown.get("languages", {})
    for key in ("vision", "strengths", "concerns"):
        pdf.heading(t(f"plan.{key}"))
        pdf.words(plan[key], languages.get(key))
    pdf.heading(t("plan.goals"))
    for goal in shown["goals"]:
        _goal(pdf, goal)
    if not shown["goals"]:
        pdf.para(t("plan.no_goals"))
    if shown["other_actions"]:
        pdf.heading(t("plan.other_actions"))
        for action in shown["other_actions"]:
            _action(pdf, action)
    _contacts(pdf, shown["contacts"])
    _decisions(pdf, shown["decisions"])
    pdf.heading(t("plan.minutes"))
    pdf.words(plan["minutes"], languages.get("minutes"))
    if plan["next_meeting"]:
        pdf.para(t("plan.next_meeting", date=plan["next_meeting"]), "B")
    return bytes(pdf.output())


def _goal(pdf: PlanPdf, goal: Row) -> None:
    title = t("plan.goal_number", number=goal["number"])
    pdf.heading(f"{title} · {goal['domain']}" if goal["domain"] else title, 2)
    pdf.fact(t("plan.goal_words"), goal["text"], goal["lang"])
    if goal["trace"]:  # who thought of it and who changed it, as on the plan page
        pdf.para(goal["trace"], "I", 9)
    pdf.fact(t("plan.professional_view"), goal["professional_view"])
    pdf.fact(t("plan.score"), goal["score_line"])
    pdf.set_font(pdf.body_font, "B", 10)
    label = pdf.text_of(t("plan.goal_actions"))
    pdf.multi_cell(0, LINE, label, align=pdf.align, new_x="LMARGIN", new_y="NEXT")
    for action in goal["actions"]:
        _action(pdf, action)
    if not goal["actions"]:
        pdf.para(t("plan.no_goal_actions"), size=10)
    pdf.ln(2)


def _action(pdf: PlanPdf, action: Row) -> None:
    owner = action["owner"]
    who = owner["name"] if owner else t("plan.no_owner")
    if owner and owner["about"]:
        who += f" ({owner['about']})"
    lines = [
        f"• {action['text'] or t('plan.nothing_yet')}",
        f"   {t('plan.action_who')}: {who}",
        f"   {t('plan.action_due')}: {action['due'] or t('plan.no_due')}",
        f"   {t('plan.action_status')}: {action['status_label']}",
    ]
    if action["evaluation"]:
        lines.append(f"   {t('plan.action_evaluation')}: {action['evaluation']}")
    pdf.para("\n".join(lines), size=10)


def _contacts(pdf: PlanPdf, contacts: list[Row]) -> None:
    pdf.heading(t("plan.contacts"))
    if not contacts:
        pdf.para(t("plan.no_contacts"))
        return
    pdf.para(t("plan.contacts_intro"))
    for contact in contacts:
        person = contact["person"]
        about = f" ({person['about']})" if person["about"] else ""
        pdf.para(f"• {contact['domain']}: {person['name']}{about}", size=10)


def _decisions(pdf: PlanPdf, decisions: list[Row]) -> None:
    if not decisions:
        return
    pdf.heading(t("plan.decisions"))
    pdf.para(t("plan.decisions_intro"))
    for decision in decisions:
        pdf.fact(t("plan.decision_what"), decision["text"], decision["lang"])
        if decision["reason"]:
            pdf.fact(t("plan.decision_reason"), decision["reason"], decision["lang"])
        if decision["options"]:
            pdf.fact(t("plan.decision_options"), decision["options"], decision["lang"])
        if decision["trace"]:
            pdf.para(decision["trace"], "I", 9)
        if decision["lifted"]:
            pdf.para(decision["lifted"], "B", 9)
