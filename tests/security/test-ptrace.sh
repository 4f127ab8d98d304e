#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: sealexec is started under a tracer of the same user (a debugger's
# PTRACE_TRACEME launch by the attack helper, and strace -f where it is
# installed). A tracer can rewrite the launcher's memory and registers at
# any point: swap the payload's bytes before they are sealed, skip the
# confinement steps, or change the descriptor given to execveat.
# Expected: exit 125, a message saying the process is traced, and the
# payload never runs (its marker file stays absent).
# With kernel.yama.ptrace_scope = 0, any process of the same user may attach
# before sealexec makes itself non-dumpable: --dry-run says so.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
# In the sanitizer run, LeakSanitizer cannot work under ptrace and aborts the
# traced launcher at exit (status 134); the leak check is not what this test
# is about, so it is off for the launches it traces.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
cp "$ATTACK" "$WORK/attack"
mkdir "$WORK/m"
chmod 1777 "$WORK/m"
# As root the payload runs as uid 65534, so that only the tracer check, not
# the refusal of root, can stop it.
user=
is_root && user="--user 65534"

# The setup works: untraced, the payload runs and leaves its marker.
# shellcheck disable=SC2086
run "$SEALEXEC" run $user -- "$WORK/attack" touch "$WORK/m/untraced"
expect_rc 0 "untraced launch"
[ -e "$WORK/m/untraced" ] && pass || fail "setup: the payload does not create its marker"

# expect_refused_traced WHAT MARKER: the last command was a traced launch.
expect_refused_traced() {
        expect_rc 125 "$1"
        if printf '%s' "$err" | grep -qi 'traced'; then pass; else
                fail "$1: the message does not say the process is traced"
        fi
        [ ! -e "$2" ] && pass || fail "$1: the payload ran under a tracer"
}

# shellcheck disable=SC2086
run "$WORK/attack" trace -- "$SEALEXEC" run $user -- "$WORK/attack" touch "$WORK/m/traceme"
case "$err" in
*traceme=*) skip "the kernel refuses PTRACE_TRACEME here (Yama ptrace_scope 3?): $err" ;;
esac
if printf '%s' "$err" | grep -q '^traced=1'; then pass; else
        fail "setup: sealexec was not traced"
fi
expect_refused_traced "launch under PTRACE_TRACEME" "$WORK/m/traceme"

if command -v strace >/dev/null; then
        # shellcheck disable=SC2086
        run strace -f -o /dev/null "$SEALEXEC" run $user -- "$WORK/attack" touch "$WORK/m/strace"
        expect_refused_traced "launch under strace -f" "$WORK/m/strace"
else
        echo "SKIP-CHECK: strace is not installed"
fi

# --dry-run names the Yama setting when any same-user process may attach.
scope_file=/proc/sys/kernel/yama/ptrace_scope
if [ ! -r "$scope_file" ]; then
        echo "SKIP-CHECK: no $scope_file (kernel without Yama): --dry-run line not checked"
elif [ "$(cat "$scope_file")" = 0 ]; then
        # shellcheck disable=SC2086
        run "$SEALEXEC" run $user --dry-run -- "$WORK/attack" touch "$WORK/m/dry"
        expect_rc 0 "--dry-run"
        if printf '%s\n%s' "$out" "$err" | grep -q 'ptrace_scope'; then pass; else
                fail "--dry-run says nothing about kernel.yama.ptrace_scope = 0"
        fi
        [ ! -e "$WORK/m/dry" ] && pass || fail "--dry-run ran the payload"
else
        echo "SKIP-CHECK: kernel.yama.ptrace_scope is $(cat "$scope_file"), not 0: --dry-run line not checked"
fi

finish
