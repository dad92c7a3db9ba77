#!/usr/bin/env python3
"""Check that the C excerpts in LESSONS.md are still the real code of src/.

Each ```c block that LESSONS.md quotes opens with a comment naming its file
(/* src/servers/sequential.c */), and may name the function quoted
(/* src/handler.c: count_one() */); blocks without one continue the file
named before. Every line of a block, other than '...' and blank lines, must occur
verbatim in that file. Prints one line per stale excerpt; exit 1 if any.
A file (or a named function) that does not exist in this tree is reported
too.
"""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
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
    source = open(path, encoding="utf-8").read()
    if function is not None and function + "(" not in source:
        print("LESSONS.md quotes %s() of %s, which has no such function" % (function, current))
        stale += 1
        continue
    checked += 1
    for line in lines:
        if line.strip() in ("", "...") or line in source:
            continue
        print("%s no longer has: %s" % (current, line.strip()))
        stale += 1
print("checked %d excerpts" % checked)
sys.exit(1 if stale else 0)
