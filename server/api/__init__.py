"""JSON for the pages' scripts and other systems: families and their people, the plan, the
table (join code, admission), the session."""

from . import admission, families, plan, read_aloud, session, table

routes = [
    *families.routes,
    *plan.routes,
    *table.routes,
    *session.routes,
    *admission.routes,
    *read_aloud.routes,
]
