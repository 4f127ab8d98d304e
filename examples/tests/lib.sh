# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for the example tests (sourced). Each test exits 0 on success,
# 1 on failure, 77 when something it needs is missing (ctest: skipped).
fail() {
        echo "FAIL: $*" >&2
        exit 1
}
skip() {
        echo "SKIP: $*"
        exit 77
}
# expect_output NAME EXPECTED_STATUS PATTERN -- COMMAND...: runs COMMAND,
# checks its exit status and that its stdout contains the line PATTERN.
expect_output() {
        name=$1 want_status=$2 want_line=$3
        shift 4
        out=$("$@" 2>"${TMPDIR:-/tmp}/example-stderr.$$")
        status=$?
        printf '%s: status %s, output:\n%s\n' "$name" "$status" "$out"
        [ "$status" = "$want_status" ] ||
                fail "$name: exit status $status, expected $want_status ($(cat "${TMPDIR:-/tmp}/example-stderr.$$"))"
        printf '%s\n' "$out" | grep -qxF -- "$want_line" || fail "$name: no line '$want_line'"
        rm -f "${TMPDIR:-/tmp}/example-stderr.$$"
}
