"""Sign-in through an OpenID Connect provider, the production option (the government login brokers speak OIDC).

The protocol (authorization code flow with state, nonce and PKCE; the id_token's signature checked against the
provider's JWKS) is mozilla-django-oidc's. This backend adds what Regiekamer needs on top:

- the id_token must be meant for us and come from the configured provider (`aud`, `azp`, `iss`, `exp`), and
  the userinfo must be about the same person (`sub`);
- a person is one Django user, named `oidc:<claim>` after settings.OIDC_USERNAME_CLAIM (default `sub`), so an
  OIDC sign-in can never take over a password account;
- a new user gets no role (no Membership): it sees nothing (403) until an administrator assigns one in
  /beheer/. Roles are not taken from the provider's claims: a role in Regiekamer also names a region and
  municipalities or a provider, which a login broker does not know;
- OIDC never creates staff or superusers, and refuses to sign in an account that is one: administrators sign
  in with a password.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)

USERNAME_PREFIX = "oidc:"
USERNAME_MAX_LENGTH = 150  # django.contrib.auth's username column
PROFILE_CLAIMS = (("email", "email", 254), ("first_name", "given_name", 150), ("last_name", "family_name", 150))


def username_for(claims: dict[str, Any]) -> str | None:
    """The Django username for these claims, or None when the identifying claim is missing or unusable."""
    value = claims.get(settings.OIDC_USERNAME_CLAIM)
    if not isinstance(value, str) or not value.strip():
        return None
    username = USERNAME_PREFIX + value.strip()
    return username if len(username) <= USERNAME_MAX_LENGTH else None


def check_id_token_claims(payload: dict[str, Any], client_id: str, issuer: str) -> None:
    """OpenID Connect Core 3.1.3.7: the token is from our provider, for us, and has an expiry.

    The signature and `exp` itself are checked by the library (PyJWT) before this; it skips the audience.
    """
    if payload.get("iss") != issuer:
        raise SuspiciousOperation(f"id_token issuer {payload.get('iss')!r} is not {issuer!r}")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise SuspiciousOperation("id_token is not meant for this client (aud)")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise SuspiciousOperation("id_token for several audiences without this client as azp")
    if "exp" not in payload:
        raise SuspiciousOperation("id_token without expiry (exp)")


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with Regiekamer's identity, audience and role rules (module docstring)."""

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The id_token's claims (`payload`, its signature verified), completed by the userinfo endpoint's.

        The first step after the signature check: the token must be ours and from our provider, and the
        userinfo must be about the same `sub`. A refusal here ends at the login page ("niet gelukt").
        """
        check_id_token_claims(payload, self.OIDC_RP_CLIENT_ID, settings.OIDC_OP_ISSUER)
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the id_token")
        return {**payload, **userinfo}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return username_for(claims) is not None

    def get_username(self, claims: dict[str, Any]) -> str:
        username = username_for(claims)
        if username is None:
            raise SuspiciousOperation(f"claim {settings.OIDC_USERNAME_CLAIM!r} missing or too long")
        return username

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        username = username_for(claims)
        if username is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=username)

    def create_user(self, claims: dict[str, Any]) -> AbstractBaseUser:
        """A user without password (unusable), not staff, and without a role."""
        profile = {field: _text(claims, claim, length) for field, claim, length in PROFILE_CLAIMS}
        user = self.UserModel.objects.create_user(self.get_username(claims), **profile)
        logger.warning("new OpenID Connect user %s has no role yet; an administrator assigns one in /beheer/",
                       user.get_username())
        return user

    def update_user(self, user: AbstractBaseUser, claims: dict[str, Any]) -> AbstractBaseUser:
        if user.is_staff or user.is_superuser:
            raise SuspiciousOperation(f"OpenID Connect sign-in refused for staff account {user.get_username()}")
        changed = {field: _text(claims, claim, length) for field, claim, length in PROFILE_CLAIMS
                   if claim in claims and getattr(user, field) != _text(claims, claim, length)}
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
        return user


def _text(claims: dict[str, Any], name: str, max_length: int) -> str:
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""
