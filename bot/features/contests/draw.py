"""The provably fair contest draw: pure functions anyone can re-run with standard tools.

At creation a contest keeps a secret 32-byte seed and publishes only its SHA-256
(the commitment). After the draw the seed and the ordered entrant list are published,
so anyone can check `sha256(seed) == commitment` and re-run `draw` to get the same winners:

    import hashlib
    def draw(seed, entrants, count, skip=(), start=0):
        remaining = [e for e in entrants if e not in skip]
        picked, i = [], start
        while len(picked) < count and remaining:
            h = hashlib.sha256(seed + i.to_bytes(4, "big")).digest()
            picked.append(remaining.pop(int.from_bytes(h, "big") % len(remaining)))
            i += 1
        return picked
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Sequence
from itertools import groupby

SEED_BYTES = 32
ALGORITHM = (
    "remaining = entrants in the published order minus the skipped ones; "
    "for i = start, start+1, …: h = SHA-256(seed ‖ i as 4-byte big-endian), "
    "pick and remove remaining[int(h, big-endian) mod len(remaining)], "
    "until count are picked or none remain"
)


def new_seed() -> bytes:
    """A fresh secret seed for one contest."""
    return secrets.token_bytes(SEED_BYTES)


def commitment(seed: bytes) -> str:
    """The public commitment to `seed`: its SHA-256 as 64 hex digits."""
    return hashlib.sha256(seed).hexdigest()


def draw(
    seed: bytes, entrants: list[str], count: int, skip: set[str], *, start: int = 0
) -> list[str]:
    """Pick up to `count` winners from `entrants`, deterministically from `seed`.

    `entrants` is the published, ordered list (entry time, then platform user id); the
    ones in `skip` (earlier winners, members who left) are dropped first, keeping order.
    Then for i = start, start+1, …: h = SHA-256(seed ‖ i as 4 bytes big-endian), and the
    entrant at index int(h) mod len(remaining) is picked and removed. Each pick uses one
    counter value, so a reroll continues at `start` + the number of picks made before.
    """
    remaining = [entrant for entrant in entrants if entrant not in skip]
    picked: list[str] = []
    counter = start
    while len(picked) < count and remaining:
        digest = hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        picked.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))
        counter += 1
    return picked


def rank_by_votes(
    seed: bytes,
    tallies: Sequence[tuple[str, int]],
    count: int,
    skip: Collection[str],
    *,
    start: int = 0,
) -> tuple[list[str], int]:
    """Winners of a vote: the most-voted entries with at least one vote, `count` at most.

    `tallies` is (entrant, votes) in the published order. Entries are taken group by group
    of equal votes, most first; when a group has more entries than places left, `draw`
    picks among that group (in published order) from counter `start` onwards. Returns the
    winners in rank order and the next unused counter value.
    """
    counter = start
    winners: list[str] = []
    ranked = sorted(
        ((entrant, votes) for entrant, votes in tallies if entrant not in skip and votes > 0),
        key=lambda pair: -pair[1],
    )
    for _, group in groupby(ranked, key=lambda pair: pair[1]):
        places = count - len(winners)
        if places <= 0:
            break
        tied = [entrant for entrant, _ in group]
        if len(tied) <= places:
            winners.extend(tied)
            continue
        winners.extend(draw(seed, tied, places, set(), start=counter))
        counter += places
    return winners, counter
