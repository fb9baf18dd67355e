#!/usr/bin/env python3
"""The functions of a callgrind profile by their own cost (instructions spent in the function itself, not in what
it calls), with their share of the total.

    scripts/callgrind-self.py target/bench/callgrind.out.<pid>.1 [how many, 40 by default]

callgrind_annotate's own-cost listing attributes everything to the thread's start when collection is toggled on
inside a call (`--toggle-collect`, as scripts/profile.sh does); this reads the file's cost lines directly.
"""
import collections
import re
import sys


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    names: dict[str, dict[str, str]] = collections.defaultdict(dict)
    own: collections.Counter[str] = collections.Counter()

    def name(kind: str, text: str) -> str:
        # Compressed names: "(12) full name" defines id 12, "(12)" refers to it.
        m = re.match(r"\((\d+)\)(?: (.*))?", text)
        if not m:
            return text
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), "?")

    fn = None
    after_calls = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line[0].isdigit() or line[0] in "+-*":
                if after_calls:  # the inclusive cost of a call: not this function's own
                    after_calls = False
                elif fn is not None:
                    parts = line.split()
                    if len(parts) >= 2:
                        own[fn] += int(parts[1])
                continue
            key, _, value = line.partition("=")
            if key == "fn":
                fn = name("fn", value)
            elif key == "cfn":
                name("fn", value)
            elif key in ("fl", "fi", "fe", "cfi", "cfl"):
                name("fl", value)
            elif key in ("ob", "cob"):
                name("ob", value)
            elif key == "calls":
                after_calls = True
    total = sum(own.values())
    print(f"{total:>14,}  100.0 %  total")
    for function, cost in own.most_common(top):
        print(f"{cost:>14,} {100 * cost / total:6.1f} %  {function[:160]}")


if __name__ == "__main__":
    main()
