#!/usr/bin/env python3
"""docs/internals.md names the tree exactly: every source file under
runtime/, compiler/ and cli/ is named there, and every file it names under
them exists.  `name.[ch]` stands for name.c and name.h.

Usage: check_internals.py SOURCE_DIR
       check_internals.py --self-test   (the check fails as it should)
"""
import os
import re
import sys

FOLDERS = ("runtime", "compiler", "cli")
SOURCE = (".c", ".h", ".cpp")


def named_files(doc):
    names = set()
    for token in re.findall(r"\b((?:%s)/[\w./\[\]-]+)" % "|".join(FOLDERS), doc):
        token = token.rstrip(".")
        if token.endswith(".[ch]"):
            names.update((token[:-5] + ".c", token[:-5] + ".h"))
        elif token.endswith(SOURCE):
            names.add(token)
    return names


def tree_files(root):
    found = set()
    for folder in FOLDERS:
        for base, _, files in os.walk(os.path.join(root, folder)):
            for f in files:
                if f.endswith(SOURCE):
                    found.add(os.path.relpath(os.path.join(base, f), root))
    return found


def problems_in(root):
    with open(os.path.join(root, "docs", "internals.md"), encoding="utf-8") as f:
        doc = f.read()
    named, tree = named_files(doc), tree_files(root)
    problems = ["docs/internals.md does not name %s" % p for p in sorted(tree - named)]
    problems += ["docs/internals.md names %s, which does not exist" % p
                 for p in sorted(named - tree)]
    return problems


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        for path, text in (("docs/internals.md", "`runtime/core/mem.[ch]`, `compiler/sema.c`\n"),
                           ("runtime/core/mem.c", ""), ("runtime/core/mem.h", ""),
                           ("cli/main.c", "")):
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
        got = problems_in(root)
    want = ["docs/internals.md does not name cli/main.c",
            "docs/internals.md names compiler/sema.c, which does not exist"]
    if got != want:
        print("self-test: got %r, want %r" % (got, want))
        return 1
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    problems = problems_in(sys.argv[1] if len(sys.argv) > 1 else ".")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
