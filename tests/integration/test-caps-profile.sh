#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The default profile follows the capabilities kept (Docker's capability-gated
# entries): with --cap-keep CAP_SYS_CHROOT a real chroot(8) works as uid
# 65534; without the capability the payload gets EPERM, the kernel's answer
# for a missing capability, never ENOSYS ("Function not implemented"), which
# made sshd drop every connection. With the attack helper (x86_64): the
# CAP_SYS_TIME calls, checked without changing the clock, and modify_ldt.
. "$(dirname "$0")/lib.sh"
is_root || skip "needs root: only root can keep CAP_SYS_CHROOT or CAP_SYS_TIME for a payload"
CHROOT=$(command -v chroot) || skip "chroot(8) (coreutils) not found"
LC_ALL=C
export LC_ALL

# A new root holding only the static probe: "/probe" runs only if the chroot
# happened.
[ -e /probe ] && skip "/probe exists on this machine; the check needs it absent"
mkdir "$WORK/newroot"
cp "$PROBE" "$WORK/newroot/probe"
chmod -R a+rX "$WORK/newroot"

se run --cap-keep CAP_SYS_CHROOT --user 65534 -- "$CHROOT" "$WORK/newroot" /probe argv
expect_rc 0 "chroot with CAP_SYS_CHROOT kept"
expect_line "argv[0]=/probe" "the probe ran inside the new root"

# Kept as root too (uid 0 keeps it in the effective set, not the ambient one).
se run --cap-keep sys_chroot -- "$CHROOT" "$WORK/newroot" /probe argv
expect_rc 0 "chroot as root with CAP_SYS_CHROOT kept"
expect_line "argv[0]=/probe"

# Without it, or with another capability: EPERM, not ENOSYS. chroot(8) exits
# 125 when chroot(2) fails and names the error.
for caps in "" "--cap-keep CAP_SYS_TIME"; do
        # shellcheck disable=SC2086
        se run $caps --user 65534 -- "$CHROOT" "$WORK/newroot" /probe argv
        expect_rc 125 "chroot without CAP_SYS_CHROOT ($caps)"
        expect_err "Operation not permitted" "chroot without CAP_SYS_CHROOT ($caps)"
        expect_no_line "argv[0]=/probe"
        case "$err" in
        *"Function not implemented"*) fail "chroot answered ENOSYS ($caps)" ;;
        *) pass ;;
        esac
done

# The same through --dry-run: the filter described for the kept capabilities.
se run --dry-run --cap-keep CAP_SYS_CHROOT -- "$CHROOT" "$WORK/newroot" /probe
expect_rc 0 "--dry-run with CAP_SYS_CHROOT"

# Raw syscalls through the static attack helper (built next to sealexec).
ATTACK=${ATTACK:-$(dirname "$SEALEXEC")/../tests/security/sealexec-attack}
if [ "$(uname -m)" != x86_64 ]; then
        printf 'note: raw syscall checks use x86_64 numbers; skipped on %s\n' "$(uname -m)"
        finish
fi
if [ ! -x "$ATTACK" ]; then
        printf 'note: attack helper not found at %s; raw syscall checks skipped\n' "$ATTACK"
        finish
fi
cp "$ATTACK" "$WORK/attack"
chmod 755 "$WORK/attack"

# settimeofday(NULL, NULL) checks CAP_SYS_TIME and changes nothing;
# clock_settime(CLOCK_MONOTONIC, NULL) is EINVAL once seccomp lets it
# through (the kernel cannot set that clock), so EPERM there can only come
# from the filter.
se run --cap-keep CAP_SYS_TIME --user 65534 -- "$WORK/attack" raw 164 0 0
expect_rc 0 "settimeofday with CAP_SYS_TIME"
expect_value ret ok
se run --user 65534 -- "$WORK/attack" raw 164 0 0
expect_value errno 1
se run --cap-keep CAP_SYS_TIME --user 65534 -- "$WORK/attack" raw 227 1 0
expect_value errno 22
se run --cap-keep CAP_SYS_CHROOT --user 65534 -- "$WORK/attack" raw 227 1 0
expect_value errno 1

# modify_ldt(0, NULL, 0) reads nothing and succeeds: Docker allows it on x86.
se run --user 65534 -- "$WORK/attack" raw 154 0 0 0
expect_value ret ok

finish
