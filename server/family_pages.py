"""Placeholder: filled in by its own change."""

from starlette.routing import Route

routes: list[Route] = []
