"""`python -m newstrace.spark analyze INPUT... --out DIR`: the Spark job as a spark-submit
entry point (spark-submit --master spark://host:7077 -m ... or the module's file)."""

from __future__ import annotations

import sys

from newstrace.cli.spark import spark_group
from newstrace.errors import NewstraceError


def main() -> None:
    try:
        spark_group(standalone_mode=True)
    except NewstraceError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
