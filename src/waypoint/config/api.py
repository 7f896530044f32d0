"""The API assembled: every app's router on the one NinjaAPI that core configures (auth, the
error envelope, OpenAPI names). Routers are registered here, in the composition root, so that
core never imports the apps built on it."""

from waypoint.accounts.api import router as accounts_router
from waypoint.assessments.api import router as assessments_router
from waypoint.careteam.api import router as careteam_router
from waypoint.careteam.team_api import router as team_router
from waypoint.config.api_base import api
from waypoint.experience.api import router as experience_router
from waypoint.registry.api import router as registry_router
from waypoint.registry.proxy_api import router as proxy_router
from waypoint.reports.api import router as reports_router
from waypoint.standards.api import router as standards_router
from waypoint.support.api import router as support_router
from waypoint.treatment.api import router as treatment_router
from waypoint.triage.api import router as triage_router
from waypoint.workspace.api import router as workspace_router
from waypoint.workspace.audit_api import router as audit_router

__all__ = ["api"]

api.add_router("", accounts_router)
api.add_router("", registry_router)
api.add_router("", proxy_router)
api.add_router("", careteam_router)
api.add_router("", team_router)
api.add_router("", audit_router)
api.add_router("", triage_router)
api.add_router("", treatment_router)
api.add_router("", assessments_router)
api.add_router("", support_router)
api.add_router("", workspace_router)
api.add_router("", standards_router)
api.add_router("", experience_router)
api.add_router("", reports_router)
