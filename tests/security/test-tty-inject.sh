#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: the payload runs on a pty that is its controlling terminal and
# pushes input with TIOCSTI (also with the high 32 bits of the request set,
# which the kernel ignores) and TIOCLINUX.
# Expected under the default profile: each fails with EPERM and nothing
# arrives on the master side. As root the payload keeps CAP_SYS_ADMIN, so
# neither dev.tty.legacy_tiocsti=0 nor capabilities stop TIOCSTI: only
# seccomp does. As uid 65534 the terminal is still its controlling one.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
cp "$ATTACK" "$WORK/attack"
caps=
is_root && caps="--allow-root --cap-keep CAP_SYS_ADMIN"

# shellcheck disable=SC2086
run "$WORK/attack" pty -- "$SEALEXEC" run $caps -- "$WORK/attack" tty
expect_rc 0 "attack ran"
all=$(printf '%s\n%s' "$out" "$err")
out=$(printf '%s\n' "$all" | tr -d '\r')
expect_value tiocsti EPERM
expect_value tiocsti_high_bits EPERM
expect_value tioclinux EPERM
expect_value tty_input_bytes 0
expect_value master_x 0

finish
