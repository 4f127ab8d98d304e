#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# After the launch, no exec succeeds that the policy (or --exec-once) denies:
#  - --exec-once under every profile: execve, execveat on a closed fd with an
#    absolute path (the kernel ignores the fd then), execveat of a file opened
#    at fd 3, ld.so started by path, executable memfds (plain and MFD_EXEC);
#  - policies whose own rules deny execve and execveat (text and JSON): the
#    launch rule that lets sealexec's own execveat through cannot be replayed.
# Each route runs in a child of the probe; "0" would mean a program ran.
. "$(dirname "$0")/lib.sh"

probe_routes() {
        # $1: what; the rest: sealexec options. Every route must fail.
        what=$1
        shift
        se run "$@" -- "$PROBE" exec-attack
        expect_rc 0 "$what: the launch itself"
        for route in execve execveat_new execveat_x execveat_abs execveat_magic execveat_3 \
                ldso memfd memfd_exec vfork; do
                v=$(printf '%s\n' "$out" | sed -n "s/^exec_$route=//p")
                if [ -z "$v" ] || [ "$v" = 0 ] || [ "$v" = "?" ]; then
                        fail "$what: route $route was not stopped (exec_$route=$v)"
                else pass; fi
        done
}

# Sanity: without any restriction the routes do run programs, so a stopped
# route below is the guard's doing, not a broken probe.
se run --profile none -- "$PROBE" exec-attack
expect_rc 0 "unrestricted probe"
expect_value exec_execve 0
expect_value exec_execveat_abs 0
expect_value exec_memfd_exec 0

probe_routes "--exec-once, default profile" --exec-once
probe_routes "--exec-once, --profile none" --exec-once --profile none
probe_routes "--exec-once, --profile docker" --exec-once --profile docker

cat >"$WORK/noexec.policy" <<'POLICY'
@denylist
execve: return EPERM
execveat: return EPERM
POLICY
probe_routes "text policy denying exec" --policy "$WORK/noexec.policy"

python3 - "$WORK/noexec.json" <<'PY'
import json, sys
profile = {
    "defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["execve", "execveat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}],
}
json.dump(profile, open(sys.argv[1], "w"))
PY
probe_routes "JSON profile denying exec" --policy "$WORK/noexec.json"

# The dry run says how the launch gets through.
se run --dry-run --policy "$WORK/noexec.policy" -- "$PROBE"
expect_rc 0 "dry run of the exec-denying policy"
if printf '%s\n' "$out" | grep -q '^exec guard: yes'; then pass; else
        fail "dry run does not show the exec guard"
fi

# A dynamic program still works under the guard (started through a sealed ld.so).
if [ -x /bin/echo ] && head -c 4 /bin/echo | grep -q ELF; then
        se run --exec-once -- /bin/echo guarded-dynamic
        expect_rc 0 "dynamic payload under --exec-once"
        expect_line guarded-dynamic
        se run --policy "$WORK/noexec.policy" -- /bin/echo guarded-dynamic
        expect_rc 0 "dynamic payload under an exec-denying policy"
        expect_line guarded-dynamic
fi

# A script under --exec-once runs through its sealed interpreter; it cannot exec.
printf '#!/bin/sh\necho script-ran\nexec /bin/true\n' >"$WORK/s.sh"
chmod 755 "$WORK/s.sh"
se run --exec-once -- "$WORK/s.sh"
expect_line script-ran
if [ "$rc" = 0 ]; then fail "script under --exec-once could exec /bin/true"; else pass; fi

finish
