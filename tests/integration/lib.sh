# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared helpers for sealexec's integration tests: run the real `sealexec`
# binary on real programs and compare what the payload reports from inside.
#
# Environment (set by ctest): SEALEXEC (the binary), PROBE (tests/payloads'
# static probe). Tests exit 0 on success, 1 on failure, 77 to skip.

set -u
: "${SEALEXEC:?SEALEXEC must point at the sealexec binary}"
: "${PROBE:?PROBE must point at sealexec-probe}"

failures=0
checks=0
WORK=$(mktemp -d /tmp/sealexec-test.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

is_root() { [ "$(id -u)" = 0 ]; }

# run CMD...: runs a command, capturing stdout in $out, stderr in $err and
# the exit status in $rc. A command that hangs is killed after 20 s (rc 124).
run() {
        timeout -k 5 20 "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null
        rc=$?
        out=$(cat "$WORK/.out")
        err=$(cat "$WORK/.err")
}

# se ARGS...: run sealexec. As root, `run` refuses a payload that would stay
# uid 0 of the host unless --allow-root is given (SECURITY.md); the suite
# runs most payloads as root on purpose, so `se run` adds it. Tests of the
# refusal itself call "$SEALEXEC" directly or set SE_NO_ALLOW_ROOT=1.
se() {
        if [ "${1-}" = run ] && is_root && [ -z "${SE_NO_ALLOW_ROOT-}" ]; then
                shift
                run "$SEALEXEC" run --allow-root "$@"
        else
                run "$SEALEXEC" "$@"
        fi
}

fail() {
        failures=$((failures + 1))
        printf 'FAIL: %s\n' "$*"
        printf '  exit status: %s\n  stdout: %s\n  stderr: %s\n' "${rc-}" "${out-}" "${err-}" |
                head -c 4000
        printf '\n'
}

pass() { checks=$((checks + 1)); }

expect_rc() {
        if [ "$rc" = "$1" ]; then pass; else fail "${2:-command}: expected exit $1, got $rc"; fi
}

# expect_line LINE [WHAT]: stdout has exactly this line.
expect_line() {
        if printf '%s\n' "$out" | grep -qxF -- "$1"; then pass; else
                fail "${2:-output}: expected line '$1'"
        fi
}

expect_no_line() {
        if printf '%s\n' "$out" | grep -qxF -- "$1"; then
                fail "${2:-output}: unexpected line '$1'"
        else pass; fi
}

# expect_err TEXT [WHAT]: stderr contains TEXT.
expect_err() {
        if printf '%s' "$err" | grep -qF -- "$1"; then pass; else
                fail "${2:-stderr}: expected '$1'"
        fi
}

# value KEY: the value of "KEY=..." in stdout.
value() { printf '%s\n' "$out" | sed -n "s/^$1=//p" | head -n 1; }

# expect_value KEY PREDICATE... : e.g. expect_value exe_write not 0
expect_value() {
        local key=$1 v
        v=$(value "$key")
        case "$2" in
        not) if [ -n "$v" ] && [ "$v" != "$3" ]; then pass; else fail "$key: expected not '$3', got '$v'"; fi ;;
        *) if [ "$v" = "$2" ]; then pass; else fail "$key: expected '$2', got '$v'"; fi ;;
        esac
}

# expect_seals KEY: the value is a seal mask with SEAL, SHRINK, GROW and WRITE,
# and EXEC where the kernel has it (6.3+). The kernel itself adds
# F_SEAL_FUTURE_WRITE when EXEC is sealed on an executable memfd; sealexec
# never asks for it.
expect_seals() {
        local v need=15
        v=$(value "$1")
        kernel_has_seal_exec && need=47
        if [ -n "$v" ] && [ $((v & need)) -eq "$need" ]; then pass; else
                fail "$1: expected every seal (mask $need), got '$v'"
        fi
}

# F_SEAL_EXEC arrived in Linux 6.3.
kernel_has_seal_exec() {
        local major minor
        major=$(uname -r | cut -d. -f1)
        minor=$(uname -r | cut -d. -f2)
        [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 3 ]; }
}

skip() {
        printf 'SKIP: %s\n' "$*"
        exit 77
}

finish() {
        printf '%d checks, %d failed (uid %s)\n' "$checks" "$failures" "$(id -u)"
        [ "$failures" -eq 0 ]
        exit $?
}
