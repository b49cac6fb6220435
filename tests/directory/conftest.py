import pytest

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory

CAEN, ARGENTAN, PARIS = "14118", "61006", "75056"


@pytest.fixture
def communes():
    """Caen and Argentan, in an intercommunalité of their département (the test database has
    no communes)."""
    calvados = Territory.objects.filter(kind=Territory.Kind.EPCI, departement__code="14").first()
    orne = Territory.objects.filter(kind=Territory.Kind.EPCI, departement__code="61").first()
    return {
        CAEN: TerritoryFactory(name="Caen", code=CAEN, parent=calvados, postcodes="14000"),
        ARGENTAN: TerritoryFactory(name="Argentan", code=ARGENTAN, parent=orne, postcodes="61200"),
    }
