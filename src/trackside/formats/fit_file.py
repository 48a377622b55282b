"""What every FIT file Trackside writes or reads shares: the encoder, the checked decoder,
and Trackside's developer fields.

Rules for this module:
  1. Trackside's own values that FIT has no field for (a target as the coach wrote it, the
     clock a session's times come from) are FIT developer fields under one application id.
     Other readers show or skip them; Trackside reads back only its own.
  2. A file is read only when it is a whole, undamaged FIT file of a sensible size: the
     header, both CRCs and every record are checked, and any fault is one UserError line.
  3. Text fields are cut to FIT's 255-byte limit, and the caller is told when one was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from garmin_fit_sdk import Decoder, Encoder, Profile, Stream

from trackside import __version__
from trackside.core.errors import UserError

MESG = Profile["mesg_num"]
MAX_READ_BYTES = 1_000_000  # a workout is a few kB; anything this big is not one
_APPLICATION_ID = bytes.fromhex("8130edec64f34e22b4fa7886ddc7f1eb")  # Trackside's, forever
_TEXT_BYTES = 254  # FIT strings: 255 bytes with the terminating zero
_STRING, _UINT8, _FLOAT64 = 7, 2, 137  # FIT base types
_PYTHON_TYPE = {_STRING: str, _UINT8: int, _FLOAT64: float}  # as the SDK decodes them
_ARRAYS = frozenset(("application_id", "developer_id"))  # the fields that hold several values


@dataclass(frozen=True, slots=True)
class _DevField:
    number: int
    base_type: int
    units: str = ""


# Numbers are forever: a file written today must read the same tomorrow.
DEV_FIELDS = {
    "target": _DevField(0, _STRING),  # workout_step: the target as written ('pace', '85%')
    "splits_m": _DevField(1, _FLOAT64, "m"),  # workout_step: split cue distance
    "crossings": _DevField(2, _UINT8),  # workout_step: beam crossings ending the rep
    "set_break_max_s": _DevField(3, _FLOAT64, "s"),  # workout_step: the set break's top
    "lap_m": _DevField(4, _FLOAT64, "m"),  # workout: the track's lap
    "race_pace_s_per_m": _DevField(5, _FLOAT64, "s/m"),  # workout: for 'pace' targets
    "max_speed_m_per_s": _DevField(6, _FLOAT64, "m/s"),  # workout: for percentage targets
    "clock_source": _DevField(7, _STRING),  # session: where its wall-clock times come from
    "races": _DevField(8, _STRING),  # workout: race times for race targets ('5k=1290')
}


class FitWriter:
    """An SDK encoder that knows Trackside's developer fields.

        writer = FitWriter("workout", created, fields=("target",))
        writer.write("workout_step", {"message_index": 0, ..., "developer_fields": {...}})
        data = writer.close()
    """

    def __init__(self, file_type: str, created: datetime, fields: Iterable[str] = ()) -> None:
        self._encoder = Encoder()
        self.cut: list[str] = []  # text fields that were too long, as 'wkt_name'
        self.write("file_id", {"type": file_type, "manufacturer": "development", "product": 0,
                               "serial_number": max(1, int(created.timestamp()) & 0xFFFFFFFF),
                               "time_created": created, "product_name": "Trackside"})
        fields = tuple(fields)
        if fields:
            developer = {"mesg_num": MESG["DEVELOPER_DATA_ID"], "developer_data_index": 0,
                         "application_id": list(_APPLICATION_ID),
                         "application_version": _version_number()}
            self._encoder.write_mesg(developer)
            for name in fields:
                field = DEV_FIELDS[name]
                description = {"mesg_num": MESG["FIELD_DESCRIPTION"], "developer_data_index": 0,
                               "field_definition_number": field.number,
                               "fit_base_type_id": field.base_type, "field_name": name,
                               "units": field.units or None}
                self._encoder.write_mesg(description)
                self._encoder.add_developer_field(name, developer, description)

    def write(self, message: str, fields: dict[str, Any]) -> None:
        """One message; fields whose value is None are left out, long text is cut.

        The SDK wraps an integer too big for its field without a word: check first.
        """
        kept = {key: self._fit_text(key, value) for key, value in fields.items()
                if value is not None}
        developer = {key: self._fit_text(key, value)
                     for key, value in kept.pop("developer_fields", {}).items()
                     if value is not None}
        if developer:
            kept["developer_fields"] = developer
        self._encoder.write_mesg({"mesg_num": MESG[message.upper()], **kept})

    def close(self) -> bytes:
        return bytes(self._encoder.close())

    def _fit_text(self, key: str, value: Any) -> Any:
        if not isinstance(value, str) or len(value.encode("utf-8")) <= _TEXT_BYTES:
            return value
        self.cut.append(key)
        return value.encode("utf-8")[:_TEXT_BYTES].decode("utf-8", errors="ignore")


def read_fit(data: bytes, source: str) -> dict[str, list[dict[str, Any]]]:
    """Decode a whole FIT file: {'workout_step_mesgs': [...], ...}.

    Each message's Trackside developer fields are under 'trackside', by name.

    Raises:
        UserError: not FIT, damaged, cut short or too big, in one line that names `source`.
    """
    if len(data) > MAX_READ_BYTES:
        raise UserError(f"{source}: {len(data)} bytes is too big for a FIT workout")
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    if not decoder.is_fit():
        raise UserError(f"{source}: not a FIT file")
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    if not decoder.check_integrity():
        raise UserError(f"{source}: the FIT file is damaged or cut short (its CRC does not match)")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise UserError(f"{source}: the FIT file cannot be read: {errors[0]}")
    every = [message for group in messages.values() for message in group]
    for message in every:
        for key in [key for key, value in message.items()
                    if isinstance(value, list) and key not in _ARRAYS]:
            del message[key]  # one value's field came as several: written wrong, unread
    ours = _our_field_names(messages)
    for message in every:
        developer = message.pop("developer_fields", {})
        message["trackside"] = {ours[key]: value for key, value in developer.items()
                                if key in ours and isinstance(value, _type_of(ours[key]))}
    return messages


def _our_field_names(messages: dict[str, list[dict[str, Any]]]) -> dict[int, str]:
    """The decoder's developer field keys that are Trackside's, to their names."""
    ours = {message.get("developer_data_index") for message in
            messages.get("developer_data_id_mesgs", [])
            if message.get("application_id") == list(_APPLICATION_ID)}
    names = {field.number: name for name, field in DEV_FIELDS.items()}
    return {description["key"]: names[description["field_definition_number"]]
            for description in messages.get("field_description_mesgs", [])
            if description.get("developer_data_index") in ours
            and description.get("field_definition_number") in names}


def _type_of(name: str) -> type:
    """The Python type the SDK decodes a Trackside developer field to."""
    return _PYTHON_TYPE[DEV_FIELDS[name].base_type]


def _version_number() -> int:
    """'0.1.0' -> 100: major, minor and patch in one number."""
    parts = [int(part) for part in __version__.split(".")[:3] if part.isdigit()]
    parts += [0] * (3 - len(parts))
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]
