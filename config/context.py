"""What every page's layout needs: the signed-in person's roles, for the navigation."""

from recruiters.roles import roles_of


def navigation(request) -> dict:
    return {"roles": roles_of(request)}
