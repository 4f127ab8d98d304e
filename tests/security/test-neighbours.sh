#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: the payload reaches for its parent (a copy of the attack helper
# that launched sealexec): ptrace attach, process_vm_writev, /proc/PPID/mem
# for writing, kill(SIGTERM) and kill(0).
# Expected: all fail and the parent receives no SIGTERM. ptrace and
# process_vm_writev are stopped by the default seccomp profile; the /proc
# and kill checks rely on the default Landlock domain (signal scoping) for a
# parent of the same user.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/parent"
cp "$ATTACK" "$WORK/payload"
# As root the payload keeps CAP_SYS_PTRACE, so that the kernel's capability
# checks do not stop ptrace and process_vm_writev: only seccomp does.
# --allow-root: the strongest neighbour is root of the host.
caps=
is_root && caps="--allow-root --cap-keep CAP_SYS_PTRACE"

# Whether sealexec applies a default Landlock domain with signal scoping.
landlock=1
se run --landlock=require -- "$PROBE" exit:0
[ "$rc" = 0 ] || landlock=0

# shellcheck disable=SC2086
run "$WORK/parent" spawn -- "$SEALEXEC" run $caps -- "$WORK/payload" neighbours
expect_rc 0 "attack ran"
expect_value ptrace_attach EPERM
expect_value process_vm_writev EPERM
for k in proc_mem_rdwr kill_0 kill_sigterm; do
        if [ "$(value "$k")" = 0 ] && [ "$landlock" = 0 ]; then
                printf 'SKIP-CHECK: %s succeeded: needs the default Landlock domain\n' "$k"
        else
                expect_value "$k" not 0
        fi
done
if printf '%s' "$err" | grep -q '^parent_sigterm=1'; then
        if [ "$landlock" = 0 ]; then
                echo "SKIP-CHECK: parent got SIGTERM: needs the default Landlock domain"
        else fail "the parent received SIGTERM from the payload"; fi
else pass; fi

finish
