/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * caps.h - the capability step: what happens to the bounding set, and
 * reading the current sets (caps.c).
 */
#ifndef SEALEXEC_SANDBOX_CAPS_H
#define SEALEXEC_SANDBOX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "sealexec.h"

/* What the capability step does with the bounding set (see caps_plan_bounding()). */
enum caps_bounding_plan {
        CAPS_BOUNDING_DROP,          /* drop every cap not kept (needs CAP_SETPCAP) */
        CAPS_BOUNDING_ALREADY,       /* nothing beyond the kept caps is in it */
        CAPS_BOUNDING_UNCHANGED_NNP, /* cannot drop, but nothing can be gained */
        CAPS_BOUNDING_REFUSE,        /* cannot drop and something could be gained */
};

/* Pure: what to do with the bounding set. */
enum caps_bounding_plan caps_plan_bounding(bool have_setpcap, bool permitted_empty,
                                           bool target_is_root, uint64_t bounding, uint64_t kept);

const char *caps_bounding_plan_describe(enum caps_bounding_plan plan);

/* The highest capability the kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last_cap(void);

/* The current bounding set as a mask. */
uint64_t caps_read_bounding(int last_cap);

/* Reads the calling thread's permitted set. */
int caps_read_permitted(uint64_t *ret_permitted, sealexec_error *err);

#endif
