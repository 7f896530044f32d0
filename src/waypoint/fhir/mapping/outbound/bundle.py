"""Searchset Bundles (FHIR R4 §3.1.1.4: ``total``, ``self``/``next``/``previous`` links, each
entry's ``fullUrl`` and ``search.mode``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from waypoint.fhir.mapping.outbound.common import Resource, meta


@dataclass(frozen=True)
class Links:
    self: str
    next: str = ""
    previous: str = ""
    first: str = ""


def searchset(
    *,
    base: str,
    canonical: str,
    resources: Sequence[Resource],
    total: int,
    links: Links,
    outcome: Resource | None = None,
    bundle_id: str = "",
) -> Resource:
    """``base`` is the server's FHIR base URL (entries' ``fullUrl``), ``canonical`` Waypoint's
    canonical base (WAYPOINT_FHIR_BASE_URL, for the mapping-version tag); ``outcome`` (an
    OperationOutcome, say the warnings about parameters ignored) goes last with search mode
    ``outcome``."""
    link = [{"relation": "self", "url": links.self}]
    for relation, url in (
        ("first", links.first),
        ("previous", links.previous),
        ("next", links.next),
    ):
        if url:
            link.append({"relation": relation, "url": url})
    entries: list[Resource] = [
        {
            "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
            "resource": r,
            "search": {"mode": "match"},
        }
        for r in resources
    ]
    if outcome is not None:
        entries.append({"resource": outcome, "search": {"mode": "outcome"}})
    bundle: Resource = {"resourceType": "Bundle"}
    if bundle_id:
        bundle["id"] = bundle_id
    bundle.update(
        {"meta": meta(canonical=canonical), "type": "searchset", "total": total, "link": link}
    )
    if entries:
        bundle["entry"] = entries
    return bundle
