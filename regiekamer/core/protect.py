"""Protection of BSNs: a keyed hash to look clients up, encryption for the value, pseudonyms for analytics.

One secret (settings.BSN_KEY) is stretched into three independent keys, so the lookup hash,
the encryption and the pseudonyms cannot be turned into one another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet


def _derive(secret: str, purpose: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), f"regiekamer:{purpose}".encode(), 100_000)


@dataclass(frozen=True)
class BsnProtector:
    lookup_key: bytes
    pseudonym_key: bytes
    fernet: Fernet

    def lookup_hash(self, bsn: str) -> str:
        """Keyed hash used as the unique lookup of a client; not reversible without the key."""
        return hmac.new(self.lookup_key, bsn.encode(), hashlib.sha256).hexdigest()

    def pseudonym(self, bsn: str) -> str:
        """A stable pseudonym for analytics and drill-downs (P + 12 hex characters)."""
        return "P" + hmac.new(self.pseudonym_key, bsn.encode(), hashlib.sha256).hexdigest()[:12].upper()

    def encrypt(self, bsn: str) -> str:
        return self.fernet.encrypt(bsn.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self.fernet.decrypt(token.encode()).decode()


@lru_cache(maxsize=4)
def protector_for(secret: str) -> BsnProtector:
    encryption_key = base64.urlsafe_b64encode(_derive(secret, "encrypt"))
    return BsnProtector(
        lookup_key=_derive(secret, "lookup"),
        pseudonym_key=_derive(secret, "pseudonym"),
        fernet=Fernet(encryption_key),
    )
