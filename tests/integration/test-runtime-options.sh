#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# What a runtime asks of the command: supplementary groups, names from the
# container's own /etc files, descriptors at new numbers, a literal "%{",
# an already sealed memfd used without a copy, a short -v, unknown names.
. "$(dirname "$0")/lib.sh"

# As root the payload runs as nobody; unprivileged, it keeps its own ids.
user=
is_root && user="--user 65534"

# Unknown names: refused with 125 and the name, before anything runs.
se run --user no-such-user-sealexec -- "$PROBE" status
expect_rc 125 "unknown user"
expect_err "unknown user 'no-such-user-sealexec'"
se run --groups no-such-group-sealexec -- "$PROBE" status
expect_rc 125 "unknown group"
expect_err "unknown group 'no-such-group-sealexec'"

# "%%{" is a literal "%{", "%{undeclared}" stays as typed.
se run $user -- "$PROBE" argv '%%{conf}' '%{undeclared}'
expect_rc 0 "escape"
expect_line 'argv[2]=%{conf}'
expect_line 'argv[3]=%{undeclared}'

# --fd-map: the caller's fd 7 appears as fd 9, and only there.
printf 'mapped-content' >"$WORK/mapped"
chmod 644 "$WORK/mapped"
run sh -c "exec 7<'$WORK/mapped'; exec \"\$0\" run $user --fd-map 7:9 -- \"\$1\" fds file:/proc/self/fd/9" \
        "$SEALEXEC" "$PROBE"
expect_rc 0 "--fd-map"
expect_value fds 0,1,2,9
if printf '%s\n' "$out" | grep -q 'mapped-content'; then pass; else
        fail "--fd-map: fd 9 does not read the mapped file"
fi
se run --fd-map 7:9 -- "$PROBE" fds
expect_rc 125 "--fd-map of a closed descriptor"
expect_err "map fd 7"

# -v is a summary, not the whole dry run.
se run -v $user --profile docker -- "$PROBE" exit:0
expect_rc 0 "-v"
lines=$(printf '%s\n' "$err" | wc -l)
if [ "$lines" -lt 30 ]; then pass; else fail "-v printed $lines lines on stderr"; fi
if printf '%s\n' "$err" | grep -q 'seccomp program 1: policy'; then pass; else
        fail "-v summary lacks the seccomp program line"
fi

if is_root; then
        # Names from the container's own files (--ids-from-root).
        mkdir -p "$WORK/root/etc"
        cp "$PROBE" "$WORK/root/probe"
        printf 'root:x:0:0::/:/bin/sh\napp:x:4242:4343::/:/bin/sh\n' >"$WORK/root/etc/passwd"
        printf 'app:x:4343:\nextra:x:5555:app\n' >"$WORK/root/etc/group"
        se run --root "$WORK/root" --ids-from-root --user app --groups app,extra -- /probe status
        expect_rc 0 "--ids-from-root"
        if printf '%s\n' "$out" | grep -q '^Uid=4242'; then pass; else
                fail "--ids-from-root: uid is not the root's app (4242)"
        fi
        if printf '%s\n' "$out" | grep -q '^Groups=4343 5555$'; then pass; else
                fail "--ids-from-root: supplementary groups are not 4343 5555"
        fi
        se run --root "$WORK/root" --user app -- /probe status
        expect_rc 125 "a container-only name without --ids-from-root"
        # A numeric uid takes its primary group from the root's passwd.
        se run --root "$WORK/root" --ids-from-root --user 4242 -- /probe status
        if printf '%s\n' "$out" | grep -q '^Gid=4343'; then pass; else
                fail "--ids-from-root: numeric uid did not get the root's primary group"
        fi
fi

# An already sealed memfd given with --fd is used as it is (no second copy).
python3 - "$SEALEXEC" "$PROBE" "$user" <<'PY' >"$WORK/adopt.out" 2>&1
import fcntl, os, subprocess, sys
sealexec, probe, user = sys.argv[1], sys.argv[2], sys.argv[3]
fd = os.memfd_create("sealed-probe", os.MFD_ALLOW_SEALING)
os.write(fd, open(probe, "rb").read())
os.fchmod(fd, 0o555)
F_ADD_SEALS, SEAL, SHRINK, GROW, WRITE, EXEC = 1033, 1, 2, 4, 8, 0x20
try:
    fcntl.fcntl(fd, F_ADD_SEALS, SHRINK | GROW | WRITE | EXEC)
except OSError:
    fcntl.fcntl(fd, F_ADD_SEALS, SHRINK | GROW | WRITE)
fcntl.fcntl(fd, F_ADD_SEALS, SEAL)
os.set_inheritable(fd, True)
args = [sealexec, "run", "-v"] + user.split() + ["--fd", str(fd), "probe", "status"]
r = subprocess.run(args, pass_fds=(fd,), capture_output=True, text=True)
print("rc=%d" % r.returncode)
print(r.stdout)
print(r.stderr)
PY
out=$(cat "$WORK/adopt.out")
expect_line "rc=0" "sealed memfd by --fd"
if printf '%s\n' "$out" | grep -q 'sealed memfd: used without a copy'; then pass; else
        fail "a sealed memfd given with --fd was copied"
fi

finish
