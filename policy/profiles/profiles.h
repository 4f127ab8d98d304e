/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in profiles (profiles.c chooses by name). */
#ifndef SEALEXEC_POLICY_PROFILES_H
#define SEALEXEC_POLICY_PROFILES_H

#include "../policy.h"

int profile_default_load(struct sealexec_policy **ret_policy, sealexec_error *err);
int profile_docker_load(struct sealexec_policy **ret_policy, sealexec_error *err);

#endif
