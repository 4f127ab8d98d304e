#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the build into a temporary prefix with `cmake --install`, checks
# what landed there, then builds the examples outside the tree against it -
# with pkg-config (shared, and static with --static) and with
# find_package(sealexec) - and runs them with the library from the prefix.
#   test-consumers.sh BUILD_DIR SOURCE_DIR CC CMAKE [SANITIZE]
set -eu
build=$1 src=$2 cc=$3 cmake=$4 sanitize=${5:-OFF}
case $sanitize in ON | on | 1 | TRUE | true | YES | yes)
        echo "SKIP: a sanitizer build cannot be linked by programs built without sanitizers"
        exit 77 ;;
esac
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() {
        echo "FAIL: $*"
        exit 1
}
step() { echo "== $*"; }

step "cmake --install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" || {
        cat "$tmp/install.log"
        fail "cmake --install"
}
pc=$(find "$prefix" -name sealexec.pc)
[ -n "$pc" ] || fail "no sealexec.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in "$libdir/libsealexec.so.0" "$libdir/libsealexec.so" "$libdir/libsealexec.a" \
        "$prefix/include/sealexec.h" "$prefix/bin/sealexec" \
        "$libdir/cmake/sealexec/sealexecConfig.cmake" \
        "$libdir/cmake/sealexec/sealexecConfigVersion.cmake" \
        "$libdir/cmake/sealexec/sealexecTargets.cmake" \
        "$prefix/share/bash-completion/completions/sealexec" \
        "$prefix/share/sealexec/policies/static-server.policy"; do
        [ -e "$f" ] || fail "not installed: $f"
done
if command -v scdoc >/dev/null; then
        for f in man1/sealexec.1 man3/libsealexec.3 man5/sealexec-policy.5; do
                [ -s "$prefix/share/man/$f" ] || fail "man page not installed: $f"
        done
fi
# Nothing installed may point back into the build or source tree.
if grep -rlF -e "$build" -e "$src" "$libdir/pkgconfig" "$libdir/cmake"; then
        fail "installed files refer to the build or source tree"
fi
grep -q "^prefix=$prefix\$" "$pc" || fail "sealexec.pc does not name the prefix: $(head -1 "$pc")"

step "the installed command"
# As root, name a user: a payload that would stay uid 0 of the host is refused.
user=
[ "$(id -u)" = 0 ] && user="--user 65534"
# shellcheck disable=SC2086
out=$("$prefix/bin/sealexec" run $user -- /bin/echo installed) || fail "installed sealexec run"
[ "$out" = installed ] || fail "installed sealexec printed '$out'"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
ex=$src/examples

step "pkg-config: cc \$(pkg-config --cflags --libs sealexec)"
# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
"$cc" -Wall -Werror -o "$tmp/runtime-launch" "$ex/runtime-launch.c" $(pkg-config --cflags --libs sealexec)
# shellcheck disable=SC2046
"$cc" -Wall -Werror -o "$tmp/self-seal" "$ex/self-seal.c" $(pkg-config --cflags --libs sealexec)

step "pkg-config --static: libsealexec.a and its dependencies"
static_libs=$(pkg-config --static --libs sealexec | sed "s|-lsealexec|$libdir/libsealexec.a|")
# shellcheck disable=SC2046
"$cc" -Wall -Werror -o "$tmp/runtime-launch-static" "$ex/runtime-launch.c" \
        $(pkg-config --cflags sealexec) $static_libs
ldd "$tmp/runtime-launch-static" | grep -q libsealexec && fail "static build still needs libsealexec.so"

step "CMake: find_package(sealexec) and sealexec::sealexec"
"$cmake" -S "$src/tests/install/consumer" -B "$tmp/consumer" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_PREFIX_PATH="$prefix" -DSEALEXEC_EXAMPLES="$ex" >"$tmp/consumer.log" 2>&1 &&
        "$cmake" --build "$tmp/consumer" >>"$tmp/consumer.log" 2>&1 || {
        cat "$tmp/consumer.log"
        fail "consumer project"
}

ldd "$tmp/consumer/runtime-launch-static" | grep -q libsealexec &&
        fail "sealexec::sealexec_static still needs libsealexec.so"

step "running them against $libdir"
export LD_LIBRARY_PATH="$libdir"
for rl in "$tmp/runtime-launch" "$tmp/runtime-launch-static" "$tmp/consumer/runtime-launch" \
        "$tmp/consumer/runtime-launch-static"; do
        out=$("$rl" -- /bin/true) || fail "$rl -- /bin/true: status $?"
        [ "$out" = "exited 0" ] || fail "$rl printed '$out'"
        echo "$rl: $out"
done
ldd "$tmp/runtime-launch" | grep -qF "$libdir/libsealexec.so.0" ||
        fail "pkg-config build does not use the installed library: $(ldd "$tmp/runtime-launch")"
ldd "$tmp/consumer/runtime-launch" | grep -qF "$libdir/libsealexec.so.0" ||
        fail "CMake build does not use the installed library"
for ss in "$tmp/self-seal" "$tmp/consumer/self-seal"; do
        "$ss" | grep -qx "sealed memfd: yes" || fail "$ss: not running from a sealed memfd"
        echo "$ss: sealed memfd: yes"
done
echo PASS
