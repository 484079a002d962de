#!/usr/bin/env python3
"""Mutation testing for Palermo: do the tests notice a realistic bug?

Reads a list of mutations (see README.md in this folder for the format),
applies them one at a time to the source tree, rebuilds with
`cmake --build --preset default` (only the entry's `build` targets if
it names some), runs the tests (`ctest --preset default`,
restricted by the entry's `tests` regex if it has one) and records each
mutant as killed (a test failed), survived (every test passed), does not
compile, or stale (the original text does not occur exactly once). The file
is always restored, also on Ctrl-C or SIGTERM; a run killed harder leaves a
note in the build folder that the next run restores from first.

Prints a table and the score killed / (killed + survived).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
# What is being mutated right now, so that a killed run can be undone.
PENDING = BUILD / "mutate-pending.json"
LOG_DIR = BUILD / "mutate-logs"

KILLED, SURVIVED, NO_COMPILE, STALE = (
    "killed", "survived", "does-not-compile", "stale")


class Entry:
    def __init__(self, line):
        self.line = line  # where it starts in the list, for messages
        self.id = ""
        self.file = ""
        self.original = None
        self.replacement = None
        self.tests = ""
        self.build = ""  # targets; empty: everything
        self.what = ""


def unescape(text):
    """\\n is a newline, \\t a tab, \\\\ a backslash; nothing else changes."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "nt\\":
            out.append({"n": "\n", "t": "\t", "\\": "\\"}[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def parse_list(path):
    """Entries separated by blank lines; `key: value` lines; # comments."""
    entries, current, errors = [], None, []
    keys = {"id", "file", "from", "to", "tests", "build", "what"}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                current = None
                continue
            if line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in keys:
                errors.append(f"{path}:{number}: expected one of "
                              f"{sorted(keys)} followed by ':'")
                continue
            if value.startswith(" "):
                value = value[1:]
            if current is None:
                current = Entry(number)
                entries.append(current)
            if key == "from":
                current.original = unescape(value)
            elif key == "to":
                current.replacement = unescape(value)
            else:
                setattr(current, key, value.strip())
    seen = set()
    for e in entries:
        where = f"{path}:{e.line}"
        if not e.file or e.original is None or e.replacement is None:
            errors.append(f"{where}: an entry needs file, from and to")
        if e.original == "":
            errors.append(f"{where}: 'from' must not be empty")
        if e.original is not None and e.original == e.replacement:
            errors.append(f"{where}: 'from' and 'to' are the same")
        if not e.id:
            e.id = f"L{e.line}"
        if e.id in seen:
            errors.append(f"{where}: id {e.id} used twice")
        seen.add(e.id)
    return entries, errors


def restore_pending():
    """Undo the mutation of a run that was killed before it could."""
    if not PENDING.exists():
        return
    note = json.loads(PENDING.read_text(encoding="utf-8"))
    target = ROOT / note["file"]
    target.write_bytes(bytes.fromhex(note["content"]))
    PENDING.unlink()
    print(f"mutate: restored {note['file']} left mutated by an earlier run",
          file=sys.stderr)


def run(command, log, timeout):
    """Runs `command` in the tree; True if it exits 0. Output goes to log."""
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(command) + "\n").encode())
        out.flush()
        try:
            return subprocess.run(command, cwd=ROOT, stdout=out,
                                  stderr=subprocess.STDOUT,
                                  timeout=timeout).returncode == 0
        except subprocess.TimeoutExpired:
            out.write(b"mutate: timed out\n")
            return False


def build(log, jobs, targets=""):
    command = ["cmake", "--build", "--preset", "default", "--parallel",
               str(jobs)]
    if targets:
        command += ["--target"] + targets.split()
    return run(command, log, timeout=3600)


def test(regex, log, jobs):
    command = ["ctest", "--preset", "default", "--parallel", str(jobs),
               "--timeout", "120", "--no-tests=error"]
    if regex:
        command += ["-R", regex]
    return run(command, log, timeout=1800)


class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted()


def mutate_one(e, jobs):
    target = ROOT / e.file
    if not target.is_file():
        return STALE, f"{e.file} does not exist"
    content = target.read_bytes()
    text = content.decode("utf-8")
    found = text.count(e.original)
    if found != 1:
        return STALE, f"the original text occurs {found} times"
    log = LOG_DIR / f"{e.id}.log"
    log.unlink(missing_ok=True)
    try:
        PENDING.write_text(
            json.dumps({"file": e.file, "content": content.hex()}),
            encoding="utf-8")
        target.write_bytes(
            text.replace(e.original, e.replacement, 1).encode("utf-8"))
        if not build(log, jobs, e.build):
            return NO_COMPILE, f"see {log.relative_to(ROOT)}"
        if test(e.tests, log, jobs):
            return SURVIVED, ""
        return KILLED, ""
    finally:
        # Ctrl-C and SIGTERM are held off while the file is put back.
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        old_term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        target.write_bytes(content)
        PENDING.unlink(missing_ok=True)
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lists", nargs="*",
                        default=[str(ROOT / "tools/mutate/realistic.txt")],
                        help="mutation lists (default: tools/mutate/"
                        "realistic.txt)")
    parser.add_argument("--only", default="",
                        help="comma-separated ids: run just these entries")
    parser.add_argument("--check", action="store_true",
                        help="only check that every entry applies (no build)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="parallel build and test jobs (default 2)")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="do not check first that the unmutated tree "
                        "builds and passes")
    args = parser.parse_args()

    entries, errors = [], []
    for path in args.lists:
        more, bad = parse_list(path)
        entries += more
        errors += bad
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {e.id for e in entries}
        if unknown:
            print(f"mutate: no entries {sorted(unknown)}", file=sys.stderr)
            return 2
        entries = [e for e in entries if e.id in wanted]

    if not (BUILD / "build.ninja").exists() and not args.check:
        subprocess.run(["cmake", "--preset", "default"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    BUILD.mkdir(exist_ok=True)
    LOG_DIR.mkdir(exist_ok=True)
    restore_pending()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    results = []
    interrupted = False
    try:
        if args.check:
            for e in entries:
                text = (ROOT / e.file).read_text(encoding="utf-8") \
                    if (ROOT / e.file).is_file() else ""
                found = text.count(e.original)
                results.append((e, "ok" if found == 1 else STALE,
                                "" if found == 1 else
                                f"the original text occurs {found} times"))
        else:
            baseline = LOG_DIR / "baseline.log"
            baseline.unlink(missing_ok=True)
            if not args.skip_baseline:
                print("mutate: baseline build and tests", file=sys.stderr)
                if not build(baseline, args.jobs) or \
                        not test("", baseline, args.jobs):
                    print(f"mutate: the unmutated tree fails; see {baseline}",
                          file=sys.stderr)
                    return 1
            for n, e in enumerate(entries, 1):
                started = time.monotonic()
                print(f"mutate: [{n}/{len(entries)}] {e.id} {e.file}: "
                      f"{e.what}", file=sys.stderr, flush=True)
                outcome, note = mutate_one(e, args.jobs)
                print(f"mutate:   {outcome} "
                      f"({time.monotonic() - started:.0f} s) {note}",
                      file=sys.stderr, flush=True)
                results.append((e, outcome, note))
    except Interrupted:
        interrupted = True
        print("mutate: interrupted; the tree is restored", file=sys.stderr)
        return 130
    finally:
        if not args.check and results and not interrupted:
            # The build folder matches the restored tree again.
            build(LOG_DIR / "final-build.log", args.jobs)

    width = max([len(e.id) for e, _, _ in results] + [2])
    print(f"{'id':<{width}}  {'result':<16}  file: mutation")
    for e, outcome, note in results:
        print(f"{e.id:<{width}}  {outcome:<16}  {e.file}: {e.what}"
              + (f" [{note}]" if note and outcome != KILLED else ""))
    if args.check:
        stale = sum(1 for _, o, _ in results if o == STALE)
        print(f"{len(results) - stale} apply, {stale} stale")
        return 1 if stale else 0
    count = {k: sum(1 for _, o, _ in results if o == k)
             for k in (KILLED, SURVIVED, NO_COMPILE, STALE)}
    scored = count[KILLED] + count[SURVIVED]
    score = f"{100.0 * count[KILLED] / scored:.1f}%" if scored else "n/a"
    print(f"killed {count[KILLED]}, survived {count[SURVIVED]}, "
          f"does not compile {count[NO_COMPILE]}, stale {count[STALE]}; "
          f"score {count[KILLED]}/{scored} = {score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
