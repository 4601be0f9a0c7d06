#!/usr/bin/env python3
"""docs_from_help.py — man pages and shell completions from `rubric --help`.

The command's --help texts are the one source: this script runs the built
binary, reads `rubric --help` and `rubric COMMAND --help` for each command
listed there, and writes

  MANDIR/rubric.1, MANDIR/rubric-COMMAND.1    man pages (troff, man macros)
  BASH                                        a bash completion script
  ZSH                                         a zsh completion function

usage: docs_from_help.py RUBRIC --man-dir DIR --bash FILE --zsh FILE

The --help texts follow one layout, which this script relies on: a
"Usage:" line, paragraphs, and sections headed by a line "Name:" (Options,
Commands, Examples); an option line is "  -x, --long ARG   description",
continued on lines indented further.
"""
import argparse
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------- parsing


class Option:
    def __init__(self, short, long, arg, text):
        self.short, self.long, self.arg, self.text = short, long, arg, text

    def names(self):
        return [n for n in (self.short, self.long) if n]


class Help:
    """One --help text, cut into its parts."""

    def __init__(self, text):
        lines = text.rstrip("\n").split("\n")
        if not lines or not lines[0].startswith("Usage: "):
            raise SystemExit("docs_from_help: a help text must start with 'Usage: '")
        self.usage = lines[0][len("Usage: "):]
        self.paragraphs = []      # text before the first section
        self.sections = {}        # name -> list of lines
        self.exit_status = ""
        current = None
        para = []
        for line in lines[1:] + [""]:
            header = re.fullmatch(r"([A-Z][A-Za-z ]*):", line)
            if header:
                current = header.group(1)
                self.sections[current] = []
            elif current is not None and (line.startswith(" ") or line == ""):
                self.sections[current].append(line)
            elif line == "":
                if para:
                    self._paragraph(" ".join(para))
                para = []
            else:
                current = None
                para.append(line)
        for name in self.sections:
            while self.sections[name] and self.sections[name][-1] == "":
                self.sections[name].pop()

    def _paragraph(self, text):
        if text.startswith("Exit status:"):
            self.exit_status = text[len("Exit status:"):].strip()
        else:
            self.paragraphs.append(text)

    def options(self):
        out = []
        for line in self.sections.get("Options", []):
            m = re.match(r" {2,6}(?:(-\w), )?(--[\w-]+)(?: ([A-Z][A-Z_.]*))?(?:\s+(.*))?$", line)
            if m:
                out.append(Option(m.group(1), m.group(2), m.group(3), m.group(4) or ""))
            elif out and line.strip():
                out[-1].text += " " + line.strip()
        return out

    def commands(self):
        out = []
        for line in self.sections.get("Commands", []):
            m = re.match(r"  (\S+)\s+(.*)$", line)
            if m:
                out.append((m.group(1), m.group(2)))
        return out

    def examples(self):
        return [l.strip() for l in self.sections.get("Examples", []) if l.strip()]


def run_help(rubric, *args):
    result = subprocess.run([rubric, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"docs_from_help: '{' '.join([rubric, *args])}' exited "
                         f"{result.returncode}: {result.stderr}")
    return result.stdout


# ---------------------------------------------------------------- man pages


def roff(text):
    """Escape text for troff: backslashes, hyphens, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def option_values(option):
    """What an option's argument may be, when its description lists it."""
    if option.arg == "FORMAT":
        m = re.match(r"([a-z0-9-]+(?:, [a-z0-9-]+)*) or ([a-z0-9-]+)", option.text)
        if m:
            return m.group(1).split(", ") + [m.group(2)]
    return []


def man_page(name, summary, help, version, see_also):
    out = [f'.TH {name.upper()} 1 "" "rubric {version}" "Rubric Manual"',
           ".SH NAME", f"{roff(name)} \\- {roff(summary)}",
           ".SH SYNOPSIS", f".B {roff(help.usage)}",
           ".SH DESCRIPTION"]
    for i, para in enumerate(help.paragraphs):
        out += ([".PP"] if i else []) + [roff(para)]
    commands = help.commands()
    if commands:
        out.append(".SH COMMANDS")
        for command, text in commands:
            out += [".TP", f".B {roff(command)}", roff(text) + f" (see \\fBrubric\\-{roff(command)}\\fR(1))."]
    options = help.options()
    if options:
        out.append(".SH OPTIONS")
        for o in options:
            spec = ", ".join(f"\\fB{roff(n)}\\fR" for n in o.names())
            if o.arg:
                spec += f" \\fI{roff(o.arg)}\\fR"
            out += [".TP", spec, roff(o.text)]
    if help.exit_status:
        out += [".SH EXIT STATUS", roff(help.exit_status)]
    examples = help.examples()
    if examples:
        out += [".SH EXAMPLES", ".nf"] + [roff(e) for e in examples] + [".fi"]
    if see_also:
        out += [".SH SEE ALSO", ", ".join(f"\\fB{roff(s)}\\fR(1)" for s in see_also)]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- bash


def bash_value_completion(option, programs, tiers):
    arg = option.arg or ""
    if arg == "DIR":
        return 'COMPREPLY=($(compgen -d -- "$cur"))'
    if arg in ("FILE", "RULES", "DATA"):
        return 'COMPREPLY=($(compgen -f -- "$cur"))'
    words = option_values(option) or (programs if arg == "ID" else tiers if arg == "TIER" else [])
    if words:
        return f'COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur"))'
    return "COMPREPLY=()"


def bash_script(main, subs, programs, tiers):
    lines = ["# bash completion for rubric; generated from `rubric --help` "
             "by cmake/docs_from_help.py.",
             "_rubric()", "{",
             '    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}',
             "    if [ \"$COMP_CWORD\" -eq 1 ]; then",
             f'        COMPREPLY=($(compgen -W "{" ".join([c for c, _ in main.commands()] + ["--help", "--version"])}" -- "$cur"))',
             "        return", "    fi",
             '    case "${COMP_WORDS[1]}" in']
    for command, help in subs:
        options = help.options()
        lines.append(f"    {command})")
        with_arg = [o for o in options if o.arg]
        if with_arg:
            lines.append('        case "$prev" in')
            for o in with_arg:
                lines.append(f"            {'|'.join(o.names())}) "
                             f"{bash_value_completion(o, programs, tiers)}; return ;;")
            lines.append("        esac")
        names = " ".join(n for o in options for n in o.names())
        lines += ['        if [[ $cur == -* ]]; then',
                  f'            COMPREPLY=($(compgen -W "{names}" -- "$cur"))',
                  "        else",
                  '            COMPREPLY=($(compgen -f -- "$cur"))',
                  "        fi", "        ;;"]
    lines += ["    esac", "}", "complete -o filenames -F _rubric rubric", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- zsh


def zsh_quote(text):
    """Text inside a single-quoted _arguments spec's [description]."""
    return (text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]")
            .replace(":", "\\:"))


def zsh_action(option, programs, tiers):
    arg = option.arg or ""
    if arg == "DIR":
        return "_files -/"
    if arg in ("FILE", "RULES", "DATA"):
        return "_files"
    words = option_values(option) or (programs if arg == "ID" else tiers if arg == "TIER" else [])
    return f"({' '.join(words)})" if words else " "


def zsh_script(main, subs, programs, tiers):
    lines = ["#compdef rubric", "# zsh completion for rubric; generated from `rubric --help` "
             "by cmake/docs_from_help.py.", "", "_rubric() {", "    local -a commands",
             "    commands=("]
    for command, text in main.commands():
        lines.append(f"        '{command}:{zsh_quote(text)}'")
    lines += ["    )", "    if (( CURRENT == 2 )); then",
              "        _describe -t commands 'rubric command' commands", "        return",
              "    fi", "    local command=$words[2]", "    shift words", "    (( CURRENT-- ))",
              "    case $command in"]
    for command, help in subs:
        specs = []
        for o in help.options():
            names = o.names()
            # A repeatable option may be given again; the others once.
            repeatable = "repeatable" in o.text
            exclusive = "*" if repeatable else f"({' '.join(names)})" if len(names) > 1 else ""
            group = "{" + ",".join(names) + "}" if len(names) > 1 else names[0]
            desc = zsh_quote(o.text.split(";")[0])
            value = f":{o.arg.lower()}:{zsh_action(o, programs, tiers)}" if o.arg else ""
            specs.append(f"'{exclusive}'{group}'[{desc}]{value}'" if exclusive
                         else f"'{group}[{desc}]{value}'")
        specs.append("'*:file:_files'")
        lines.append(f"    {command})")
        lines.append("        _arguments -s \\")
        lines += [f"            {s} \\" for s in specs[:-1]] + [f"            {specs[-1]}"]
        lines.append("        ;;")
    lines += ["    esac", "}", "", '_rubric "$@"', ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def standard_programs(main):
    """The program ids the main help lists as built in."""
    text = " ".join(main.paragraphs)
    return sorted(set(re.findall(r"\b(apn-[\w-]+|service-delivery)\b", text)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rubric")
    parser.add_argument("--man-dir", required=True)
    parser.add_argument("--bash", required=True)
    parser.add_argument("--zsh", required=True)
    args = parser.parse_args()

    main_help = Help(run_help(args.rubric, "--help"))
    version = run_help(args.rubric, "--version").split()[-1]
    commands = main_help.commands()
    if not commands:
        raise SystemExit("docs_from_help: `rubric --help` lists no commands")
    subs = [(c, Help(run_help(args.rubric, c, "--help"))) for c, _ in commands]
    programs = standard_programs(main_help)
    tiers = ["Registered", "Select", "Advanced", "Premier"]

    os.makedirs(args.man_dir, exist_ok=True)
    summary = re.sub(r"^Rubric ", "", main_help.paragraphs[0].split(":")[0].rstrip("."))
    pages = {"rubric": man_page("rubric", summary,
                                main_help, version, [f"rubric-{c}" for c, _ in commands])}
    for (command, summary), (_, help) in zip(commands, subs):
        pages[f"rubric-{command}"] = man_page(f"rubric-{command}", summary, help, version,
                                              ["rubric"])
    for name, text in pages.items():
        with open(os.path.join(args.man_dir, name + ".1"), "w") as f:
            f.write(text)
    with open(args.bash, "w") as f:
        f.write(bash_script(main_help, subs, programs, tiers))
    with open(args.zsh, "w") as f:
        f.write(zsh_script(main_help, subs, programs, tiers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
