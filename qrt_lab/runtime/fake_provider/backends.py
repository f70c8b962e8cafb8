"""The fake backends, one class per official name (``FakeFez``, ``FakeManilaV2``, ...)."""

from __future__ import annotations

from .fake_backend import FakeBackendV2

__all__ = [
    "FakeAachen",
    "FakeAlgiers",
    "FakeAthensV2",
    "FakeAuckland",
    "FakeBelemV2",
    "FakeBogotaV2",
    "FakeBoston",
    "FakeBrisbane",
    "FakeBrussels",
    "FakeCusco",
    "FakeFez",
    "FakeGeneva",
    "FakeHanoiV2",
    "FakeKawasaki",
    "FakeKingston",
    "FakeKolkataV2",
    "FakeKyiv",
    "FakeKyoto",
    "FakeLimaV2",
    "FakeManilaV2",
    "FakeMarrakesh",
    "FakeMontrealV2",
    "FakeMumbaiV2",
    "FakeOsaka",
    "FakeOurenseV2",
    "FakeParisV2",
    "FakePeekskill",
    "FakePittsburgh",
    "FakeQuebec",
    "FakeQuitoV2",
    "FakeRomeV2",
    "FakeSantiagoV2",
    "FakeSherbrooke",
    "FakeStrasbourg",
    "FakeSydneyV2",
    "FakeTorontoV2",
    "FakeValenciaV2",
    "FakeVigoV2",
]


class FakeAachen(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_aachen``."""

    backend_name = "fake_aachen"


class FakeAlgiers(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_algiers``."""

    backend_name = "fake_algiers"


class FakeAthensV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_athens``."""

    backend_name = "fake_athens"


class FakeAuckland(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_auckland``."""

    backend_name = "fake_auckland"


class FakeBelemV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_belem``."""

    backend_name = "fake_belem"


class FakeBogotaV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_bogota``."""

    backend_name = "fake_bogota"


class FakeBoston(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_boston``."""

    backend_name = "fake_boston"


class FakeBrisbane(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_brisbane``."""

    backend_name = "fake_brisbane"


class FakeBrussels(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_brussels``."""

    backend_name = "fake_brussels"


class FakeCusco(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_cusco``."""

    backend_name = "fake_cusco"


class FakeFez(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_fez``."""

    backend_name = "fake_fez"


class FakeGeneva(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_geneva``."""

    backend_name = "fake_geneva"


class FakeHanoiV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_hanoi``."""

    backend_name = "fake_hanoi"


class FakeKawasaki(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_kawasaki``."""

    backend_name = "fake_kawasaki"


class FakeKingston(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_kingston``."""

    backend_name = "fake_kingston"


class FakeKolkataV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_kolkata``."""

    backend_name = "fake_kolkata"


class FakeKyiv(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_kyiv``."""

    backend_name = "fake_kyiv"


class FakeKyoto(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_kyoto``."""

    backend_name = "fake_kyoto"


class FakeLimaV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_lima``."""

    backend_name = "fake_lima"


class FakeManilaV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_manila``."""

    backend_name = "fake_manila"


class FakeMarrakesh(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_marrakesh``."""

    backend_name = "fake_marrakesh"


class FakeMontrealV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_montreal``."""

    backend_name = "fake_montreal"


class FakeMumbaiV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_mumbai``."""

    backend_name = "fake_mumbai"


class FakeOsaka(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_osaka``."""

    backend_name = "fake_osaka"


class FakeOurenseV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_ourense``."""

    backend_name = "fake_ourense"


class FakeParisV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_paris``."""

    backend_name = "fake_paris"


class FakePeekskill(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_peekskill``."""

    backend_name = "fake_peekskill"


class FakePittsburgh(FakeBackendV2):
    """A fake 156-qubit backend shaped like ``ibm_pittsburgh``."""

    backend_name = "fake_pittsburgh"


class FakeQuebec(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_quebec``."""

    backend_name = "fake_quebec"


class FakeQuitoV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_quito``."""

    backend_name = "fake_quito"


class FakeRomeV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_rome``."""

    backend_name = "fake_rome"


class FakeSantiagoV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_santiago``."""

    backend_name = "fake_santiago"


class FakeSherbrooke(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_sherbrooke``."""

    backend_name = "fake_sherbrooke"


class FakeStrasbourg(FakeBackendV2):
    """A fake 127-qubit backend shaped like ``ibm_strasbourg``."""

    backend_name = "fake_strasbourg"


class FakeSydneyV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_sydney``."""

    backend_name = "fake_sydney"


class FakeTorontoV2(FakeBackendV2):
    """A fake 27-qubit backend shaped like ``ibm_toronto``."""

    backend_name = "fake_toronto"


class FakeValenciaV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_valencia``."""

    backend_name = "fake_valencia"


class FakeVigoV2(FakeBackendV2):
    """A fake 5-qubit backend shaped like ``ibm_vigo``."""

    backend_name = "fake_vigo"
