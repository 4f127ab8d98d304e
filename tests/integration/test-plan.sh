#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# One plan, three readers: for --exec-once, --seal-interpreter, --file and
# --keep-fd, the dry-run text, the dry-run JSON and the real exec must agree
# on the descriptors the payload gets, its argv and the exec fd. The real
# exec is checked from inside: the static probe prints its open fds, its argv
# and its RLIMIT_NOFILE (exec-once lowers the hard limit to the exec fd X).
# Each case also states what the layout must be, so three readers that agree
# on a wrong layout still fail.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "python3 is needed to read the JSON"

cat >"$WORK/compare.py" <<'EOF'
import json, re, sys

text_path, json_path, inside_path = sys.argv[1:4]
opts = dict(a.split("=", 1) for a in sys.argv[4:])
text = open(text_path).read().splitlines()
plan = json.load(open(json_path))
inside = open(inside_path).read().splitlines()
problems = []

def check(ok, what):
    if not ok:
        problems.append(what)

# The text: "fds: 0 1 2 7 (kept) 8 (conf) ...", "argv[i]: ...", "exec fd: N (role, ...)".
fds_line = [l for l in text if l.startswith("fds:")]
check(len(fds_line) == 1, "text: one 'fds:' line, got %r" % fds_line)
text_fds = [int(t) for t in re.sub(r"\([^)]*\)", "", fds_line[0][4:]).split()] if fds_line else []
text_argv = []
for l in text:
    m = re.match(r"argv\[(\d+)\]: (.*)$", l)
    if m:
        check(int(m.group(1)) == len(text_argv), "text: argv lines out of order at %r" % l)
        text_argv.append(m.group(2))
exec_line = [l for l in text if l.startswith("exec fd:")]
check(len(exec_line) == 1, "text: one 'exec fd:' line, got %r" % exec_line)
m = re.match(r"exec fd: (\d+) \(([^,]+), (close-on-exec|inherited)\)$", exec_line[0]) if exec_line else None
check(m is not None, "text: cannot read %r" % exec_line)
text_exec_fd = int(m.group(1)) if m else None
text_exec_cloexec = m.group(3) == "close-on-exec" if m else None

# The JSON.
json_fds = plan["fds"]
json_argv = plan["argv"]
json_exec = plan["exec"]

check(text_fds == json_fds, "fds: text %s, JSON %s" % (text_fds, json_fds))
check(text_argv == json_argv, "argv: text %s, JSON %s" % (text_argv, json_argv))
check(text_exec_fd == json_exec["fd"], "exec fd: text %s, JSON %s" % (text_exec_fd, json_exec["fd"]))
check(text_exec_cloexec == json_exec["close_on_exec"],
      "exec fd close-on-exec: text %s, JSON %s" % (text_exec_cloexec, json_exec["close_on_exec"]))
check(json_exec["fd"] in json_fds, "exec fd %s not in the fd list %s" % (json_exec["fd"], json_fds))

# Inside: "fds=0,1,2,...", "argv[i]=...", "rlimit_nofile=SOFT:HARD".
values = {}
inside_argv = {}
for l in inside:
    m = re.match(r"argv\[(\d+)\]=(.*)$", l)
    if m:
        inside_argv[int(m.group(1))] = m.group(2)
    elif "=" in l:
        k, v = l.split("=", 1)
        values.setdefault(k, v)
inside_fds = [int(t) for t in values.get("fds", "").split(",") if t]
planned = [fd for fd in json_fds if not (fd == json_exec["fd"] and json_exec["close_on_exec"])]
check(inside_fds == planned,
      "fds: the payload has %s, the plan gives it %s (exec fd %s closed at exec)"
      % (inside_fds, planned, json_exec["fd"]))

ldso = json_exec.get("executes") == "ld.so"
check(ldso == (opts.get("ldso") == "1"), "executes %r" % json_exec.get("executes"))
seen_argv = json_argv
if ldso:
    # ld.so [--library-path P] --argv0 NAME /proc/self/fd/N ARGS: the program
    # sees [NAME, ARGS...].
    i = json_argv.index("--argv0") if "--argv0" in json_argv else -1
    check(i in (1, 3) and len(json_argv) > i + 2 and json_argv[i + 2].startswith("/proc/self/fd/"),
          "ld.so argv %s" % json_argv)
    seen_argv = [json_argv[i + 1]] + json_argv[i + 3:] if i > 0 else []
check(bool(inside_argv), "the payload printed no argv")
for i, a in inside_argv.items():
    check(i < len(seen_argv) and seen_argv[i] == a,
          "argv[%d]: the payload has %r, the plan %r" % (i, a, seen_argv[i] if i < len(seen_argv) else None))
if not ldso:
    check(len(inside_argv) == len(seen_argv),
          "argc: the payload has %d, the plan %d" % (len(inside_argv), len(seen_argv)))

if json_exec["nofile_lowered"]:
    hard = values.get("rlimit_nofile", ":").split(":")[1]
    check(hard == str(json_exec["fd"]),
          "hard RLIMIT_NOFILE inside %r, want the exec fd %s" % (hard, json_exec["fd"]))

# What the case says the layout must be.
if "want_fds" in opts:
    want = [int(t) for t in opts["want_fds"].split(",")]
    check(inside_fds == want, "fds: the payload has %s, want %s" % (inside_fds, want))
if "want_exec_fd" in opts:
    check(json_exec["fd"] == int(opts["want_exec_fd"]),
          "exec fd %s, want %s" % (json_exec["fd"], opts["want_exec_fd"]))
if "want_argv" in opts:
    want = opts["want_argv"].split("|")
    check(json_argv == want, "argv %s, want %s" % (json_argv, want))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF

# agree WHAT [KEY=VALUE...] -- SEALEXEC-RUN-ARGS...: dry-run text, dry-run
# JSON and the real run, compared by compare.py.
agree() {
        what=$1
        shift
        opts=
        while [ "$1" != -- ]; do
                opts="$opts $1"
                shift
        done
        shift
        se run --dry-run "$@"
        expect_rc 0 "$what: --dry-run"
        printf '%s\n' "$out" >"$WORK/text"
        se run --dry-run --json "$@"
        expect_rc 0 "$what: --dry-run --json"
        printf '%s\n' "$out" >"$WORK/json"
        se run "$@"
        expect_rc 0 "$what: run"
        printf '%s\n' "$out" >"$WORK/inside"
        # shellcheck disable=SC2086 # opts are KEY=VALUE words without spaces
        if result=$(python3 "$WORK/compare.py" "$WORK/text" "$WORK/json" "$WORK/inside" $opts); then
                pass
        else
                out=$(printf 'text:\n%s\n\nJSON fds/argv/exec:\n%s\n\ninside:\n%s' \
                        "$(grep -E '^(fds|argv|exec fd|payload fd|ld.so)' "$WORK/text")" \
                        "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["fds"], p["argv"], p["exec"])' "$WORK/json")" \
                        "$(cat "$WORK/inside")")
                fail "$what: the three readers disagree: $result"
        fi
}

# The exec guard (exec-once) needs Landlock and MFD_NOEXEC_SEAL; X needs a finite hard limit.
guard_ok=1
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
        guard_ok=0
        echo "note: hard RLIMIT_NOFILE unlimited: exec-once cases skipped"
else
        se run --exec-once --dry-run -- "$PROBE"
        if [ "$rc" != 0 ]; then
                guard_ok=0
                printf 'note: exec-once cases skipped: %s\n' "$err"
        fi
fi
X=$((hard - 1))

printf 'conf\n' >"$WORK/conf"
printf 'other\n' >"$WORK/other"

# --file NAME=PATH: files at 3, 4 in order; %{NAME} is their /proc/self/fd path.
agree "--file" want_fds=0,1,2,3,4 want_exec_fd=5 \
        "want_argv=$PROBE|fds|argv|/proc/self/fd/3|--other=/proc/self/fd/4" -- \
        --file "conf=$WORK/conf" --file "other=$WORK/other" \
        -- "$PROBE" fds argv '%{conf}' '--other=%{other}'

# --keep-fd above 3: the files start one above the highest kept fd.
agree "--keep-fd" want_fds=0,1,2,7,9,10,11 want_exec_fd=12 \
        "want_argv=$PROBE|fds|argv|/proc/self/fd/11" -- \
        --keep-fd 7 --keep-fd 9 --file "conf=$WORK/conf" --file "other=$WORK/other" \
        -- "$PROBE" fds argv '%{other}' 7<"$WORK/conf" 9<"$WORK/conf"

# --seal-interpreter: a "#!" script whose interpreter is the (static) probe. The
# script stays inherited at base + n_files for the interpreter to read as
# /dev/fd/N; the sealed interpreter is executed from the next number.
printf '#!%s\n' "$PROBE" >"$WORK/script"
chmod 755 "$WORK/script"
agree "--seal-interpreter" want_fds=0,1,2,3,4 want_exec_fd=5 \
        "want_argv=$PROBE|/dev/fd/4|fds|argv|/proc/self/fd/3" -- \
        --seal-interpreter --file "conf=$WORK/conf" -- "$WORK/script" fds argv '%{conf}'

if [ "$guard_ok" = 1 ]; then
        # --exec-once, static payload: executed from X = hard RLIMIT_NOFILE - 1.
        agree "--exec-once" want_fds=0,1,2,7,8 want_exec_fd=$X \
                "want_argv=$PROBE|fds|argv|rlimit:nofile|/proc/self/fd/8" -- \
                --exec-once --keep-fd 7 --file "conf=$WORK/conf" \
                -- "$PROBE" fds argv rlimit:nofile '%{conf}' 7<"$WORK/conf"

        # --exec-once with a --rlimit nofile hard value: X follows it.
        agree "--exec-once --rlimit" want_fds=0,1,2,3 want_exec_fd=199 -- \
                --exec-once --rlimit nofile=100:200 --file "conf=$WORK/conf" \
                -- "$PROBE" fds argv rlimit:nofile

        # --exec-once --seal-interpreter: the static interpreter goes to X.
        agree "--exec-once --seal-interpreter" want_fds=0,1,2,3,4 want_exec_fd=$X \
                "want_argv=$PROBE|/dev/fd/4|fds|argv|rlimit:nofile" -- \
                --exec-once --seal-interpreter --file "conf=$WORK/conf" \
                -- "$WORK/script" fds argv rlimit:nofile

        # --exec-once with a dynamic payload: a sealed ld.so at X runs the payload
        # inherited at base + n_files. The shell reports with builtins only (no
        # exec is possible): which fds are open, its hard limit, its arguments.
        # (One line: the dry-run text prints each argv element on one line.)
        report='n=0; fds=; while [ $n -lt 64 ]; do [ -e /dev/fd/$n ] && fds="$fds${fds:+,}$n"; n=$((n+1)); done; [ -e /dev/fd/'$X' ] && fds="$fds,'$X'"; echo "fds=$fds"; echo "rlimit_nofile=$(ulimit -Sn):$(ulimit -Hn)"; echo "argv[3]=$0"; echo "argv[4]=$1"'
        agree "--exec-once dynamic" ldso=1 want_fds=0,1,2,7,8,9 want_exec_fd=$X -- \
                --exec-once --keep-fd 7 --file "conf=$WORK/conf" \
                -- /bin/sh -c "$report" zero '%{conf}' 7<"$WORK/conf"
        # ... and the ld.so line names the payload's fd.
        se run --dry-run --exec-once --keep-fd 7 --file "conf=$WORK/conf" -- /bin/sh -c : 7<"$WORK/conf"
        if printf '%s\n' "$out" | grep -q "^ld.so: .* sealed (.*), runs fd 9$"; then pass; else
                fail "--exec-once dynamic: ld.so line"
        fi
fi

finish
