"""The events' fixtures (a calendar, a published event), for the checks over every page type."""

from tests.events.conftest import agenda, calvados, make_event  # noqa: F401 (fixtures)
