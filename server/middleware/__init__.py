"""Pure ASGI middleware around every request: CSRF and origin checks, security headers."""
