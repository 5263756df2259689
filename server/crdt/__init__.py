"""The live-document core: protocol, rooms, the write path. No web or SQL imports here."""
