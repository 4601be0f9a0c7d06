#!/usr/bin/env python3
"""check_grammar.py — editors/ stays true to the language.

The TextMate grammar and the VS Code extension are valid JSON; every
pattern of the grammar compiles; the extension's files exist; and every
keyword of the lexer (grammar/lexer.l) is highlighted as a keyword.

usage: check_grammar.py SOURCE_DIR
"""
import json
import re
import sys
from pathlib import Path


def patterns(node):
    """Every match/begin/end regex below a grammar node."""
    if isinstance(node, dict):
        for key in ("match", "begin", "end"):
            if key in node:
                yield node[key]
        for value in node.values():
            yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


def main():
    root = Path(sys.argv[1])
    grammar = json.loads((root / "editors/rubric.tmLanguage.json").read_text())
    vscode = root / "editors/vscode"
    package = json.loads((vscode / "package.json").read_text())
    json.loads((vscode / "language-configuration.json").read_text())
    errors = []
    for lang in package["contributes"]["languages"]:
        if not (vscode / lang["configuration"]).is_file():
            errors.append(f"package.json: no {lang['configuration']}")
    for g in package["contributes"]["grammars"]:
        if not (vscode / g["path"]).resolve().is_file():
            errors.append(f"package.json: no {g['path']}")
        if g["scopeName"] != grammar["scopeName"]:
            errors.append(f"package.json: scope {g['scopeName']} is not {grammar['scopeName']}")
    compiled = []
    for regex in patterns(grammar["repository"]):
        try:
            compiled.append(re.compile(regex))
        except re.error as e:
            errors.append(f"pattern {regex!r}: {e}")
    # Keywords: the lexer's rules `"word"  { return T_...; }`, and the
    # test files' line keywords.
    lexer = (root / "grammar/lexer.l").read_text()
    words = set(re.findall(r'^(?:<TESTS>)?"([a-z_]+)"\s+\{\s*return', lexer, re.M))
    if len(words) < 40:
        errors.append(f"only {len(words)} keywords found in grammar/lexer.l")
    keyword_res = [re.compile(p["match"]) for p in
                   grammar["repository"]["keyword"]["patterns"] +
                   grammar["repository"]["literal"]["patterns"] +
                   [grammar["repository"]["test-line"]]]
    for word in sorted(words):
        if not any(r.search(word) for r in keyword_res):
            errors.append(f"keyword {word!r} of grammar/lexer.l is not highlighted")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
