"""Draw the audit's groups and write them under names that hide the roles (see README.md).

`python corpus/derivation/audit/make_blind.py OUT_DIR` writes OUT_DIR/r1 and OUT_DIR/r2 (30
groups each: 20 of the fourth round, 10 earlier; per group `base.txt` and the other texts as
X.txt, Y.txt, ... in shuffled order) and blind_names.json (which blind name is which group and
role) beside this file. Seeded: the same corpus gives the same draw.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
NAMES = "XYZWVU"


def group_ids(pattern: str) -> list[str]:
    return sorted({path.name.split(".")[0] for path in CORPUS.glob(pattern)})


def main(out: Path) -> None:
    rng = random.Random(34)
    fourth = rng.sample(group_ids("[ij]-*.base.txt"), 40)
    earlier = rng.sample(group_ids("[a-h]-*.base.txt"), 20)
    readers = {"r1": fourth[:20] + earlier[:10], "r2": fourth[20:] + earlier[10:]}
    names = {}
    for reader, groups in readers.items():
        rng.shuffle(groups)
        for number, group in enumerate(groups, 1):
            folder = out / reader / f"g{number:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(CORPUS / f"{group}.base.txt", folder / "base.txt")
            roles = sorted(path.name.split(".")[1] for path in CORPUS.glob(f"{group}.*.txt")
                           if path.name.split(".")[1] != "base")
            rng.shuffle(roles)
            for name, role in zip(NAMES, roles, strict=False):
                shutil.copy(CORPUS / f"{group}.{role}.txt", folder / f"{name}.txt")
                names[f"{reader}/g{number:02d}/{name}"] = {"group": group, "role": role}
    (Path(__file__).parent / "blind_names.json").write_text(json.dumps(names, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
