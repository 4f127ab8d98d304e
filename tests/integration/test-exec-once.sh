#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --exec-once: the launch itself works, then no route lets the payload (or a
# child it forks) execute a program, whatever the seccomp policy.
. "$(dirname "$0")/lib.sh"

# Sanity: without --exec-once the probe's routes do execute /bin/true, so the
# checks below can tell a blocked route from a broken probe.
se run -- "$PROBE" exec-attack
expect_rc 0 "probe without --exec-once"
expect_value exec_execve 0
expect_value exec_execveat_new 0

attack() {
        # $1: description; the rest: extra sealexec options
        what=$1
        shift
        se run --exec-once "$@" -- "$PROBE" exec-attack rlimit:nofile
        expect_rc 0 "$what: launch"
        expect_value exec_execve EPERM         # execve of /bin/true
        expect_value exec_execveat_new EPERM   # execveat of a newly opened fd
        expect_value exec_execveat_x EBADF     # X itself is closed after the launch
        # 0x100000000|X with the launch's exact flags: the kernel reads the fd
        # as an int, so the filter compares the low 32 bits (policy argument
        # widths) and the call reaches the kernel with the closed X.
        expect_value exec_forged EBADF
        expect_value exec_execveat_magic ELOOP # /proc/self/exe under NOFOLLOW
        expect_value exec_memfd EPERM          # a fresh memfd
        expect_value exec_vfork EPERM          # vfork then execve
        expect_value exec_dup2 EBADF           # dup2/dup3 onto X
        expect_value exec_dup3 EBADF
        expect_value exec_dupfd EINVAL         # F_DUPFD with minimum X
        expect_value exec_setrlimit EPERM      # raising the hard NOFILE limit
        expect_value exec_prlimit EPERM
}

attack "default profile"
# The hard limit is X = (previous hard limit - 1); soft is at most X.
hard=$(ulimit -Hn)
expect_value rlimit_nofile "$(($(ulimit -Sn) < hard - 1 ? $(ulimit -Sn) : hard - 1)):$((hard - 1))"

attack "--profile none" --profile none
attack "docker profile" --profile docker

# A precompiled program: the second filter stacks on it too.
run "$SEALEXEC" policy compile --profile default -o "$WORK/default.bpf"
expect_rc 0 "policy compile --profile default"
attack "--seccomp-bpf" --seccomp-bpf "$WORK/default.bpf"

# X follows a --rlimit nofile hard value.
se run --exec-once --rlimit nofile=100:200 -- "$PROBE" rlimit:nofile exec-attack
expect_rc 0 "--rlimit nofile with --exec-once"
expect_value rlimit_nofile 100:199
expect_value exec_execve EPERM

# Files keep their numbers; the payload does not sit among them.
printf 'cfg\n' >"$WORK/cfg"
se run --exec-once --file "cfg=$WORK/cfg" -- "$PROBE" fds
expect_rc 0 "--exec-once --file"
expect_value fds 0,1,2,3

# io_uring: the default profile denies it (and without a filter io_uring has
# no exec operation at all).
se run --exec-once -- "$PROBE" syscall:io_uring_setup
expect_value syscall_io_uring_setup not 0

# Refused: CAP_SYS_RESOURCE could raise the limit and reopen X.
se run --exec-once --cap-keep CAP_SYS_RESOURCE -- "$PROBE" status
expect_rc 125 "--exec-once --cap-keep CAP_SYS_RESOURCE"
expect_err "CAP_SYS_RESOURCE"
[ -z "$out" ] && pass || fail "payload ran although exec-once was refused"

# A "#!" script launches through its sealed interpreter (the exec guard seals
# it), reads itself from an inherited fd below X, and cannot execute anything:
# fd X (the executed interpreter, or ld.so for it) is closed after the launch.
cat >"$WORK/script.sh" <<'SCRIPT'
#!/bin/sh
echo script-ran
x=$(ulimit -Hn)
[ -e "/proc/self/fd/$x" ] && echo fd-x-open=yes || echo fd-x-open=no
/bin/true 2>/dev/null && echo exec=allowed || echo exec=blocked
SCRIPT
chmod 755 "$WORK/script.sh"
se run --exec-once -- "$WORK/script.sh"
expect_rc 0 "script with --exec-once"
expect_line script-ran
expect_line fd-x-open=no
expect_line exec=blocked
se run -- "$WORK/script.sh"
expect_line exec=allowed "script without --exec-once"

# With a sealed interpreter, X is the interpreter's fd (the one executed).
se run --exec-once --seal-interpreter -- "$WORK/script.sh"
expect_rc 0 "--exec-once --seal-interpreter"
expect_line script-ran
expect_line exec=blocked "--seal-interpreter"

se run --exec-once --dry-run -- "$PROBE"
expect_rc 0 "--dry-run --exec-once"
if printf '%s\n' "$out" | grep -q '^exec-once: yes'; then pass; else fail "describe: no exec-once line"; fi

finish
