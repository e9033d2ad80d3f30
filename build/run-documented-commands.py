#!/usr/bin/env python3
"""Runs the commands of README.md and docs/*.md that are marked runnable, so they cannot rot.

Marking (an HTML comment on the line right before a fenced code block; GitHub does not render it):
  <!-- runnable -->             every command of the block runs as written
  <!-- runnable: <command> -->  the block's commands are too slow for CI: <command>, a short form of
                                them (e.g. --help), runs instead
Commands run with bash from the repository root, each with a time limit (--timeout, seconds).
Lines of a block ending in a backslash continue on the next line; lines starting with '#' are
comments. Usage: build/run-documented-commands.py [--root DIR] [--list] [--timeout SECONDS]
Exit status: 0 when every command exited 0, 1 otherwise (each failure is reported with its output).
"""
import argparse
import pathlib
import re
import subprocess
import sys

MARK = re.compile(r"^\s*<!--\s*runnable(?::\s*(.+?))?\s*-->\s*$")


def documents(root):
    docs = [root / "README.md"]
    docs += sorted((root / "docs").glob("*.md")) if (root / "docs").is_dir() else []
    return [d for d in docs if d.is_file()]


def block_commands(lines, start):
    """The commands of the fenced block opening at lines[start], continuations joined."""
    commands, current = [], ""
    for line in lines[start + 1:]:
        if line.strip().startswith("```"):
            break
        text = line.strip()
        if not current and (not text or text.startswith("#")):
            continue
        if text.endswith("\\"):
            current += text[:-1].rstrip() + " "
            continue
        commands.append(current + text)
        current = ""
    return commands


def marked_commands(root):
    """(document:line, command) of every marked command."""
    found = []
    for doc in documents(root):
        lines = doc.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = MARK.match(line)
            if not m:
                continue
            where = f"{doc.relative_to(root)}:{i + 1}"
            if i + 1 >= len(lines) or not lines[i + 1].strip().startswith("```"):
                raise SystemExit(f"{where}: a runnable mark must be followed directly by a fenced code block")
            if m.group(1):
                found.append((where, m.group(1)))
            else:
                found.extend((where, c) for c in block_commands(lines, i + 1))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parent.parent, type=pathlib.Path)
    parser.add_argument("--list", action="store_true", help="print the marked commands, run nothing")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    root = args.root.resolve()
    commands = marked_commands(root)
    failures = 0
    for where, command in commands:
        if args.list:
            print(f"{where}\t{command}")
            continue
        print(f"run {where}: {command}", flush=True)
        try:
            done = subprocess.run(["bash", "-c", command], cwd=root, capture_output=True, text=True,
                                  timeout=args.timeout)
            ok, output = done.returncode == 0, done.stdout + done.stderr
            status = f"exit {done.returncode}"
        except subprocess.TimeoutExpired as e:
            ok, output, status = False, str(e.stdout or "") + str(e.stderr or ""), f"timeout {args.timeout} s"
        if not ok:
            failures += 1
            print(f"FAILED {where} ({status}): {command}\n{output[-4000:]}", flush=True)
    if not args.list:
        print(f"{len(commands) - failures} of {len(commands)} documented commands passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
