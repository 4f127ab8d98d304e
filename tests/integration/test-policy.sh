#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Policies people already have, loaded unchanged and enforced live: Docker's
# profile (built in and as a file), minijail text policies, precompiled BPF,
# and the same compiled filter handed to bubblewrap.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" 2>/dev/null && pwd) || DATA=$(dirname "$0")/data
[ -d "$DATA/policies" ] || skip "test data not found next to the script"

# Docker's profile, built in: AF_VSOCK sockets denied, AF_INET allowed,
# personality(0xffffffff) allowed, clone3 answered with ENOSYS.
for how in "--profile docker" "--policy $DATA/profiles/docker-default.json"; do
        # shellcheck disable=SC2086
        se run $how -- "$PROBE" status syscall:socket_vsock syscall:socket_inet \
                syscall:personality_query syscall:clone3 syscall:mount
        expect_rc 0 "docker profile ($how)"
        expect_value Seccomp 2
        expect_value syscall_socket_vsock EPERM
        expect_value syscall_socket_inet 0
        expect_value syscall_personality_query 0
        expect_value syscall_clone3 ENOSYS
        expect_value syscall_mount EPERM
done

# Precompiled: the same verdicts with no compiling at launch.
se policy compile --profile docker -o "$WORK/docker.bpf"
expect_rc 0 "policy compile"
size=$(wc -c <"$WORK/docker.bpf")
[ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ] && pass || fail "BPF size $size"
se run --seccomp-bpf "$WORK/docker.bpf" -- "$PROBE" syscall:socket_vsock syscall:socket_inet
expect_rc 0 "--seccomp-bpf"
expect_value syscall_socket_vsock EPERM
expect_value syscall_socket_inet 0

# A minijail text policy: getppid answered with an errno, the rest allowed.
se run --policy "$DATA/policies/probe-errno.policy" -- "$PROBE" status syscall:getppid
expect_rc 0 "text policy"
expect_value Seccomp 2
expect_value syscall_getppid EPERM

# A syscall the text policy doesn't name kills the process, as in minijail.
se run --policy "$DATA/policies/probe-errno.policy" -- "$PROBE" syscall:socket_inet
[ "$rc" = 159 ] && pass || fail "unlisted syscall: expected death by SIGSYS (159), got $rc"

# A broken policy refuses the launch and points at the line and column.
printf 'read: 1\nwrite: arg9 == 1\n' >"$WORK/broken.policy"
se run --policy "$WORK/broken.policy" -- "$PROBE" exit:0
expect_rc 125 "broken policy"
expect_err "$WORK/broken.policy:2:"

# A policy that libseccomp 2.5.4 loops on without end compiles with sealexec's
# own generator at once, and behaves as written: the first ioctl rule denies
# TIOCGWINSZ-like 0x5401 with EPERM.
se policy check "$DATA/policies/libseccomp-hang.policy"
expect_rc 0 "policy check of a policy libseccomp loops on"
se policy compile --backend sealexec -o "$WORK/hang.bpf" "$DATA/policies/libseccomp-hang.policy"
expect_rc 0 "policy compile of a policy libseccomp loops on"
[ -s "$WORK/hang.bpf" ] && pass || fail "no program written for the libseccomp-hang policy"

# policy check: the samples load; the invalid ones fail with FILE:LINE:COL.
for ok in seccomp.policy stdin_stdout.policy cat.policy cros_default_v0.policy; do
        se policy check "$DATA/policies/$ok"
        expect_rc 0 "policy check $ok"
done
for bad in invalid_arg_filter.policy invalid_syscall_name.policy nested.policy; do
        se policy check "$DATA/policies/$bad"
        expect_rc 1 "policy check $bad"
        expect_err "$DATA/policies/$bad:"
done
se policy check "$DATA/profiles/docker-default.json"
expect_rc 0 "policy check docker-default.json"

# explain names the launch rule and the profile's denials.
se policy explain --profile default
expect_rc 0 "explain default"
printf '%s' "$out" | grep -q 'ptrace' && pass || fail "explain does not mention ptrace"

# Docker's own fixture (moby's profiles/seccomp/fixtures/example.json) has
# "errnoRet": 12345. It loads, as in Docker and runc; check warns, and the
# kernel returns MAX_ERRNO (4095) to the payload.
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 12345}]}\n' \
        >"$WORK/errno-12345.json"
se policy check "$WORK/errno-12345.json"
expect_rc 0 "policy check: errnoRet 12345 is valid"
expect_err "$WORK/errno-12345.json:2:78: warning: syscalls[0].errnoRet: errno 12345 is above 4095: the kernel returns 4095 (MAX_ERRNO) instead"
se run --policy "$WORK/errno-12345.json" -- "$PROBE" syscall:getppid
expect_rc 0 "errnoRet 12345"
expect_value syscall_getppid E4095

# containers/common's format (Podman, Buildah, CRI-O): errno names beside the
# numbers load, check has nothing to say, and the names mean their numbers.
se policy check "$DATA/profiles/containers-common.json"
expect_rc 0 "policy check containers-common.json"
[ -z "$err" ] && pass || fail "policy check containers-common.json: unexpected output"
se run --policy "$DATA/profiles/containers-common.json" -- "$PROBE" status syscall:mount \
        syscall:clone3 syscall:socket_inet
expect_rc 0 "containers-common.json"
expect_value Seccomp 2
expect_value syscall_mount EPERM
expect_value syscall_clone3 ENOSYS
expect_value syscall_socket_inet 0

# A notify policy is valid, but check notes that a launch needs a listener
# socket, and without one the launch is refused.
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}\n' \
        >"$WORK/notify.json"
se policy check "$WORK/notify.json"
expect_rc 0 "policy check of a notify policy"
expect_err "$WORK/notify.json:1:50: note: user-notify (SCMP_ACT_NOTIFY): a launch with this policy is refused unless a seccomp listener socket is given"
expect_err "sealexec run --seccomp-listener PATH"
se run --policy "$WORK/notify.json" -- "$PROBE" syscall:getppid
expect_rc 125 "notify policy without a listener"

# A missing policy refuses the launch (125); 127 would say the payload is missing.
se run --policy "$WORK/no-such-policy.json" -- "$PROBE" exit:0
expect_rc 125 "missing policy"
expect_err "policy '$WORK/no-such-policy.json'"

# explain, per architecture: x86's socketcall is enforced for i386 callers
# of an x86_64 payload, not "not on this architecture".
if [ "$(uname -m)" = x86_64 ]; then
        se policy explain --profile docker
        expect_rc 0 "explain docker"
        printf '%s\n' "$out" | grep -q '^  socketcall: allow (only on x86) ' && pass ||
                fail "explain docker: socketcall is not shown as enforced on x86"
        printf '%s' "$out" | grep -q 'not on this architecture' &&
                fail "explain docker: 'not on this architecture'" || pass
fi

# The policy is compiled before the first confinement step, in the launcher:
# a user switch with RLIMIT_NPROC 1 (no process can be forked after it) and a
# file policy launch, where a compile process could not have been started.
if is_root; then
        se run --user 54321 --group 54321 --rlimit nproc=1 \
                --policy "$DATA/profiles/docker-default.json" -- "$PROBE" status
        expect_rc 0 "--rlimit nproc=1 --user 54321 --policy docker-default.json"
        expect_value Seccomp 2
fi

finish
