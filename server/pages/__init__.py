"""HTML pages, one module per kind of page; templating is shared, refusals render in one place."""

from . import (
    accounts,
    family,
    file,
    home,
    joining,
    log,
    login,
    our_data,
    people,
    person_account,
    plan,
    plan_pdf,
    privacy,
)

routes = [
    *home.routes,
    *login.routes,
    *file.routes,  # before family's: /families/new is not a family id
    *people.routes,
    *family.routes,
    *plan.routes,
    *plan_pdf.routes,
    *our_data.routes,
    *log.routes,
    *privacy.routes,
    *joining.routes,
    *accounts.routes,
    *person_account.routes,
]
