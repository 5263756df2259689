"""The load generator's edit keys (not a benchmark): an edit the server relays with its
authorship stamp merged in is still found, whichever client group comes first."""

from __future__ import annotations

from pycrdt import Doc, Map, Text, merge_updates

from tests.bench.loadgen import update_key, update_keys


def _edit_and_stamp(typist_id: int, server_id: int) -> tuple[bytes, bytes]:
    """A typist's one-character insert, and it merged with a server's stamp on its part."""
    typist, server = Doc(client_id=typist_id), Doc(client_id=server_id)
    typist["text"] = Text("Oma haalt de kinderen op")
    server.apply_update(typist.get_update())
    before = typist.get_state()
    typist["text"] += "!"
    edit = typist.get_update(before)
    server.apply_update(edit)
    before = server.get_state()
    server["stamps"] = Map({"text_by": "a664d5653fa84cb68e7534e62b5a6b61", "at": 1.5, "n": -3})
    return edit, merge_updates(edit, server.get_update(before))


def test_a_stamped_edit_keeps_its_key_whichever_group_comes_first() -> None:
    for typist_id, server_id in ((7, 2**40), (2**40, 7)):
        edit, stamped = _edit_and_stamp(typist_id, server_id)
        key = update_key(edit)
        assert key is not None and key[0] == typist_id
        assert key in list(update_keys(stamped))
        assert update_key(stamped) == (key if typist_id > server_id else (server_id, 0))
        assert len(list(update_keys(stamped))) == 2


def test_a_deletion_has_no_key() -> None:
    doc = Doc(client_id=7)
    doc["text"] = text = Text("abc")
    before = doc.get_state()
    del text[0:1]
    assert list(update_keys(doc.get_update(before))) == []
