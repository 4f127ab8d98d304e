# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes a C file defining a byte array with the content of a file:
#   cmake -DINPUT=file -DOUTPUT=file.c -DSYMBOL=name -P embed.cmake
# The array is NUL-terminated; NAME_len does not count the NUL.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# One line per JSON line keeps the generated file readable in a debugger.
string(REPLACE "0x0a," "0x0a,\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "/* Generated from ${INPUT} by embed.cmake; do not edit. */\n"
  "#include <stddef.h>\n"
  "const char ${SYMBOL}[] = {\n${bytes}0x00};\n"
  "const size_t ${SYMBOL}_len = ${size};\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
