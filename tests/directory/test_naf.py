"""NAF rév. 2 divisions to sections, and INSEE's legal categories to the families of the ESS."""

import pytest

from directory.choices import Family, Sector
from directory.naf import (
    DIVISION_SECTIONS,
    family_of,
    is_natural_person,
    normalise_activity,
    section_of,
)


def test_the_88_divisions_of_naf_rev_2_each_belong_to_one_of_the_21_sections():
    assert len(DIVISION_SECTIONS) == 88
    assert set(DIVISION_SECTIONS.values()) == set(Sector.values)
    # The gaps of the nomenclature are not divisions.
    for number in ("00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"):
        assert number not in DIVISION_SECTIONS


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("01.61Z", "A"),
        ("03.22Z", "A"),
        ("09.90Z", "B"),
        ("10.51A", "C"),
        ("33.20D", "C"),
        ("35.11Z", "D"),
        ("38.32Z", "E"),
        ("43.32A", "F"),
        ("47.11F", "G"),
        ("53.20Z", "H"),
        ("56.10A", "I"),
        ("62.02A", "J"),
        ("64.19Z", "K"),
        ("68.20A", "L"),
        ("70.22Z", "M"),
        ("75.00Z", "M"),
        ("81.21Z", "N"),
        ("84.11Z", "O"),
        ("85.59A", "P"),
        ("88.99B", "Q"),
        ("93.12Z", "R"),
        ("94.99Z", "S"),
        ("97.00Z", "T"),
        ("99.00Z", "U"),
        ("", ""),
        ("ZZ", ""),
    ],
)
def test_a_naf_code_gives_its_section(code, section):
    assert section_of(code) == section


def test_naf_codes_are_written_as_sirene_does():
    assert normalise_activity("8899B") == "88.99B"
    assert normalise_activity("88.99b") == "88.99B"
    assert normalise_activity("88.9") == ""


@pytest.mark.parametrize(
    ("category", "family"),
    [
        ("9220", Family.ASSOCIATION),
        ("9221", Family.ASSOCIATION),
        ("9230", Family.ASSOCIATION),
        ("9260", Family.ASSOCIATION),
        ("9300", Family.FONDATION),
        ("8210", Family.MUTUELLE),
        ("8250", Family.MUTUELLE),
        ("8290", Family.MUTUELLE),
        ("6411", Family.MUTUELLE),
        ("5458", Family.COOPERATIVE),  # SCOP (SARL)
        ("5558", Family.COOPERATIVE),  # SCOP (SA)
        ("5560", Family.COOPERATIVE),  # SCIC are "autre SA coopérative"
        ("6317", Family.COOPERATIVE),
        ("6316", Family.COOPERATIVE),  # CUMA
        ("5192", Family.COOPERATIVE),  # banque populaire
        ("6595", Family.COOPERATIVE),  # caisse locale de crédit mutuel
        ("5710", Family.SOCIETE_COMMERCIALE),  # SAS (ESUS)
        ("5499", Family.SOCIETE_COMMERCIALE),
        ("5385", Family.SOCIETE_COMMERCIALE),  # SEL en commandite par actions
        ("9970", Family.SOCIETE_COMMERCIALE),  # groupement de coopération sanitaire
        ("", Family.SOCIETE_COMMERCIALE),
    ],
)
def test_a_legal_category_gives_its_family(category, family):
    assert family_of(category) == family


def test_category_1000_is_a_natural_person():
    assert is_natural_person("1000")
    assert not is_natural_person("9220")
