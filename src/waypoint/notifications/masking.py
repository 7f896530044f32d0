"""Addresses shown masked, where a person's email or number is not needed to do the job.

An administrator acting on a failed message needs to know that it failed and roughly where it
was going (to tell "a typo in the domain" from "the phone is off"); they do not need the whole
address of someone living with cancer. The first and last characters are kept, the rest hidden.
"""

from __future__ import annotations

HIDDEN = "•••"


def mask_email(address: str) -> str:
    """``jane.doe@nhs.net`` → ``j•••@n•••.net``."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        return HIDDEN
    name, dot, tld = domain.rpartition(".")
    masked_domain = f"{name[0]}{HIDDEN}.{tld}" if dot and name else f"{domain[0]}{HIDDEN}"
    return f"{local[0]}{HIDDEN}@{masked_domain}"


def mask_phone(number: str) -> str:
    """``07700 900189`` → ``07•••••••89``: the first two and last two digits."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) < 6:
        return HIDDEN
    return digits[:2] + "•" * (len(digits) - 4) + digits[-2:]


def mask_address(channel: str, address: str) -> str:
    return mask_phone(address) if channel == "sms" else mask_email(address)


def without_address(text: str, address: str, channel: str) -> str:
    """``text`` (a provider's error, say) with the address in it masked."""
    address = address.strip()
    if not address:
        return text
    return text.replace(address, mask_address(channel, address))
