"""TLS, optional: ``qrt-lab local serve --certfile/--keyfile`` serves https.

The certificate is self-signed and made at test time with ``cryptography``.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from local_http import bell_circuit

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    keyfile.chmod(0o600)
    return certfile, keyfile


def test_https_service_with_self_signed_certificate(
    tmp_path: Path, spawn_local_service: Callable[..., Any]
) -> None:
    certfile, keyfile = _self_signed(tmp_path)
    args = ("--certfile", str(certfile), "--keyfile", str(keyfile))
    with spawn_local_service(tmp_path / "state", *args, devices=False) as (info, _):
        assert info.url.startswith("https://127.0.0.1:")
        # the certificate is what the server presents: trusted, health answers
        assert (
            httpx.get(
                f"{info.url}/health", verify=ssl.create_default_context(cafile=certfile)
            ).status_code
            == 200
        )
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"{info.url}/health")  # default trust: a self-signed cert is refused
        plain = info.url.replace("https://", "http://")
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{plain}/health", timeout=5)  # no plain http on a TLS port
        service = QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token=info.api_key,
            url=info.url,
            instance=info.instance,
            verify=False,
        )
        try:
            job = SamplerV2(mode=service.backend("local_ideal")).run([bell_circuit()], shots=32)
            counts = job.result()[0].data.meas.get_counts()
            assert sum(counts.values()) == 32 and set(counts) <= {"00", "11"}
        finally:
            service.close()


def test_verifying_client_refuses_the_self_signed_service(
    tmp_path: Path, spawn_local_service: Callable[..., Any]
) -> None:
    certfile, keyfile = _self_signed(tmp_path)
    args = ("--certfile", str(certfile), "--keyfile", str(keyfile))
    with spawn_local_service(tmp_path / "state", *args, devices=False) as (info, _):
        with pytest.raises(Exception, match=r"(?i)certificate|ssl|tls") as caught:
            QiskitRuntimeService(
                channel="ibm_quantum_platform",
                token=info.api_key,
                url=info.url,
                instance=info.instance,
            )
        assert info.api_key not in str(caught.value)


@pytest.mark.parametrize(
    "case", ["keyfile-alone", "missing-cert", "not-a-certificate", "key-of-another-cert"]
)
def test_bad_tls_files_are_refused_at_start(tmp_path: Path, case: str) -> None:
    certfile, keyfile = _self_signed(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _, other_key = _self_signed(other)
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    flags = {
        "keyfile-alone": ["--keyfile", str(keyfile)],
        "missing-cert": ["--certfile", str(tmp_path / "nope.pem")],
        "not-a-certificate": ["--certfile", str(junk), "--keyfile", str(keyfile)],
        "key-of-another-cert": ["--certfile", str(certfile), "--keyfile", str(other_key)],
    }[case]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qrt_lab.local",
            "serve",
            "--state-dir",
            str(tmp_path / "s"),
            *flags,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (1, 2), done.stderr
    assert ("certfile" in done.stderr or "TLS" in done.stderr) and "Traceback" not in done.stderr
