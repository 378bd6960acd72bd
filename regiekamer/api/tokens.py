"""Making and checking API tokens. A token is 32 random bytes (URL-safe text); the database keeps its SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from regiekamer.api.models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: AbstractBaseUser, name: str) -> str:
    """A new token for `user`; returned once, never stored in the clear."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=token[:8], digest=_digest(token))
    return token


def user_for_token(token: str) -> AbstractBaseUser | None:
    """The active user behind a token that is not revoked, or None."""
    found = ApiToken.objects.select_related("user").filter(digest=_digest(token), revoked=False).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(id=found.id).update(last_used_at=timezone.now())
    return found.user
