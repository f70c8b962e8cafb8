"""Grouping Pauli terms into qubit-wise commuting measurement bases, and measuring them.

Terms that agree on every qubit they share (``XI`` and ``XZ``, not ``XI`` and ``ZI``) are
estimated from the same shots, so an observable of many terms needs only a few circuits.
"""

from __future__ import annotations

from qiskit.circuit import ClassicalRegister, QuantumCircuit

__all__ = ["Basis", "group_qubitwise", "measured_circuit", "pauli_support"]

#: A term or basis: qubit → ``"X"``, ``"Y"`` or ``"Z"``.
Basis = dict[int, str]


def pauli_support(label: str) -> Basis:
    """The non-identity part of a full-width label (qubit 0 is the rightmost character)."""
    return {q: c for q, c in enumerate(reversed(label.upper())) if c != "I"}


def group_qubitwise(terms: list[Basis]) -> tuple[list[Basis], list[int]]:
    """Greedy qubit-wise commuting grouping.

    Returns:
        The bases and, for each term, the index of the basis that measures it.
    """
    bases: list[Basis] = []
    where = [0] * len(terms)
    order = sorted(range(len(terms)), key=lambda t: -len(terms[t]))
    for t in order:
        term = terms[t]
        for b, basis in enumerate(bases):
            if all(basis.get(q, c) == c for q, c in term.items()):
                basis.update(term)
                where[t] = b
                break
        else:
            bases.append(dict(term))
            where[t] = len(bases) - 1
    return bases, where


def measured_circuit(circuit: QuantumCircuit, basis: Basis) -> QuantumCircuit:
    """``circuit`` followed by basis rotations and measurements of the basis qubits.

    The measurements go to a new register after the circuit's own clbits, in sorted qubit order.
    """
    out = circuit.copy()
    qubits = sorted(basis)
    creg = ClassicalRegister(max(len(qubits), 1), "qrt_basis")
    out.add_register(creg)
    for q in qubits:
        if basis[q] == "X":
            out.h(q)
        elif basis[q] == "Y":
            out.sdg(q)
            out.h(q)
    for i, q in enumerate(qubits):
        out.measure(q, creg[i])
    return out
