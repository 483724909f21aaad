"""A stand-in for the national real-person service in tests, with the state's records in memory.

`StateRecords.verified(...)` says yes only for a (name, ID number) pair put in `records` and a
live image equal to `face_of(id_number)`: the test decides who is who, and every call is counted
so that a test can show the service was asked whether or not eban has a record.
"""

from __future__ import annotations

from eban.accounts.identity.realperson import RealPersonResult

records: dict[str, str] = {}  # id_number -> name, as the state holds them
calls: list[str] = []  # the ID numbers asked about, in order

PATH = "eban.accounts.tests.verifiers.StateRecords"


def face_of(id_number: str) -> bytes:
    """The live image that shows the holder of `id_number` (to this stand-in)."""
    return f"live face of {id_number}".encode()


def reset() -> None:
    records.clear()
    calls.clear()


class StateRecords:
    def verify(self, *, name: str, id_number: str, live_image: bytes) -> RealPersonResult:
        calls.append(id_number)
        ok = records.get(id_number) == name and live_image == face_of(id_number)
        return RealPersonResult(verified=ok, reference=f"test-{len(calls)}" if ok else "")
