"""What an applied update leaves waiting in Yrs: content, or deletions, of items the doc lacks.

The gate refuses such an update (``gate.Gate.check``): checked only when what the apply
changed is not the update itself, which every keystroke is.
"""

from __future__ import annotations

from pycrdt import Doc, get_update

from .protocol import _Reader


def waiting(update: bytes, doc: Doc) -> bool:
    """Whether some of ``update`` is still not in ``doc`` after applying it: Yrs keeps content
    whose origin or predecessor is missing *pending*, with no event and no effective update,
    and integrates it in whichever later transaction brings what it builds on: someone
    else's, judged by their rights. A deletion of items the doc does not have yet waits the
    same way (and would delete the next characters someone types). So both are refused.

    What is left of an update against the doc's state vector has no structs once all of
    them are in; its delete set is the update's, each range checked against the clocks."""
    state = doc.get_state()
    rest = _Reader(get_update(update, state))
    if rest.var_uint() != 0:  # clients with structs not in the doc
        return True
    clients = rest.var_uint()
    if clients == 0:
        return False
    clocks = _clocks(state)
    for _ in range(clients):
        client, ranges = rest.var_uint(), rest.var_uint()
        for _ in range(ranges):
            clock, length = rest.var_uint(), rest.var_uint()
            if clock + length > clocks.get(client, 0):
                return True
    return False


def _clocks(state: bytes) -> dict[int, int]:
    """A state vector: client → the clock of the first item the doc does not have."""
    reader = _Reader(state)
    return {reader.var_uint(): reader.var_uint() for _ in range(reader.var_uint())}
