"""OpenID ``id_token`` (RS256 JWT) and the JWKS that verifies it (reference §5.11).

Intuit signs id tokens with RS256 and publishes its keys at ``/op/v1/jwks``. qbo-sim does the
same with a 2048-bit RSA key generated deterministically in pure Python (no crypto dependency),
once per process, the first time it is needed. The key is public knowledge (it is derived from a
fixed seed): it proves nothing except that a client's verification code works.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qbo_sim.oauth.records import Grant

ISSUER = "https://oauth.platform.intuit.com/op/v1"
KEY_ID = "qbo-sim-rs256-1"
_E = 65537
#: DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, EMSA-PKCS1-v1_5).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
_SMALL_PRIMES = [p for p in range(3, 2000, 2) if all(p % d for d in range(3, int(p**0.5) + 1, 2))]


@dataclass(frozen=True)
class RsaKey:
    n: int
    d: int

    @property
    def size(self) -> int:
        return (self.n.bit_length() + 7) // 8


_lock = threading.Lock()
_key: RsaKey | None = None


def signing_key() -> RsaKey:
    global _key
    with _lock:
        if _key is None:
            _key = _generate(random.Random("qbo-sim id_token key"), 2048)
        return _key


def _probably_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (candidate - 1) % _E and _probably_prime(candidate, rng):
            return candidate


def _generate(rng: random.Random, bits: int) -> RsaKey:
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        n = p * q
        if p != q and n.bit_length() == bits:
            return RsaKey(n=n, d=pow(_E, -1, (p - 1) * (q - 1)))


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
    return _int_bytes(pow(_encoded(message, key.size), key.d, key.n), key.size)


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
