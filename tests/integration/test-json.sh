#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Machine-readable output: `run --dry-run --json` and `policy explain --json`
# are valid JSON with the documented members, and describe the real launch.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read the JSON"

printf 'listen 8080\n' >"$WORK/app.conf"
se run --dry-run --json --file conf="$WORK/app.conf" --rlimit nofile=64:128 \
        --env A=%{conf} -- "$PROBE" status "%{conf}"
expect_rc 0 "run --dry-run --json"
check=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
want = ["version", "argv", "payload", "interpreter", "files", "fds", "env", "chdir",
        "rlimits", "user", "capabilities", "no_new_privs", "new_session", "exec_once",
        "landlock", "seccomp"]
missing = [k for k in want if k not in d]
assert not missing, "missing members: %s" % missing
assert d["version"] == 1
assert d["argv"][2] == "/proc/self/fd/3", d["argv"]
assert d["files"][0]["file"] == "conf" and d["files"][0]["fd"] == 3
assert d["payload"]["digest"].startswith("sha256:")
assert {"seal", "shrink", "grow", "write"} <= set(d["payload"]["seals"])
assert d["fds"] == [0, 1, 2, 3, 4], d["fds"]
assert d["rlimits"] == [{"name": "nofile", "soft": 64, "hard": 128}], d["rlimits"]
assert d["env"] == [{"op": "set", "value": "A=%{conf}"}], d["env"]
assert d["seccomp"]["name"] == "default" and d["seccomp"]["instructions"] > 0
assert any(r["syscall"] == "ptrace" and r["action"] == "errno(EPERM)" for r in d["seccomp"]["rules"])
print("ok")' 2>&1)
[ "$check" = ok ] && pass || fail "dry-run JSON: $check"

se run --dry-run --json --profile none -- "$PROBE"
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["seccomp"] is None' &&
        pass || fail "--profile none: seccomp is not null"

se run --json -- "$PROBE"
expect_rc 125 "--json without --dry-run"

se policy explain --json --profile docker
expect_rc 0 "policy explain --json"
check=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["kind"] == "profile" and d["default_action"] == "errno(EPERM)", d["default_action"]
import platform
native = {"x86_64": "x86_64", "aarch64": "aarch64"}.get(platform.machine())
assert native is None or d["architectures"][0] == native, d["architectures"]
assert all(set(r) == {"syscall", "action", "condition", "origin", "applied"} for r in d["rules"])
assert any(r["syscall"] == "mount" and not r["applied"] for r in d["rules"])
print("ok")' 2>&1)
[ "$check" = ok ] && pass || fail "explain JSON: $check"

finish
