"""What one value in the document may be, as the gate checks it: its kind (a Text without
formatting, or a plain value the schema's kind accepts), its length, whether it is empty, and
which keys the creator of an item may fill. Pure functions over pycrdt's raw types, read
inside the gate's transaction."""

from __future__ import annotations

from typing import Any

from pycrdt._pycrdt import Map as _RawMap
from pycrdt._pycrdt import Text as _RawText

from . import rights
from .rights import Field

_SCALARS = (str, int, float)


def may_create(root: str, key: str, spec: Field, role: str) -> bool:
    """Whether the creator of an item may give ``key`` a value: it is the item's author, and
    the stamped fields are overwritten anyway; an ``id`` is the creator's to choose."""
    if key == "id" or key in rights.STAMPS.get(root, {}):
        return True
    return role in spec.writers or spec.author_too


def value_of(item: Any, key: str, txn: Any) -> Any:
    if type(item) is not _RawMap:
        return None
    try:
        return item.get(txn, key)
    except ValueError:  # pycrdt's "Key error"
        return None


def is_empty(value: Any, txn: Any) -> bool:
    if type(value) is _RawText:
        return bool(value.len(txn) == 0)
    return value is None


def kind_problem(spec: Field, value: Any, txn: Any, fresh: bool = False) -> str | None:
    """What is wrong with ``value`` as a value of ``spec``'s kind, or None."""
    if spec.kind == "text":
        if type(value) is not _RawText:
            return "not a text"
        if fresh:
            for chunk, attributes in value.diff(txn):
                if attributes or not isinstance(chunk, str):
                    return "formatting or an embed"
        return length_problem(spec, value, txn)
    if type(value) in (_RawMap, _RawText) or not (value is None or isinstance(value, _SCALARS)):
        return "not a plain value"
    return None if rights.valid_scalar(spec.kind, value) else f"not a valid {spec.kind}"


def length_problem(spec: Field, text: Any, txn: Any) -> str | None:
    size = text.len(txn)  # UTF-8 bytes: never fewer than the characters
    if size > spec.limit and len(text.get_string(txn)) > spec.limit:
        return f"longer than {spec.limit} characters"
    return None
