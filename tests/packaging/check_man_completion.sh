#!/bin/bash
# check_man_completion.sh RUBRIC BUILD_DIR — the man pages and completions
# generated from --help: a page per command that groff renders without a
# warning and that names every option --help lists; bash completion of
# commands, options and option values; the zsh function parses.
set -eu
rubric=$1
man_dir=$2/man
completion_dir=$2/completion
fail() { echo "check_man_completion: $*" >&2; exit 1; }

commands=$("$rubric" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ -n "$commands" ] || fail "rubric --help lists no commands"
for page in rubric $(printf 'rubric-%s ' $commands); do
    file=$man_dir/$page.1
    [ -f "$file" ] || fail "no man page $page.1"
    warnings=$(groff -man -Tutf8 -ww -z "$file" 2>&1)
    [ -z "$warnings" ] || fail "$page.1: $warnings"
    text=$(groff -man -Tutf8 "$file" 2>/dev/null | sed 's/.\x08//g')
    command=${page#rubric}; command=${command#-}
    for option in $("$rubric" $command --help | grep -oE '^ {2,6}(-[a-zA-Z], )?--[a-z-]+' |
                    grep -oE -- '--[a-z-]+'); do
        grep -q -- "$option" <<<"$text" || fail "$page.1 does not mention $option"
    done
done

# bash: COMPREPLY for a command line, the cursor on its last word.
complete_bash() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
             _rubric; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion_dir/rubric" "$@"
}
[ "$(complete_bash rubric ev)" = "eval" ] || fail "bash: 'rubric ev' -> $(complete_bash rubric ev)"
[ "$(complete_bash rubric eval --fo)" = "--format" ] || fail "bash: 'rubric eval --fo'"
[ "$(complete_bash rubric eval -f j | tr '\n' ' ')" = "json jsonl " ] ||
    fail "bash: 'rubric eval -f j' -> $(complete_bash rubric eval -f j)"
[ "$(complete_bash rubric eval -p apn-2019-c)" = "apn-2019-consulting" ] || fail "bash: -p"
[ "$(complete_bash rubric eval --fail-below Pr)" = "Premier" ] || fail "bash: --fail-below"
complete_bash rubric diff --o | grep -qx -- --old || fail "bash: 'rubric diff --o'"

if command -v zsh >/dev/null; then
    zsh -n "$completion_dir/_rubric" || fail "zsh: _rubric does not parse"
fi
grep -q "^#compdef rubric" "$completion_dir/_rubric" || fail "zsh: no #compdef line"
echo "check_man_completion: $(echo $commands | wc -w) commands, man pages and completions agree with --help"
