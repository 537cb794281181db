"""The CAMEO table: PLOVER types where the PLOVER manual's prose and its conversion table differ."""

from __future__ import annotations

import pytest

from kautilya.ontology import lookup_cameo


@pytest.mark.parametrize("code,plover", [
    ("163", "SANCTION"),  # "International sanctions are coded as 'discontinue'" (SANCTION)
    ("0813", "CONCEDE"),  # CONCEDE covers "removing curfews"
    ("0814", "CONCEDE"),
    ("0831", "RETREAT"),  # RETREAT mode 'resign': official resignation
    ("176", "COERCE"),    # COERCE mode 'cyber': hacking, website attacks
    ("1712", "ASSAULT"),  # unchanged: ASSAULT mode 'destroy'
])
def test_ontology_plover_type_follows_the_manual(code, plover):
    assert lookup_cameo(code).plover.type == plover


def test_ontology_demand_codes_carry_cameo_names():
    assert lookup_cameo("106").name == "Demand meeting, negotiation"
    assert lookup_cameo("108").name == "Demand mediation"
