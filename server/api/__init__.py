"""JSON for the pages' scripts: the plan, the table (join code, admission), the session."""

from . import admission, plan, session, table

routes = [*plan.routes, *table.routes, *session.routes, *admission.routes]
