#!/usr/bin/env python3
"""Re-point docs/autodiff.md's line links after code moved: [`code`](../path#Lnn[-Lmm]) is moved to the first
line of that file that contains `code` (a range keeps its length). DocLinksTest fails when a link drifts; run
this, then read the diff: a link whose code is gone is reported, not guessed."""
import pathlib, re, sys

DOCS = pathlib.Path(__file__).resolve().parent
LINK = re.compile(r"\[`([^`]+)`]\((\.\./[^)#]+)#L(\d+)(?:-L(\d+))?\)")


def relink(match, missing):
    code, path, start, end = match.group(1), match.group(2), int(match.group(3)), match.group(4)
    lines = (DOCS / path).read_text().splitlines()
    if start <= len(lines) and code in lines[start - 1]:
        return match.group(0)
    found = next((i + 1 for i, line in enumerate(lines) if code in line), None)
    if found is None:
        missing.append(f"{path}: `{code}` no longer found")
        return match.group(0)
    span = f"-L{found + int(end) - start}" if end else ""
    return f"[`{code}`]({path}#L{found}{span})"


def main():
    guide = DOCS / "autodiff.md"
    missing = []
    text = LINK.sub(lambda m: relink(m, missing), guide.read_text())
    guide.write_text(text)
    for line in missing:
        print(line, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
