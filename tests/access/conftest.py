"""The real OpenID Connect provider's fixtures, for every test under tests/access."""

from tests.access.oidc_fixture import oidc, oidc_provider, sso_configured

__all__ = ["oidc", "oidc_provider", "sso_configured"]
