"""OpenID ``id_token`` (RS256 JWT) and the JWKS that verifies it (reference §5.11).

Intuit signs id tokens with RS256 and publishes its keys at ``/op/v1/jwks``. qbo-sim does the
same with a fixed 2048-bit RSA key and pure-Python RSASSA-PKCS1-v1_5 (no crypto dependency).
The key is public knowledge (its primes are in this file): a signature proves nothing except
that a client's verification code works.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qbo_sim.oauth.records import Grant

ISSUER = "https://oauth.platform.intuit.com/op/v1"
KEY_ID = "qbo-sim-rs256-1"
_E = 65537
#: DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, EMSA-PKCS1-v1_5).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


@dataclass(frozen=True)
class RsaKey:
    """An RSA private key; with its primes ``p`` and ``q`` it signs by the Chinese remainder
    theorem (RFC 8017 §5.1.2: the same signature, about three times faster)."""

    n: int
    d: int
    p: int = 0
    q: int = 0

    @property
    def size(self) -> int:
        return (self.n.bit_length() + 7) // 8

    def power(self, m: int) -> int:
        """``m ** d mod n``."""
        if not (self.p and self.q):
            return pow(m, self.d, self.n)
        p, q = self.p, self.q
        m1 = pow(m, self.d % (p - 1), p)
        m2 = pow(m, self.d % (q - 1), q)
        h = (pow(q, -1, p) * (m1 - m2)) % p
        return m2 + h * q


#: The key's primes, generated once with Miller-Rabin from a fixed seed (``random.Random(
#: "qbo-sim id_token key")``) and written down so no process pays for generating them.
_P = int(
    "f7bca636ac3c62e0899236bc6bc52a35675d5d12ab34061147c6ee2fe23e9f220b7822fe50caf878508163ae"
    "340e349b54e2e134d74c462d5d963b5f6bad86b089b81ced30905a027811ae55fa7fa105989b1d846a88484b"
    "7a4cc9093d8c938cf5d492bf5dcc380ac4258ee89ca14ab4b236aaa35f8cbfdfdb1d7272933ecdab",
    16,
)
_Q = int(
    "f42123bd5cc9ff81ddf5fff8533b86c969be53eef61af84f66d96cce719609a275c33b66261a9dbed0f59272"
    "0a1fea4cd6b9f0a1e76efd137ed7a93fb89ef1d44f266f91feb9cd2005bce8c18cc48322b518ccfa3ba930f7"
    "937713af8d2a37082944016819add3d482dd389f7cb358e74038a9951f42b09992e009655bc19323",
    16,
)


@lru_cache(maxsize=1)
def signing_key() -> RsaKey:
    return RsaKey(n=_P * _Q, d=pow(_E, -1, (_P - 1) * (_Q - 1)), p=_P, q=_Q)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(value: int, length: int | None = None) -> bytes:
    return value.to_bytes(length or (value.bit_length() + 7) // 8, "big")


def _encoded(message: bytes, size: int) -> int:
    """EMSA-PKCS1-v1_5 encoding of SHA-256(message) as an integer."""
    digest_info = _SHA256_PREFIX + hashlib.sha256(message).digest()
    padded = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    return int.from_bytes(padded, "big")


def sign_rs256(message: bytes, key: RsaKey) -> bytes:
    return _int_bytes(key.power(_encoded(message, key.size)), key.size)


def verify_rs256(message: bytes, signature: bytes, n: int, e: int = _E) -> bool:
    """What a client does with a JWKS key ``(n, e)`` (used by the tests)."""
    size = (n.bit_length() + 7) // 8
    return pow(int.from_bytes(signature, "big"), e, n) == _encoded(message, size)


def jwks() -> dict[str, Any]:
    """The ``/op/v1/jwks`` document."""
    key = signing_key()
    return {
        "keys": [
            {
                "kty": "RSA",
                "e": _b64(_int_bytes(_E)),
                "use": "sig",
                "kid": KEY_ID,
                "alg": "RS256",
                "n": _b64(_int_bytes(key.n)),
            }
        ]
    }


def id_token(grant: Grant, now: datetime) -> str:
    """An RS256 JWT with Intuit's claims (``sub``, ``aud``, ``realmid``, ``auth_time``, ...)."""
    issued = int(now.timestamp())
    header = {"kid": KEY_ID, "alg": "RS256"}
    payload = {
        "sub": grant.grant_id,
        "aud": [grant.client_id],
        "realmid": grant.realm_id,
        "auth_time": int(grant.created_at.timestamp()),
        "iss": ISSUER,
        "exp": issued + 3600,
        "iat": issued,
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    ).encode("ascii")
    return signing_input.decode("ascii") + "." + _b64(sign_rs256(signing_input, signing_key()))
