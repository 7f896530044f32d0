from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from waypoint.accounts.http import acting_user

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str


@router.get("/me", response=MeOut, summary="Who you are signed in as")
def me(request: HttpRequest) -> MeOut:
    """Touches no patient data: also the floor that benchmarks compare page latency against."""
    user = acting_user(request)
    return MeOut(id=user.pk, username=user.username, name=user.display_name, role=user.role)
