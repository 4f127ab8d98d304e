#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: get past a deny rule on an int argument by setting the upper half of
# the register. The kernel reads fcntl's cmd and ioctl's request as 32-bit
# values, so fcntl(fd, 0x100000004, ...) is F_SETFL and ioctl(fd,
# 0xffffffff00005412, ...) is TIOCSTI; a filter comparing all 64 bits would
# let both through. Checked live, from inside the payload, under the real
# sealexec, and in the simulator on `sealexec policy compile`'s program.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"
: "${BPF_VERDICT:?BPF_VERDICT must point at sealexec-bpf-verdict}"
[ "$(uname -m)" = x86_64 ] || skip "syscall numbers below are x86-64"
cp "$ATTACK" "$WORK/attack"

NR_IOCTL=16
NR_FCNTL=72
EPERM=1

cat >"$WORK/fcntl.policy" <<'EOF'
@denylist
fcntl: arg1 == F_SETFL && arg0 != 0; return EPERM
EOF
cat >"$WORK/tiocsti.policy" <<'EOF'
@denylist
ioctl: arg1 == TIOCSTI; return EPERM
EOF

# live POLICY EXPECT NR ARG...: the payload's own view of one syscall.
live() {
        policy=$1 expect=$2
        shift 2
        se run --policy "$WORK/$policy" -- "$WORK/attack" raw "$@"
        if [ "$rc" = 0 ] && [ "$out" = "$expect" ]; then pass; else
                fail "$policy: syscall $*: expected '$expect'"
        fi
}

# not_denied POLICY NR ARG...: the filter let it through (the kernel's answer
# is whatever it is, but not the policy's EPERM).
not_denied() {
        policy=$1
        shift
        se run --policy "$WORK/$policy" -- "$WORK/attack" raw "$@"
        if [ "$rc" = 0 ] && [ -n "$out" ] && [ "$out" != "errno=$EPERM" ]; then pass; else
                fail "$policy: syscall $*: expected to pass the filter"
        fi
}

# sim POLICY EXPECT NR ARG...: the compiled program in the BPF simulator.
sim() {
        policy=$1 expect=$2
        shift 2
        se policy compile "$WORK/$policy" -o "$WORK/prog.bpf"
        expect_rc 0 "compile $policy"
        v=$("$BPF_VERDICT" "$WORK/prog.bpf" "$@")
        if [ "$v" = "$expect" ]; then pass; else
                fail "$policy: simulator on syscall $*: expected '$expect', got '$v'"
        fi
}

# fcntl(fd, F_SETFL, O_NONBLOCK), with and without garbage above the int.
live fcntl.policy "errno=$EPERM" $NR_FCNTL 1 4 0x800
live fcntl.policy "errno=$EPERM" $NR_FCNTL 1 0x100000004 0x800
live fcntl.policy "errno=$EPERM" $NR_FCNTL 0xffffffff00000001 0xffffffff00000004 0x800
sim fcntl.policy "errno=$EPERM" $NR_FCNTL 1 0x100000004 0x800
# What the rule does not deny still works: F_GETFL, and F_SETFL on fd 0 (as
# the kernel reads it, whatever the upper half says).
live fcntl.policy "ret=ok" $NR_FCNTL 1 3
live fcntl.policy "ret=ok" $NR_FCNTL 0x100000000 4 0x800
sim fcntl.policy allow $NR_FCNTL 0x100000000 0x100000004 0x800

# ioctl(0, TIOCSTI, NULL): denied before the kernel looks at the pointer.
live tiocsti.policy "errno=$EPERM" $NR_IOCTL 0 0x5412 0
live tiocsti.policy "errno=$EPERM" $NR_IOCTL 0 0xffffffff00005412 0
live tiocsti.policy "errno=$EPERM" $NR_IOCTL 0 0x1234567800005412 0
sim tiocsti.policy "errno=$EPERM" $NR_IOCTL 0 0xffffffff00005412 0
not_denied tiocsti.policy $NR_IOCTL 0 0x5413 0
not_denied tiocsti.policy $NR_IOCTL 0 0xffffffff00005413 0

# libseccomp's backend gets the same IR (comparisons on the low halves).
se policy compile --backend libseccomp "$WORK/tiocsti.policy" -o "$WORK/prog-ls.bpf"
expect_rc 0 "compile --backend libseccomp"
v=$("$BPF_VERDICT" "$WORK/prog-ls.bpf" $NR_IOCTL 0 0xffffffff00005412 0)
[ "$v" = "errno=$EPERM" ] && pass || fail "libseccomp backend: ioctl high bits: got '$v'"
se policy compile --backend nonsense "$WORK/tiocsti.policy" -o "$WORK/prog-x.bpf"
expect_rc 125 "compile --backend nonsense"

finish
