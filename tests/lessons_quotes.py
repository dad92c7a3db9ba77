#!/usr/bin/env python3
"""Check that the C excerpts in LESSONS.md are still the real code of src/.

Each ```c block that LESSONS.md quotes opens with a comment naming its file
(/* src/servers/sequential.c */), and may name the function quoted
(/* src/handler.c: count_one() */); blocks without one continue the file
named before. The lines of a block must be lines of that file (of that
function, when one is named), whole and in the same order. Consecutive
lines of the block are consecutive lines of the file; a '...' line or a
blank line in the block stands for lines left out. Prints one line per
stale excerpt; exit 1 if any. A file (or a named function) that does not
exist in this tree is reported too.
"""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def runs_of(lines):
    """The block cut at its '...' and blank lines: runs of adjacent lines."""
    runs, run = [], []
    for line in lines:
        if line.strip() in ("", "..."):
            if run:
                runs.append(run)
            run = []
        else:
            run.append(line.rstrip())
    if run:
        runs.append(run)
    return runs


def function_body(source, name):
    """The lines of NAME's definition, from its first line to its closing
    brace, or None. A definition starts at the left margin and is not a
    prototype (which ends with ';')."""
    for i, line in enumerate(source):
        if re.match(r"\S.*\b%s\(" % re.escape(name), line) and not line.endswith(";"):
            for j in range(i, len(source)):
                if source[j] == "}":
                    return source[i:j + 1]
    return None


def find_run(source, run, start):
    """The index from which RUN matches SOURCE line for line, at or after
    START, or -1."""
    for i in range(start, len(source) - len(run) + 1):
        if source[i:i + len(run)] == run:
            return i
    return -1


def check(lines, current, function, source):
    """The stale lines of one block, as messages (none when it is current)."""
    where = current + (": %s()" % function if function else "")
    if function is not None:
        source = function_body(source, function)
        if source is None:
            return ["LESSONS.md quotes %s() of %s, which has no such function"
                    % (function, current)]
    at = 0
    for run in runs_of(lines):
        found = find_run(source, run, at)
        if found < 0:
            missing = [line for line in run if line not in source]
            if missing:
                return ["%s no longer has: %s" % (where, missing[0].strip())]
            return ["%s no longer has these lines together, after the ones"
                    " quoted before them: %s" % (where, " / ".join(l.strip() for l in run))]
        at = found + len(run)
    return []


def main():
    text = open(os.path.join(root, "LESSONS.md"), encoding="utf-8").read()
    stale, checked, current = 0, 0, None
    for block in re.findall(r"```c\n(.*?)```", text, re.S):
        lines = block.rstrip("\n").split("\n")
        named = re.match(r"/\* (src/[\w/.]+)(?:: (\w+)\(\))?", lines[0])
        function = None
        if named:
            current, function, lines = named.group(1), named.group(2), lines[1:]
        if current is None:
            print("an excerpt names no file: " + lines[0])
            stale += 1
            continue
        path = os.path.join(root, current)
        if not os.path.exists(path):
            print("LESSONS.md quotes %s, which does not exist" % current)
            stale += 1
            continue
        source = [line.rstrip() for line in open(path, encoding="utf-8").read().split("\n")]
        problems = check(lines, current, function, source)
        for problem in problems:
            print(problem)
        stale += len(problems)
        checked += 1
    print("checked %d excerpts" % checked)
    return 1 if stale else 0


sys.exit(main())
