#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: the launcher starts with descriptors 3..20 open (odd ones
# O_CLOEXEC, even ones inherited through exec).
# Expected: only 0, 1 and 2 reach the payload.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/launcher"

# The setup works: without sealexec the inherited ones are there.
run "$WORK/launcher" spawn --fds -- "$WORK/launcher" fds
n=$(printf '%s\n' "$out" | grep -c -E '^fd ([468]|1[02468]|20) ')
[ "$n" = 9 ] && pass || fail "setup: expected 9 inherited descriptors, saw $n"

# As root the payload runs as uid 65534, as a runtime would run it; which
# descriptors reach it does not depend on its uid.
user=
is_root && user="--user 65534"
# shellcheck disable=SC2086
run "$WORK/launcher" spawn --fds -- "$SEALEXEC" run $user -- "$PROBE" fds
expect_rc 0 "probe ran"
expect_line "fds=0,1,2"

finish
