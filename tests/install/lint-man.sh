#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every docs/*.scd has a generated page, and `mandoc -Tlint` finds nothing
# in it (warnings included). Skipped (77) without mandoc or scdoc.
#   lint-man.sh DOCS_SOURCE_DIR GENERATED_DIR
set -u
src=$1 out=$2
command -v mandoc >/dev/null || { echo "SKIP: mandoc is not installed"; exit 77; }
command -v scdoc >/dev/null || { echo "SKIP: scdoc is not installed, man pages are not built"; exit 77; }

status=0 n=0
for scd in "$src"/*.scd; do
        page=$out/$(basename "$scd" .scd)
        if [ ! -s "$page" ]; then
                echo "FAIL: $page was not generated from $scd"
                status=1
                continue
        fi
        # Warnings and errors count; style hints do not. scdoc puts .PP
        # before every paragraph, also right after .SH/.SS and between
        # consecutive paragraphs, which mandoc reports as "skipping paragraph
        # macro"; those are harmless and are all that is filtered out.
        report=$(mandoc -Tlint -W warning "$page" 2>&1 |
                grep -v 'WARNING: skipping paragraph macro: PP \(empty\|after S[HS]\)')
        if [ -n "$report" ]; then
                printf '%s\n' "$report"
                echo "FAIL: mandoc -Tlint $page"
                status=1
        fi
        n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL: no man page sources in $src"; exit 1; }
[ $status -eq 0 ] && echo "PASS: $n man pages lint clean"
exit $status
