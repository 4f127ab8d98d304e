#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Interoperability: a filter compiled by `sealexec policy compile` is a plain
# seccomp BPF program that bubblewrap (`bwrap --seccomp FD`) enforces too.
. "$(dirname "$0")/lib.sh"
command -v bwrap >/dev/null 2>&1 || skip "bwrap (Debian package bubblewrap) is not installed"

run bwrap --ro-bind / / --dev /dev --proc /proc /bin/true
[ "$rc" = 0 ] || skip "bwrap cannot create its sandbox here: $err"

se policy compile --profile docker -o "$WORK/docker.bpf"
expect_rc 0 "policy compile --profile docker"
# dash takes only one-digit descriptors in redirections, hence fd 9.
run sh -c 'exec bwrap --ro-bind / / --dev /dev --proc /proc --seccomp 9 "$1" syscall:socket_vsock syscall:socket_inet syscall:clone3 9<"$2"' \
        sh "$PROBE" "$WORK/docker.bpf"
expect_rc 0 "bwrap --seccomp with sealexec's program"
expect_value syscall_socket_vsock EPERM
expect_value syscall_socket_inet 0
expect_value syscall_clone3 ENOSYS

finish
