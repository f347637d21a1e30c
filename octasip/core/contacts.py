"""Contacts: plain data. Addresses are phone numbers, SIP addresses or e-mail addresses."""

from __future__ import annotations

from dataclasses import dataclass, replace

from octasip.core.history import normalise_term

KINDS = ("phone", "sip", "email")


@dataclass(frozen=True)
class ContactAddress:
    kind: str  # phone, sip or email
    value: str
    label: str = ""  # work, home, mobile, ...

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"address kind must be one of {', '.join(KINDS)}")
        if not self.value.strip():
            raise ValueError("an address cannot be empty")


@dataclass(frozen=True)
class Contact:
    name: str
    addresses: tuple[ContactAddress, ...] = ()
    id: int = 0
    organization: str = ""
    note: str = ""
    favourite: bool = False
    uid: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0

    def replace(self, **changes: object) -> Contact:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "organization": self.organization, "note": self.note,
                "favourite": self.favourite, "uid": self.uid,
                "addresses": [{"kind": a.kind, "label": a.label, "value": a.value} for a in self.addresses]}


def address_search(value: str) -> str:
    """The normalised form a lookup compares: digits for a number, folded text otherwise."""
    v = value.strip()
    for prefix in ("sips:", "sip:", "tel:"):
        if v.lower().startswith(prefix):
            v = v[len(prefix):]
            break
    v = v.split(";", 1)[0]
    user = v.split("@", 1)[0]
    digits = normalise_term(user)
    return digits if digits.isdigit() else normalise_term(v)
