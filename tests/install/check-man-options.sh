#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every long option of `sealexec run` and `sealexec policy` (from the
# getopt tables in cli/) is documented in sealexec(1), so that the manual
# cannot silently fall behind the command.
#   check-man-options.sh SOURCE_DIR
set -u
src=$1 page=$1/docs/sealexec.1.scd
status=0 n=0
for c in "$src/cli/run-options.c" "$src/cli/cmd-policy.c"; do
        opts=$(sed -n 's/^ *{"\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' "$c")
        [ -n "$opts" ] || { echo "FAIL: no long options found in $c"; exit 1; }
        for o in $opts; do
                n=$((n + 1))
                grep -qF -- "*--$o*" "$page" || { echo "FAIL: --$o ($c) is not in $page"; status=1; }
        done
done
[ $status -eq 0 ] && echo "PASS: $n options documented"
exit $status
