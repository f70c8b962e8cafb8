"""The binary array format of the runtime wire: base64(zlib(.npy)).

The runtime encodes every numeric array as an NPY file, zlib-compressed and base64-encoded.
Writing and parsing the NPY header here (instead of ``numpy.save``/``numpy.load`` over a
``BytesIO``) keeps large results cheap to decode.
"""

from __future__ import annotations

import ast
import base64
import struct
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt

_MAGIC = b"\x93NUMPY"


class NpyFormatError(ValueError):
    """An array payload is not a valid base64(zlib(.npy)) document."""


def _header(array: npt.NDArray[Any]) -> bytes:
    fortran = not array.flags.c_contiguous and array.flags.f_contiguous
    shape = tuple(int(n) for n in array.shape)
    descr = np.lib.format.dtype_to_descr(array.dtype)
    text = f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {shape!r}, }}"
    # Pad so that magic + version + length + header is a multiple of 64, ending in a newline.
    unpadded = len(_MAGIC) + 2 + 2 + len(text) + 1
    text += " " * ((64 - unpadded % 64) % 64) + "\n"
    return _MAGIC + b"\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1")


def npy_bytes(array: npt.NDArray[Any]) -> bytes:
    """Serialise an array into NPY format 1.0 bytes (C or Fortran order, no pickles)."""
    if array.dtype.hasobject:
        raise NpyFormatError("object arrays cannot be written as NPY; send them as JSON lists")
    fortran = not array.flags.c_contiguous and array.flags.f_contiguous
    return _header(array) + array.tobytes(order="F" if fortran else "C")


def parse_npy(data: bytes) -> npt.NDArray[Any]:
    """Parse NPY bytes into a writable array.

    Raises:
        NpyFormatError: if the bytes are not an NPY document this reader understands.
    """
    if not data.startswith(_MAGIC) or len(data) < 10:
        raise NpyFormatError("array payload is not an NPY document (bad magic string)")
    major = data[6]
    if major == 1:
        (header_len,) = struct.unpack_from("<H", data, 8)
        start = 10
    elif major in (2, 3):
        (header_len,) = struct.unpack_from("<I", data, 8)
        start = 12
    else:
        raise NpyFormatError(f"unsupported NPY format version {major}")
    try:
        header = ast.literal_eval(data[start : start + header_len].decode("latin1"))
        dtype = np.dtype(np.lib.format.descr_to_dtype(header["descr"]))
        shape = tuple(header["shape"])
        fortran = bool(header["fortran_order"])
    except (ValueError, SyntaxError, KeyError, TypeError) as exc:
        raise NpyFormatError(f"unreadable NPY header: {exc}") from exc
    if dtype.hasobject:
        raise NpyFormatError("NPY payloads with object dtype (pickles) are not accepted")
    count = int(np.prod(shape, dtype=np.int64))
    body = bytearray(data[start + header_len :])
    if len(body) != count * dtype.itemsize:
        raise NpyFormatError(
            f"NPY body holds {len(body)} bytes but shape {shape} of {dtype} needs "
            f"{count * dtype.itemsize}"
        )
    flat = np.frombuffer(body, dtype=dtype, count=count)
    return flat.reshape(shape, order="F" if fortran else "C")


def encode_ndarray(array: npt.NDArray[Any]) -> str:
    """Encode an array as the wire's base64(zlib(.npy)) string."""
    return base64.standard_b64encode(zlib.compress(npy_bytes(array))).decode("ascii")


def decode_ndarray(text: str) -> npt.NDArray[Any]:
    """Decode a base64(zlib(.npy)) string into an array.

    Raises:
        NpyFormatError: if the text is not valid base64, zlib or NPY data.
    """
    try:
        raw = zlib.decompress(base64.standard_b64decode(text))
    except (ValueError, zlib.error) as exc:
        raise NpyFormatError(f"array payload is not base64(zlib(npy)): {exc}") from exc
    return parse_npy(raw)
