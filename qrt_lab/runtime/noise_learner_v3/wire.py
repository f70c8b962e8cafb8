"""Schema v0.3 of the ``noise-learner`` program (ibm-quantum-schemas models)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..options_models import NoiseLearnerV3Options
    from .results import NoiseLearnerV3Results

__all__ = ["SCHEMA_VERSION", "decode_results", "encode_params"]

SCHEMA_VERSION = "v0.3"
_EXECUTION_FIELDS = ("init_qubits", "rep_delay")
#: The service reads QPY up to this version in noise-learner params (``QpyModelV13ToV17``).
_MAX_QPY = 17


def encode_params(instructions: Sequence[Any], options: NoiseLearnerV3Options) -> dict[str, Any]:
    """The ``params`` of a ``noise-learner`` job: the instructions in one QPY circuit."""
    from ibm_quantum_schemas.common import QpyModelV13ToV17
    from ibm_quantum_schemas.noise_learner_v3.version_0_3 import ParamsModel
    from qiskit.circuit import QuantumCircuit
    from qiskit.qpy import QPY_VERSION

    # the official client's construction (set order), so both send the same document
    qubits = list({qubit for instruction in instructions for qubit in instruction.qubits})
    clbits = list({clbit for instruction in instructions for clbit in instruction.clbits})
    circuit = QuantumCircuit(qubits, clbits)
    for instruction in instructions:
        circuit.append(instruction, instruction.qubits, instruction.clbits)
    schema_options = options.model_dump()
    for field in _EXECUTION_FIELDS:
        schema_options[field] = schema_options["execution"][field]
    schema_options.pop("execution")
    model = ParamsModel(
        instructions=QpyModelV13ToV17.from_quantum_circuit(
            circuit, qpy_version=min(QPY_VERSION, _MAX_QPY)
        ),
        options=schema_options,
    )
    params: dict[str, Any] = model.model_dump(mode="json")
    params["version"] = 3
    return params


def is_v3_result(text: str) -> bool:
    """Whether a noise-learner result text is a schema-versioned (V3) document."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return False
    return isinstance(document, dict) and "schema_version" in document


def decode_results(text: str) -> NoiseLearnerV3Results:
    """A ``NoiseLearnerV3ResultsModel`` text as ``NoiseLearnerV3Results``.

    Raises:
        ValueError: An unknown schema version or an invalid document.
    """
    from ibm_quantum_schemas.noise_learner_v3 import version_0_1, version_0_2, version_0_3
    from qiskit.quantum_info import QubitSparsePauliList

    from .results import NoiseLearnerV3Result, NoiseLearnerV3Results

    models = {"v0.1": version_0_1, "v0.2": version_0_2, "v0.3": version_0_3}
    version = json.loads(text).get("schema_version")
    if version not in models:
        raise ValueError(
            f"No decoder found for noise-learner schema version {version!r} (this client "
            f"reads {', '.join(models)})."
        )
    model = models[version].NoiseLearnerV3ResultsModel.model_validate_json(text)
    data = [
        NoiseLearnerV3Result.from_generators(
            generators=[
                QubitSparsePauliList.from_sparse_list(
                    [tuple(term) for term in sparse], datum.num_qubits
                )
                for sparse in datum.generators_sparse
            ],
            rates=datum.rates.to_numpy(),
            rates_std=datum.rates_std.to_numpy(),
            metadata=datum.metadata.model_dump(),
        )
        for datum in model.data
    ]
    return NoiseLearnerV3Results(data)
