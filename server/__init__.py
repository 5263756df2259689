"""Rondetafel: the live round-table app for 1Gezin1Plan."""
