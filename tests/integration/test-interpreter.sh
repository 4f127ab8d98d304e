#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --seal-interpreter: a "#!" payload runs under a sealed copy of its
# interpreter (argv as the kernel builds it), instead of the interpreter the
# kernel would find in the filesystem at exec time.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/hello.sh" <<'SCRIPT'
#!/bin/sh
echo "argv0=$0"
echo "args=$*"
echo "exe=$(readlink /proc/$$/exe)"
echo "flags=$-"
SCRIPT
printf '#!/bin/sh -e\necho "flags=$-"\n' >"$WORK/dash-e.sh"
printf '#!  /bin/sh\t  -e  \necho "flags=$-"\n' >"$WORK/blanks.sh"
printf '#!/nonexistent/sh\necho ran\n' >"$WORK/missing.sh"
printf '#!%s\necho ran\n' "$WORK/hello.sh" >"$WORK/nested.sh"
printf '#!sh\necho ran\n' >"$WORK/relative.sh"
chmod 755 "$WORK"/*.sh

se run --seal-interpreter -- "$WORK/hello.sh" a b
expect_rc 0 "--seal-interpreter"
expect_line "args=a b"
printf '%s\n' "$out" | grep -q '^argv0=/dev/fd/[0-9][0-9]*$' && pass || fail "script is not /dev/fd/N"
expect_line "exe=/memfd:sealexec:sh (deleted)" "the shell runs from a sealed memfd"

se run -- "$WORK/hello.sh" a b
expect_rc 0 "script without --seal-interpreter"
expect_line "exe=$(readlink -f /bin/sh)" "the kernel's interpreter from the filesystem"

se run --seal-interpreter -- "$WORK/dash-e.sh"
expect_rc 0 "#!/bin/sh -e"
case "$(value flags)" in *e*) pass ;; *) fail "-e was not passed: $out" ;; esac
se run --seal-interpreter -- "$WORK/blanks.sh"
expect_rc 0 "#! line with blanks around"
case "$(value flags)" in *e*) pass ;; *) fail "-e was not passed: $out" ;; esac

se run --seal-interpreter --dry-run -- "$WORK/dash-e.sh" x
expect_rc 0 "--dry-run"
want=$(sha256sum /bin/sh | cut -d' ' -f1)
size=$(stat -L -c %s /bin/sh)
expect_line "interpreter: /bin/sh sealed ($size bytes, sha256:$want)"
expect_line "argv[0]: /bin/sh"
expect_line "argv[1]: -e"
printf '%s\n' "$out" | grep -q '^argv\[2\]: /dev/fd/[0-9]*$' && pass || fail "argv[2] is not /dev/fd/N"
expect_line "argv[3]: x"
se run --dry-run -- "$WORK/dash-e.sh"
expect_line "interpreter: /bin/sh (resolved by the kernel from the filesystem, not sealed)"

se run --seal-interpreter -- "$WORK/missing.sh"
expect_rc 127 "missing interpreter"
expect_err "interpreter: payload '/nonexistent/sh': not found"
se run --seal-interpreter -- "$WORK/nested.sh"
expect_rc 126 "#! interpreter of a #! interpreter"
expect_err "is itself a #! script"
se run --seal-interpreter -- "$WORK/relative.sh"
expect_rc 126 "relative interpreter"
expect_err "relative path"

# With --root, the interpreter comes from the root: a bash copied to R/bin/sh.
if [ -x /bin/bash ]; then
        R="$WORK/root"
        mkdir -p "$R/bin"
        cp /bin/bash "$R/bin/sh"
        printf '#!/bin/sh\necho "bash=${BASH_VERSION:+yes}"\necho "exe=$(readlink /proc/$$/exe)"\n' \
                >"$R/bin/script"
        chmod -R 755 "$R"
        se run --root "$R" --seal-interpreter -- /bin/script
        expect_rc 0 "--root --seal-interpreter"
        expect_line "bash=yes" "the root's /bin/sh (a bash) interprets the script"
        expect_line "exe=/memfd:sealexec:sh (deleted)"
fi

finish
