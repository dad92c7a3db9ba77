#!/usr/bin/env python3
"""json_holds.py EXPR: does EXPR hold for the JSON object on stdin?

The object is 'w' (netlab watch --once --json); helpers:
    doing(word)   the threads doing that word ("recv", "accept", ...)
    peers(word)   the peers of those threads
Exit 0 when EXPR is true, 1 when it is false or stdin is not JSON.
"""
import json
import sys


def main():
    try:
        w = json.load(sys.stdin)
    except ValueError as e:
        print(f"not JSON: {e}", file=sys.stderr)
        return 1

    def doing(word):
        return [t for t in w["threads"] if t["doing"] == word]

    def peers(word):
        return sorted(t["peer"] for t in doing(word))

    # Globals, not locals: a comprehension in EXPR sees only globals.
    names = {"__builtins__": {}, "w": w, "doing": doing, "peers": peers, "len": len,
             "set": set, "sorted": sorted, "all": all, "any": any}
    # In parentheses, EXPR may run over several indented lines.
    return 0 if eval("(" + sys.argv[1] + "\n)", names) else 1


if __name__ == "__main__":
    sys.exit(main())
