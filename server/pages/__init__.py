"""HTML pages, one module per kind of page; templating is shared, refusals render in one place."""

from . import family, file, home, joining, log, login, people, plan, privacy

routes = [
    *home.routes,
    *login.routes,
    *file.routes,  # before family's: /families/new is not a family id
    *people.routes,
    *family.routes,
    *plan.routes,
    *log.routes,
    *privacy.routes,
    *joining.routes,
]
