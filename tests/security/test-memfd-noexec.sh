#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: vm.memfd_noexec=2 forbids executable memfds, which would tempt a
# launcher to fall back to executing the payload by path.
# Expected: exit 125, a message naming vm.memfd_noexec, and the payload never
# runs (its marker file stays absent).
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
is_root || skip "setting vm.memfd_noexec in a new pid namespace needs root"
[ -e /proc/sys/vm/memfd_noexec ] || skip "kernel has no vm.memfd_noexec (before 6.3)"
command -v unshare >/dev/null || skip "unshare (util-linux) missing"
cp "$ATTACK" "$WORK/payload"

# The sysctl is per pid namespace: set it only in a new one.
run unshare --pid --fork --mount-proc /bin/sh -c \
        'echo 2 >/proc/sys/vm/memfd_noexec && exec "$0" run --allow-root -- "$1" touch "$2"' \
        "$SEALEXEC" "$WORK/payload" "$WORK/ran"
expect_rc 125 "launch with vm.memfd_noexec=2"
expect_err "vm.memfd_noexec"
[ ! -e "$WORK/ran" ] && pass || fail "the payload ran although executable memfds are forbidden"

# The setup is sound: the same launch outside that namespace runs it.
se run -- "$WORK/payload" touch "$WORK/ran"
[ -e "$WORK/ran" ] && pass || fail "setup: the payload does not create its marker"

finish
