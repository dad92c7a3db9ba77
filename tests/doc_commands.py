#!/usr/bin/env python3
"""doc_commands.py FILE...: every netlab command line a reader of the docs types.

Looks in code (indented or fenced blocks, and inline `./netlab ...` spans)
for ./netlab or netlab followed by a space, cuts it at a shell separator
(; | & ') and drops a comment, and prints one tab-separated record per command:

    FILE:LINE <tab> ARGS <tab> EXPECTED

Output the docs show (log lines, ps) is not a command: netlab must stand
first on the line or after a shell separator. ARGS is the command's arguments after 'netlab', shell-quoted; EXPECTED is
the 'netlab: ...' error line the docs show right under it, or empty."""
import re
import shlex
import sys

# netlab as a command: first on the line, or after ; && | ( exec 'bash -c.
CALL = re.compile(r"(?:^|[;&|(]\s*|\bexec\s+|-c\s+')(?:\./)?netlab(?=\s|$)([^;|&'`\n]*)")


def code_lines(text):
    """(number, line, next line) for each line of code: blocks and spans."""
    lines = text.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    ") or line.startswith("\t"):
            yield i + 1, line.strip(), following
        else:
            for span in re.findall(r"`(\./netlab[^`]*)`", line):
                yield i + 1, span, ""


def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for number, line, following in code_lines(text):
            if line.startswith("netlab:"):
                continue        # an error line the docs show, not a command
            line = re.sub(r"\s#.*", "", line)     # a comment, not typed
            for m in CALL.finditer(line):
                try:
                    args = shlex.split(m.group(1))
                except ValueError:
                    args = m.group(1).split()
                if args and args[0].endswith(":"):
                    continue    # "netlab watch: port ...": a tool's output

                expected = following if following.startswith("netlab: ") else ""
                print(f"{path}:{number}\t{shlex.join(args)}\t{expected}")


main()
