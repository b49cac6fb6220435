from tests.editorial.conftest import (  # noqa: F401 (fixtures)
    administrator,
    administrator_client,
    editor,
    editor_client,
    make_member,
    moderator,
    moderator_client,
)
from tests.events.conftest import agenda, calvados, make_event  # noqa: F401 (fixtures)
