"""MinHash signatures over word shingles, computed with numpy, and LSH banding.

Multiply-shift hashing of 64-bit shingle hashes gives each permutation; the signature is the
minimum per permutation. All arithmetic wraps modulo 2**64, which is what makes it vectorisable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.stages.reuse.tokens import shingle_hashes

Signature = npt.NDArray[np.uint32]

_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying permutes the integers mod 2**64
_BAND_SEED = np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True, slots=True)
class MinHashConfig:
    """Signature size, shingle length, and LSH banding (bands * rows == num_perm)."""

    num_perm: int = 128
    shingle: int = 5
    bands: int = 32
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands "
                             f"({self.bands}): each band takes num_perm / bands rows")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    def threshold(self) -> float:
        """The Jaccard similarity at which a pair becomes a candidate with probability ~1/2."""
        return float((1 / self.bands) ** (1 / self.rows))


class MinHasher:
    def __init__(self, config: MinHashConfig | None = None) -> None:
        self.config = config or MinHashConfig()
        rng = np.random.default_rng(self.config.seed)
        self._a = rng.integers(1, 2**63, size=self.config.num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=self.config.num_perm, dtype=np.uint64)

    def signature(self, token_hashes: npt.NDArray[np.uint64]) -> Signature:
        """The signature of a text from its token hashes; all ones for an empty text."""
        # Repeated shingles change no minimum, so they are not removed first.
        shingles = shingle_hashes(token_hashes, self.config.shingle)
        if len(shingles) == 0:
            return np.full(self.config.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        with np.errstate(over="ignore"):
            permuted = np.multiply.outer(self._a, shingles)
            permuted += self._b[:, None]
        # The top 32 bits of the minimum are the minimum of the top 32 bits: shift once.
        signature: Signature = (permuted.min(axis=1) >> np.uint64(32)).astype(np.uint32)
        return signature

    def band_keys(self, signature: Signature) -> npt.NDArray[np.int64]:
        """One key a band (non-negative, 63 bits): two texts sharing any key are a candidate
        pair. Each band's rows are mixed into one integer, with the band's number, by
        vector arithmetic, so no per-band hashing in Python. A matrix of signatures (one a
        row) gives a matrix of keys in the same few operations, which is what batches use."""
        bands, rows_per_band = self.config.bands, self.config.rows
        rows = signature.reshape(*signature.shape[:-1], bands, rows_per_band).astype(np.uint64)
        mixed = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SEED,
                                rows.shape[:-1]).copy()
        with np.errstate(over="ignore"):
            for row in range(rows_per_band):
                mixed = (mixed ^ rows[..., row]) * _MIX
                mixed ^= mixed >> np.uint64(29)
        keys: npt.NDArray[np.int64] = (mixed >> np.uint64(1)).astype(np.int64)
        return keys


def estimated_jaccard(a: Signature, b: Signature) -> float:
    return float(np.mean(a == b))


def band_pairs(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Every pair of rows sharing a band key, once each as (i, j) with i < j, sorted.

    `keys` holds one row of band keys per text (n × bands, from `MinHasher.band_keys`). This is
    the batch form of inserting every text into an LSH index and querying every text: one sort
    of all keys finds the runs of equal keys, and the pairs within runs of each length are laid
    out with array arithmetic, so no per-key Python lists are built."""
    count, bands = keys.shape if keys.ndim == 2 else (0, 0)
    if count < 2 or bands == 0:
        return np.empty((0, 2), dtype=np.int64)
    flat = keys.ravel()
    rows = np.repeat(np.arange(count, dtype=np.int64), bands)
    order = np.argsort(flat, kind="stable")
    flat, rows = flat[order], rows[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    lengths = np.diff(np.r_[starts, len(flat)])
    found: list[npt.NDArray[np.int64]] = []
    for length in np.unique(lengths[lengths > 1]).tolist():
        run_starts = starts[lengths == length]
        first, second = np.triu_indices(length, 1)
        members = rows[run_starts[:, None] + np.arange(length)]  # one run per line
        found.append(np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # a text repeating a key in two bands
    codes = np.sort(pairs[:, 0] * count + pairs[:, 1])  # sort and mask: np.unique is slower
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return np.stack([codes // count, codes % count], axis=1)
