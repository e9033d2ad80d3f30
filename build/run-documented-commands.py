#!/usr/bin/env python3
"""Runs the commands of README.md, docs/*.md and the module READMEs that are marked runnable.

So a documented command cannot rot. Marking (an HTML comment on the line right before a fenced
code block; GitHub does not render it):
  <!-- runnable -->             every command of the block runs as written
  <!-- runnable: <command> -->  <command> runs instead: a short form of the block's commands (the
                                same entry point with smaller sizes, or --help where nothing
                                smaller can run), for commands that take minutes
  <!-- not runnable: <why> -->  nothing runs (needs an AWS account or a Flink installation, ...)
Every ```bash/```sh block needs one of the three (--list fails otherwise), so a new command is
either run or says why not.
Commands run with bash from the repository root, one at a time, each with a time limit (--timeout,
seconds), with npm_config_yes=true (npx installs the pinned CDK CLI without asking). Lines of a
block ending in a backslash continue on the next line; lines starting with '#' are comments.
Documents run in this order: README.md, docs/local.md (its short `./tributary local` run makes
the local tables that later commands query, describe and maintain), the other docs/*.md, then
*/README.md.
What the commands need: a JDK 17+, Node.js 18+ with npm, kubectl (docs/deploy.md's kustomize),
network access to Maven Central and npm the first time. No prior build: the Maven commands build
what they run and `./tributary` builds the CLI on first use (CI runs this after `./mvnw verify`,
so most of it is up to date). Not run: AWS commands (cdk bootstrap/deploy/diff/destroy, the aws
CLI), `flink run` (needs a Flink installation), the producers against an external database or
stream, and FlinkClusterITCase (a test that `./mvnw verify` runs anyway).
Usage: build/run-documented-commands.py [--root DIR] [--list] [--only TEXT] [--timeout SECONDS]
Exit status: 0 when every command exited 0, 1 otherwise (each failure is reported with its output).
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import time

MARK = re.compile(r"^\s*<!--\s*runnable(?::\s*(.+?))?\s*-->\s*$")
NOT_RUNNABLE = re.compile(r"^\s*<!--\s*not runnable:\s*\S.*-->\s*$")
SHELL_BLOCK = re.compile(r"^\s*```(bash|sh|shell)\s*$")


def documents(root):
    """README.md, docs/local.md, the other docs/*.md, then the module READMEs (*/README.md).

    docs/local.md comes first among the docs: its `./tributary local` run makes the local tables
    that the commands of later documents (query, ddl, maintain) read.
    """
    docs = [root / "README.md", root / "docs" / "local.md"]
    docs += [d for d in sorted((root / "docs").glob("*.md")) if d.name != "local.md"] if (root / "docs").is_dir() else []
    docs += sorted(root.glob("*/README.md"))
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
    """(document:line, command) of every marked command; every shell block must carry a mark."""
    found = []
    for doc in documents(root):
        lines = doc.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if SHELL_BLOCK.match(line) and (i == 0 or not (MARK.match(lines[i - 1]) or NOT_RUNNABLE.match(lines[i - 1]))):
                raise SystemExit(f"{doc.relative_to(root)}:{i + 1}: a shell block needs <!-- runnable -->,"
                                 " <!-- runnable: <short form> --> or <!-- not runnable: <why> --> right before it")
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
    parser.add_argument("--only", default="", help="run only the commands whose document:line contains this text")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    root = args.root.resolve()
    commands = [(w, c) for w, c in marked_commands(root) if args.only in w]
    # npx asks before it installs a package (the pinned CDK CLI) and, without a terminal, cancels;
    # a reader answers yes.
    env = dict(os.environ, npm_config_yes="true")
    failures, started = 0, time.monotonic()
    for where, command in commands:
        if args.list:
            print(f"{where}\t{command}")
            continue
        print(f"run {where}: {command}", flush=True)
        began = time.monotonic()
        try:
            done = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True,
                                  timeout=args.timeout)
            ok, output = done.returncode == 0, done.stdout + done.stderr
            status = f"exit {done.returncode}"
        except subprocess.TimeoutExpired as e:
            ok, output, status = False, text_of(e.stdout) + text_of(e.stderr), f"timeout {args.timeout} s"
        print(f"  {status} after {time.monotonic() - began:.0f} s", flush=True)
        if not ok:
            failures += 1
            print(f"FAILED {where} ({status}): {command}\n{output[-4000:]}", flush=True)
    if not args.list:
        print(f"{len(commands) - failures} of {len(commands)} documented commands passed"
              f" in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


def text_of(output):
    """What a timed-out command printed (bytes or str, or None)."""
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


if __name__ == "__main__":
    sys.exit(main())
