/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in profiles (profiles.c chooses by name). */
#ifndef SEALEXEC_POLICY_PROFILES_H
#define SEALEXEC_POLICY_PROFILES_H

#include "policy/ir.h"

int profile_default_load(struct sealexec_policy **ret_policy, sealexec_error *err);
int profile_docker_load(struct sealexec_policy **ret_policy, sealexec_error *err);

/*
 * The filter --deny-unix stacks on the launch's policy (deny-unix.c): no new
 * UNIX sockets that could reach a named socket (socket(AF_UNIX),
 * socketpair(AF_UNIX, SOCK_DGRAM), socketcall's SYS_SOCKET and
 * SYS_SOCKETPAIR: EACCES) and no io_uring (EPERM); everything else allowed.
 * Native architecture plus its compat ABIs; any other is killed.
 */
int policy_profile_deny_unix(struct sealexec_policy **ret_policy, sealexec_error *err);

#endif
