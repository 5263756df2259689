"""What a stored plan version holds, read the way the plan pages show it: tolerant readers
(a version written by an older release, or an odd shape, shows empty, never fails; the ones
``plan_words`` reads with, under their short names here) and the small score chart of a goal."""

from __future__ import annotations

import math
from typing import Any

from ..crdt import rights
from ..messages import DEFAULT_LANGUAGE, t
from ..plan_words import attendance_lines, items_of, label_or_code, mapping_of, plain_text

items, mapping, text, label = items_of, mapping_of, plain_text, label_or_code
attendance = attendance_lines  # the compare page's attendance section reads it the same way

# the score chart, in px: size and the room kept free around the plot for the labels
CHART_WIDTH, CHART_HEIGHT = 300, 136
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 34, 26, 26, 32


def chart(points: list[tuple[int, int]]) -> dict[str, Any] | None:
    """A small line chart of a goal's score per plan version, as SVG coordinates."""
    if not points:
        return None
    left, right = CHART_LEFT, CHART_WIDTH - CHART_RIGHT
    top, bottom = CHART_TOP, CHART_HEIGHT - CHART_BOTTOM

    def x(i: int) -> float:
        if len(points) == 1:
            return (left + right) / 2
        return round(left + i * (right - left) / (len(points) - 1), 1)

    def y(score: float) -> float:
        return round(bottom - score * (bottom - top) / 10, 1)

    dots = [
        {"x": x(i), "y": y(score), "score": score, "number": number}
        for i, (number, score) in enumerate(points)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": left,
        "right": right,
        "label_y": CHART_HEIGHT - 8,
        "grid": [{"score": s, "y": y(s)} for s in (0, 5, 10)],
        "dots": dots,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "text": " → ".join(str(score) for _, score in points),
        "title": t(
            "plan.chart_title",
            scores=", ".join(
                t("plan.chart_point", number=number, score=score) for number, score in points
            ),
        ),
    }


def whole(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def score(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return min(10, max(0, round(value)))


def language(value: Any) -> str:
    """The language an item's or a text's words were written in (its ``lang``), for the page's
    ``lang`` attribute and read-aloud; without one (or an odd one) they were written in Dutch."""
    if isinstance(value, str) and rights.valid_scalar("lang", value) and value:
        return value
    return DEFAULT_LANGUAGE


def domain(domain: Any) -> str:
    return label("common.domains", str(domain)) if domain else t("plan.no_domain")
