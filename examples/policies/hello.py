#!/usr/bin/python3 -I
# SPDX-License-Identifier: LGPL-2.1-or-later
# The python3 payload of examples/policies/python3-script.*: reads its
# configuration file (the first argument) and prints a greeting from it.
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    conf = json.load(f)
print("hello from python3, " + conf["name"])
