"""What every page's layout needs: the signed-in person's roles, for the navigation, and
the time zone its times are shown in."""

from recruiters.roles import roles_of
from recruiters.time_zones import person_time_zone


def navigation(request) -> dict:
    return {"roles": roles_of(request), "person_time_zone": person_time_zone(request)}
