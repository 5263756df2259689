"""HTML pages, one module per kind of page; templating is shared, refusals render in one place."""

from . import accounts, family, home, joining, log, login, person_account, plan, privacy

routes = [
    *home.routes,
    *login.routes,
    *family.routes,
    *plan.routes,
    *log.routes,
    *privacy.routes,
    *joining.routes,
    *accounts.routes,
    *person_account.routes,
]
