#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configuration files: sealed, never executable, at a documented fd, reachable
# through %{NAME} in arguments and environment values, and unchangeable.
. "$(dirname "$0")/lib.sh"

printf 'listen 8080\n' >"$WORK/app.conf"
printf 'second\n' >"$WORK/other.conf"

se run --file conf="$WORK/app.conf" -- "$PROBE" fds "file:%{conf}" argv
expect_rc 0 "--file"
expect_value fds 0,1,2,3
expect_line "argv[2]=file:/proc/self/fd/3"
expect_value file_content "listen 8080"
expect_value file_write not 0
expect_value file_truncate not 0
expect_value file_mmap_shared_write not 0
expect_value file_add_seals EPERM
expect_seals file_seals

# Only declared names are substituted; everything else stays as typed.
se run --file conf="$WORK/app.conf" -- "$PROBE" argv "%{other}" "x%{conf}y" "%%{conf}" "%{conf"
expect_line "argv[2]=%{other}"
expect_line "argv[3]=x/proc/self/fd/3y"
expect_line "argv[4]=%{conf}" # "%%{" is the escape for a literal "%{"
expect_line "argv[5]=%{conf"

# In --env values too, and files are numbered in order after kept fds.
exec 6</dev/null
se run --keep-fd 6 --file a="$WORK/app.conf" --file b="$WORK/other.conf" \
        --env CONF_B=%{b} -- "$PROBE" fds env "file:%{b}"
expect_value fds 0,1,2,6,7,8
expect_line "env:CONF_B=/proc/self/fd/8"
expect_value file_content second
exec 6<&-

# A digest pins the file's content.
sum=$("$SEALEXEC" digest "$WORK/app.conf" | cut -d' ' -f1)
se run --file conf="$WORK/app.conf@$sum" -- "$PROBE" "file:%{conf}"
expect_rc 0 "--file with the right digest"
bad=sha256:0000000000000000000000000000000000000000000000000000000000000000
se run --file conf="$WORK/app.conf@$bad" -- "$PROBE" exit:0
expect_rc 125 "--file with a wrong digest"
expect_err "digest mismatch"

# The file is read once, at launch: changing it afterwards changes nothing.
se run --file conf="$WORK/app.conf" -- /bin/sh -c 'printf changed >"$1"; cat /proc/self/fd/3' sh "$WORK/app.conf"
expect_rc 0 "rewrite the source after launch"
[ "$out" = "listen 8080" ] && pass || fail "payload saw '$out' instead of the sealed content"

finish
