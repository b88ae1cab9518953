#!/usr/bin/env python3
"""Layout oracle: checks the derive's formats against real CPython and numpy.

  generate --seed S --count N --out FILE   write N random derived struct layouts as Rust source
  generate --seed S --count N --check FILE exit 1 if FILE is not exactly what `generate` writes
  check                                    read the Rust test's JSON on stdin, run the checkers

`check` compares, for every type, Rust's `size_of`, `align_of`, `offset_of!` of every field
and a sample value's bytes with three independent readings: CPython's struct module (the
derive's format flattened, since struct reads no `T{}`), numpy's PEP 3118 parser (directly and
through a real buffer export), and a ctypes.Structure mirror built from the Rust field types
(plus ctypes' own export of it). It prints one summary line per checker and exits 1 on any
unexplained disagreement; disagreements that are inherent to a checker are counted with
their reason. See tests/tests/layouts_python.rs, which drives it.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DEFAULT_SEED = 20261126
DEFAULT_COUNT = 200


def cmd_generate(args):
    from layout_generate import generate

    src = generate(args.seed, args.count)
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            current = f.read()
        if current != src:
            print(f"{args.check} is not what `layout_oracle.py generate --seed {args.seed} "
                  f"--count {args.count}` writes: regenerate it with --out", file=sys.stderr)
            return 1
        print(f"{args.check}: up to date (seed {args.seed}, {args.count} layouts)")
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(src)
    return 0


def cmd_check(args):
    from layout_checks import run

    doc = json.load(sys.stdin)
    outcomes = run(doc)
    failed = False
    print(f"layout oracle: {len(doc['cases'])} types, python {sys.version.split()[0]}, "
          f"numpy {__import__('numpy').__version__}, host {doc['endian']}-endian "
          f"{doc['pointer_width']}-bit")
    for o in outcomes:
        print(o.summary())
    for o in outcomes:
        for name, msg in o.failures[: args.max_failures]:
            failed = True
            print(f"FAIL [{o.name}] {name}: {msg}")
        if len(o.failures) > args.max_failures:
            print(f"FAIL [{o.name}] ... and {len(o.failures) - args.max_failures} more")
            failed = True
    if doc["cases"] and not failed:
        print("layout oracle: no unexplained disagreement")
    if not doc["cases"]:
        print("layout oracle: no cases given", file=sys.stderr)
        return 1
    return 1 if failed else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write random struct layouts as Rust source")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED)
    g.add_argument("--count", type=int, default=DEFAULT_COUNT)
    dest = g.add_mutually_exclusive_group(required=True)
    dest.add_argument("--out")
    dest.add_argument("--check")
    c = sub.add_parser("check", help="check the JSON of the Rust test (stdin) with python")
    c.add_argument("--max-failures", type=int, default=30)
    args = p.parse_args(argv)
    return cmd_generate(args) if args.cmd == "generate" else cmd_check(args)


if __name__ == "__main__":
    sys.exit(main())
