/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.h - the whole policy seam in one include, for code outside policy/
 * that uses most of it (sandbox/, the tests). Inside policy/ each file
 * includes the step it uses:
 *
 *   ir.h        the intermediate form (struct sealexec_policy); no libseccomp
 *   parse.h     sources -> IR: built-in profiles, text and JSON parsers,
 *               `policy check` diagnostics
 *   load.h      policy and BPF files
 *   compile.h   IR + launch context -> BPF (bpf-gen.c; libseccomp as the
 *               reference backend)
 *   describe.h  `policy explain`, as text or JSON
 *   syscalls.h  syscall names <-> numbers
 */
#ifndef SEALEXEC_POLICY_H
#define SEALEXEC_POLICY_H

#include "policy/compile.h"
#include "policy/describe.h"
#include "policy/ir.h"
#include "policy/load.h"
#include "policy/parse.h"
#include "policy/syscalls.h"

#endif
