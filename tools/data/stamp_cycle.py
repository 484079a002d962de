#!/usr/bin/env python3
"""Stamps every source of the reference facts with the cycle they belong to.

Every `sources` array (at any depth: facts, laws, quality notes, meetings) in
data/legislation, data/enforcement, data/assistance and data/coordination gets
`cycle` (from data/reporting/cycle.json's cycleId) and, when the file's entity
responded in that cycle (data/reporting/responses.json), `response`
(`cycles/{cycle}/responses/{ALPHA3 or organization id}`). A file is one
entity's (`EST.json`: countries/EST, `LAS.json`: organizations/LAS);
`groups.json` (inter-agency groups) belongs to no entity and gets the cycle
only, as do the facts of an entity without a response (Latvia).

Idempotent: run it again and nothing changes. Files keep the dataset's
format (protobuf JSON, 2-space indent, UTF-8, keys in field order).

Usage: tools/data/stamp_cycle.py [--check] [DATA_DIR]
  --check  change nothing; exit 1 if a file would change.
"""

import argparse
import json
import pathlib
import sys

DOMAINS = ("legislation", "enforcement", "assistance", "coordination")


def respondents(data_dir: pathlib.Path) -> set:
    """Entity names (`countries/EST`) with a response in the cycle."""
    with open(data_dir / "reporting" / "responses.json", encoding="utf-8") as f:
        return {r["entity"] for r in json.load(f)["responses"]}


def cycle_name(data_dir: pathlib.Path) -> str:
    with open(data_dir / "reporting" / "cycle.json", encoding="utf-8") as f:
        return "cycles/" + json.load(f)["cycleId"]


def stamp(value, cycle: str, response: str) -> None:
    """Sets cycle (and response, or removes it) on every source in value."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "sources" and isinstance(child, list):
                for i, source in enumerate(child):
                    kept = {k: v for k, v in source.items()
                            if k not in ("cycle", "response")}
                    kept["cycle"] = cycle
                    if response:
                        kept["response"] = response
                    child[i] = kept
            else:
                stamp(child, cycle, response)
    elif isinstance(value, list):
        for child in value:
            stamp(child, cycle, response)


def entity_of(path: pathlib.Path, responded: set) -> str:
    """The file's entity name, or "" for a file of no entity."""
    for prefix in ("countries/", "organizations/"):
        if prefix + path.stem in responded:
            return prefix + path.stem
    if len(path.stem) == 3 and path.stem.isupper():
        return "countries/" + path.stem
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("data_dir", nargs="?",
                        default=pathlib.Path(__file__).resolve().parents[2] /
                        "data")
    args = parser.parse_args()
    data_dir = pathlib.Path(args.data_dir)
    cycle = cycle_name(data_dir)
    responded = respondents(data_dir)
    changed = []
    for domain in DOMAINS:
        for path in sorted((data_dir / domain).glob("*.json")):
            text = path.read_text(encoding="utf-8")
            record = json.loads(text)
            entity = entity_of(path, responded)
            response = (cycle + "/responses/" + entity.split("/", 1)[1]
                        if entity in responded else "")
            stamp(record, cycle, response)
            out = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
            if out != text:
                changed.append(path)
                if not args.check:
                    path.write_text(out, encoding="utf-8")
    for path in changed:
        print(("would change " if args.check else "stamped ") +
              str(path.relative_to(data_dir)))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
