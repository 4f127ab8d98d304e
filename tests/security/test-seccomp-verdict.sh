#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: look for a syscall where the kernel's verdict differs from what the
# compiled policy says. For each policy, each syscall is made live under
# `sealexec run` and the result compared with the BPF simulator's verdict on
# `sealexec policy compile -o`: ERRNO(e) must give errno e, KILL must kill
# the payload with SIGSYS, ALLOW must give what the syscall gives without
# seccomp (--profile none).
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
: "${BPF_VERDICT:?BPF_VERDICT must point at sealexec-bpf-verdict}"
cp "$ATTACK" "$WORK/attack"
[ "$(uname -m)" = x86_64 ] || skip "syscall numbers below are x86-64"
data=$(dirname "$0")/../data
# As root the payload stays uid 0 (--allow-root), so that the kernel's
# privilege checks behind an allowed syscall are root's.
allow_root=
is_root && allow_root=--allow-root
[ -d "$data/policies" ] || data=$(dirname "$0")/data

# nr and arguments: harmless calls (NULL pointers, invalid flags).
calls="39
110
101 0
101 16 1
310 1 0 0 0 0 0
311 1 0 0 0 0 0
312 1 1 0 0 0
425 1 0
1000
41 40 1 0
41 2 1 0
41 16 3 0
135 0xffffffff
272 0x10000000
165 0 0 0 0 0
16 0 0x5412 0
16 0 0xffffffff00005412 0
16 0 0x541c 0
63 0
169 0 0 0 0"

# check_policy LABEL POLICY_FILE | LABEL --profile NAME
check_policy() {
        label=$1
        shift
        if [ "$1" = --profile ]; then compile_args="$*"; else compile_args=$1; set -- --policy "$1"; fi
        # shellcheck disable=SC2086
        if ! "$SEALEXEC" policy compile $compile_args -o "$WORK/prog.bpf" >"$WORK/.err" 2>&1; then
                rc=$?
                err=$(cat "$WORK/.err")
                fail "$label: compile"
                return
        fi
        printf '%s\n' "$calls" | while read -r nr args; do
                # shellcheck disable=SC2086
                verdict=$("$BPF_VERDICT" "$WORK/prog.bpf" $nr $args)
                # shellcheck disable=SC2086
                live=$(timeout 20 "$SEALEXEC" run $allow_root "$@" -- "$WORK/attack" raw $nr $args 2>&1 </dev/null)
                live_rc=$?
                case "$verdict" in
                kill) [ "$live_rc" = 159 ] || echo "MISMATCH $label $nr $args: sim kill, live rc $live_rc '$live'" ;;
                errno=*) [ "$live" = "$verdict" ] || echo "MISMATCH $label $nr $args: sim $verdict, live '$live' rc $live_rc" ;;
                allow)
                        # shellcheck disable=SC2086
                        free=$(timeout 20 "$SEALEXEC" run $allow_root --profile none -- "$WORK/attack" raw $nr $args 2>&1 </dev/null)
                        [ "$live" = "$free" ] || echo "MISMATCH $label $nr $args: sim allow, live '$live', unconfined '$free'" ;;
                *) echo "MISMATCH $label $nr $args: unexpected verdict '$verdict'" ;;
                esac
                echo "checked $label $nr $args: $verdict"
        done >"$WORK/verdicts"
        out=$(cat "$WORK/verdicts")
        if grep -q MISMATCH "$WORK/verdicts"; then fail "$label: $(grep MISMATCH "$WORK/verdicts")"; else pass; fi
        n=$(grep -c '^checked' "$WORK/verdicts")
        [ "$n" -ge 20 ] && pass || fail "$label: only $n syscalls checked"
}

check_policy probe-errno "$data/policies/probe-errno.policy"
check_policy docker --profile docker
check_policy default --profile default

finish
