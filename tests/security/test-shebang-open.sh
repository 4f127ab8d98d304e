#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Attack: a '#!' payload names a FIFO (whose writer waits for a reader) or a
# character device as its interpreter, with Landlock filesystem rules (which
# need the interpreter's PT_INTERP), for `run` and `--dry-run`; and the same
# from a --root directory.
# Expected: no hang; refused with a message naming the interpreter and its
# type; the FIFO is never opened. From --root, the interpreter is never
# looked up on the host: without --seal-interpreter such a script is refused,
# with it the root's interpreter is resolved inside the root.
. "$(dirname "$0")/lib.sh"
: "${ATTACK:?ATTACK must point at sealexec-attack}"

se run --dry-run --ro "$WORK" -- "$PROBE"
case "$out" in
*"landlock: ABI"*) ;;
*) skip "the kernel has no Landlock: sealexec reads no interpreter for its rules" ;;
esac
# The root's interpreter must not exist on the host, to tell them apart.
[ -e /bin/interp ] && skip "/bin/interp exists on the host"

# witness FIFO NAME: counts the opens of FIFO other than O_PATH lookups
# (see test-open-race.sh); a writer waits on it as well.
witness() {
        "$ATTACK" watch-open "$1" >"$WORK/witness-$2" &
        eval "witness_$2=\$!"
        (exec 3>"$1") &
        eval "writer_$2=\$!"
        i=0
        while [ "$i" -lt 100 ] && ! grep -q watching "$WORK/witness-$2"; do
                sleep 0.1
                i=$((i + 1))
        done
        grep -q watching "$WORK/witness-$2" && pass || fail "setup: witness $2 did not start"
}

# witness_check FIFO NAME: this one open must be the only one.
witness_check() {
        exec 5<>"$1"
        exec 5>&-
        eval "wait \$writer_$2; kill \$witness_$2; wait \$witness_$2"
        n=$(sed -n 's/^opens=//p' "$WORK/witness-$2")
        [ "$n" = 1 ] && pass || fail "FIFO $1 was opened $((n - 1)) time(s) by sealexec ('$n')"
}

mkfifo "$WORK/fifo"
witness "$WORK/fifo" host
printf '#!%s\nexit 0\n' "$WORK/fifo" >"$WORK/s-fifo"
printf '#!/dev/null\nexit 0\n' >"$WORK/s-null"
chmod 755 "$WORK/s-fifo" "$WORK/s-null"

se run --ro "$WORK" -- "$WORK/s-fifo"
expect_rc 126 "#! FIFO"
expect_err "script interpreter '$WORK/fifo': not a regular file (fifo)"
# --dry-run either describes the refusal or refuses; it never hangs.
dry_run_reports() {
        case "$rc:$out$err" in
        0:*"$1"* | 126:*"$1"*) pass ;;
        *) fail "--dry-run: expected '$1'" ;;
        esac
}
se run --dry-run --ro "$WORK" -- "$WORK/s-fifo"
dry_run_reports "script interpreter '$WORK/fifo': not a regular file (fifo)"
se run --ro "$WORK" -- "$WORK/s-null"
expect_rc 126 "#! character device"
expect_err "script interpreter '/dev/null': not a regular file (character device)"
se run --dry-run --ro "$WORK" -- "$WORK/s-null"
dry_run_reports "script interpreter '/dev/null': not a regular file (character device)"

# --root: the container's scripts name paths of its choosing.
R=$WORK/root
mkdir -p "$R/bin"
cp "$PROBE" "$R/bin/interp"
mkfifo "$R/fifo"
ln -s /dev/null "$R/evil"
printf '#!/bin/interp argv\n' >"$R/bin/s"
printf '#!/fifo\n' >"$R/bin/s-fifo"
printf '#!/evil\n' >"$R/bin/s-evil"
chmod 755 "$R/bin/s" "$R/bin/s-fifo" "$R/bin/s-evil"
witness "$R/fifo" root

# Without --seal-interpreter the kernel would run the host's /bin/interp:
# Landlock's set-up refuses rather than read a host path the root named.
se run --root "$R" --ro "$WORK" -- /bin/s
expect_rc 125 "--root #! without --seal-interpreter"
expect_err "script interpreter '/bin/interp': the script comes from a root directory"
expect_err "--seal-interpreter"
se run --root "$R" --ro "$WORK" -- /bin/s-evil
expect_rc 125 "--root #!/evil without --seal-interpreter"
expect_err "script interpreter '/evil': the script comes from a root directory"

# With it, the interpreter is resolved inside the root.
se run --root "$R" --seal-interpreter --ro "$WORK" -- /bin/s
expect_rc 0 "--root --seal-interpreter: the root's /bin/interp"
expect_line "argv[0]=/bin/interp"
expect_line "argv[1]=argv"
se run --root "$R" --seal-interpreter -- /bin/s-fifo
expect_rc 126 "--root --seal-interpreter #!/fifo"
expect_err "payload '/fifo': not a regular file (fifo)"
se run --root "$R" --seal-interpreter -- /bin/s-evil
expect_rc 127 "--root --seal-interpreter #!/evil (-> /dev/null, inside the root)"
expect_err "payload '/evil': not found"

# The witnesses work, and sealexec never opened either FIFO.
witness_check "$WORK/fifo" host
witness_check "$R/fifo" root

finish
