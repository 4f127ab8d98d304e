#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The core promise: the payload runs from a fully sealed memfd, confined,
# with exactly the descriptors that were declared.
. "$(dirname "$0")/lib.sh"

se run -- /bin/echo hi
expect_rc 0 "run /bin/echo"
[ "$out" = hi ] && pass || fail "/bin/echo printed '$out'"

# A name without '/' is looked up in PATH like execvp.
se run -- echo found-in-path
expect_rc 0 "echo via PATH"
expect_line found-in-path

# From inside: exe is a memfd with every seal, no_new_privs, seccomp filter.
se run -- "$PROBE" status fds exe-attack
expect_rc 0 "probe status"
expect_value exe_is_memfd 1
expect_seals exe_seals
expect_value NoNewPrivs 1
expect_value Seccomp 2
expect_value CapInh 0000000000000000
expect_value CapPrm 0000000000000000
expect_value CapEff 0000000000000000
expect_value CapAmb 0000000000000000
if is_root; then expect_value CapBnd 0000000000000000; fi
expect_value fds 0,1,2
expect_value exe_write not 0
expect_value exe_truncate not 0
expect_value exe_mmap_shared_write not 0
expect_value exe_add_seals EPERM
expect_seals exe_seals

# Descriptors the caller had open are closed unless kept.
exec 7</dev/null 9</dev/null
se run -- "$PROBE" fds
expect_value fds 0,1,2
se run --keep-fd 9 -- "$PROBE" fds
expect_value fds 0,1,2,9
exec 7<&- 9<&-

# The payload's exit status is sealexec's.
se run -- "$PROBE" exit:42
expect_rc 42 "exit status passes through"

# argv[0] is what the user typed, unless --argv0 says otherwise.
se run -- "$PROBE" argv one "two words"
expect_line "argv[0]=$PROBE"
expect_line "argv[1]=argv"
expect_line "argv[3]=two words"
se run --argv0 custom-name -- "$PROBE" argv
expect_line "argv[0]=custom-name"

# --profile none loads no filter; no_new_privs still holds.
se run --profile none -- "$PROBE" status
expect_value Seccomp 0
expect_value NoNewPrivs 1

# The default profile denies ptrace and friends, and unknown syscalls get ENOSYS.
se run -- "$PROBE" syscall:ptrace syscall:getppid syscall:unknown syscall:io_uring_setup syscall:process_vm_readv
expect_value syscall_ptrace EPERM
expect_value syscall_getppid 0
expect_value syscall_unknown ENOSYS
expect_value syscall_io_uring_setup EPERM
expect_value syscall_process_vm_readv EPERM

# --fd: a runtime hands over a descriptor it opened itself, and (as root)
# names the user the payload runs as, as a runtime would.
user=
is_root && user="--user 65534"
run sh -c 'exec 5<"$1"; exec "$2" run $3 --fd 5 -- probe-by-fd argv status' sh "$PROBE" "$SEALEXEC" "$user"
expect_rc 0 "--fd"
expect_line "argv[0]=probe-by-fd"
expect_value exe_is_memfd 1
expect_value Uid "65534 65534 65534 65534"

# --dry-run describes and does not execute.
marker="$WORK/dry-run-marker"
printf '#!/bin/sh\ntouch "%s"\n' "$marker" >"$WORK/touch.sh"
chmod 755 "$WORK/touch.sh"
se run --dry-run -- "$WORK/touch.sh"
expect_rc 0 "dry-run"
[ ! -e "$marker" ] && pass || fail "--dry-run executed the payload"
printf '%s' "$out" | grep -q "sha256:" && pass || fail "--dry-run shows no digest"

finish
