"""Reading FIT files back in tests, twice: Garmin's SDK and fitdecode, an independent reader."""

from __future__ import annotations

import io
from typing import Any

import fitdecode
from garmin_fit_sdk import Decoder, Stream


def sdk_messages(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Every message, by the SDK's decoder, after its integrity check; no error allowed."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def fitdecode_messages(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    """(name, fields) of every data message, by fitdecode, which raises on a bad CRC."""
    messages = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                messages.append((frame.name, {field.name: field.value for field in frame.fields}))
    return messages
