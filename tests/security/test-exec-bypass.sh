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

# An executable memfd handed in from outside (as a holder or another process
# could): not runnable by descriptor, by a /proc/self/fd path replaying the
# launch rule, or by execve, under the guard.
kept_memfd() {
        # $@: sealexec options. Runs the probe with an executable memfd of
        # itself at fd 9 (kept), prints its report.
        python3 - "$SEALEXEC" "$PROBE" "$@" <<'PY'
import os, subprocess, sys
sealexec, probe, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
fd = os.memfd_create("outside", 0)
os.write(fd, open(probe, "rb").read())
os.fchmod(fd, 0o755)
os.dup2(fd, 9, inheritable=True)
env = dict(os.environ, PROBE_KEPT_FD="9")
r = subprocess.run([sealexec, "run"] + opts + ["--keep-fd", "9", "--", probe, "exec-kept"],
                   pass_fds=(9,), env=env, capture_output=True, text=True)
print(r.stdout, end="")
print("rc=%d" % r.returncode)
sys.stderr.write(r.stderr)
PY
}
root_opt=
is_root && root_opt=--allow-root
out=$(kept_memfd --profile none $root_opt)
expect_value exec_kept_fd 0    # sanity: without the guard the memfd runs
for opts in "--exec-once" "--policy $WORK/noexec.policy"; do
        # shellcheck disable=SC2086
        out=$(kept_memfd $opts $root_opt)
        expect_line "rc=0" "$opts: launch with an executable memfd kept"
        for route in kept_fd kept_magic kept_execve; do
                v=$(printf '%s\n' "$out" | sed -n "s/^exec_$route=//p")
                if [ -z "$v" ] || [ "$v" = 0 ] || [ "$v" = "?" ]; then
                        fail "$opts: the kept memfd ran by $route (exec_$route=$v)"
                else pass; fi
        done
done

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
