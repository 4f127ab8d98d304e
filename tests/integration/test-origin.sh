#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Programs that find their libraries through $ORIGIN (RPATH or RUNPATH, as
# every JDK tool does) run from the sealed copy: sealexec starts them through
# a sealed ld.so with $ORIGIN expanded against the real directory.
. "$(dirname "$0")/lib.sh"

cc=$(command -v cc || command -v gcc || true)
if [ -z "$cc" ]; then
        echo "SKIP: no C compiler to build the \$ORIGIN program"
        exit 77
fi
mkdir -p "$WORK/app/bin" "$WORK/app/lib"
printf 'const char *greeting(void) { return "origin-lib-found"; }\n' >"$WORK/greet.c"
printf '#include <stdio.h>\nconst char *greeting(void);\nint main(void) { puts(greeting()); return 0; }\n' \
        >"$WORK/main.c"
"$cc" -shared -fPIC -o "$WORK/app/lib/libgreet.so" "$WORK/greet.c" &&
        "$cc" -o "$WORK/app/bin/hello" "$WORK/main.c" -L"$WORK/app/lib" -lgreet \
                -Wl,-rpath,'$ORIGIN/../lib' -Wl,--enable-new-dtags ||
        { echo "SKIP: cannot build the test program"; exit 77; }
"$cc" -o "$WORK/app/bin/hello-rpath" "$WORK/main.c" -L"$WORK/app/lib" -lgreet \
        -Wl,-rpath,'${ORIGIN}/../lib' -Wl,--disable-new-dtags
chmod -R a+rX "$WORK/app"

for prog in hello hello-rpath; do
        se run -- "$WORK/app/bin/$prog"
        expect_rc 0 "$prog: \$ORIGIN program"
        expect_line origin-lib-found "$prog"
        # Through a symlink: $ORIGIN is the real file's directory, as ld.so has it.
        ln -sf "$WORK/app/bin/$prog" "$WORK/link-$prog"
        se run -- "$WORK/link-$prog"
        expect_rc 0 "$prog through a symlink"
        expect_line origin-lib-found "$prog through a symlink"
        se run --exec-once -- "$WORK/app/bin/$prog"
        expect_rc 0 "$prog under --exec-once"
        expect_line origin-lib-found "$prog under --exec-once"
done

# LD_LIBRARY_PATH of the payload's environment is kept in the search order.
se run --dry-run --env LD_LIBRARY_PATH=/opt/extra -- "$WORK/app/bin/hello"
expect_rc 0 "dry run"
expect_line "argv[2]: /opt/extra:$WORK/app/bin/../lib" "library path: LD_LIBRARY_PATH, then RUNPATH"
se run --dry-run -- "$WORK/app/bin/hello-rpath"
expect_line "argv[2]: $WORK/app/bin/../lib" "library path from RPATH"

finish
