/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The capability step: leave exactly the kept capabilities in every set.
 *
 * Capabilities are per thread, which is why the launch refuses a process with
 * more than one thread. The step runs after the user switch; user_switch()
 * sets KEEP_CAPS so the permitted set (and with it CAP_SETPCAP, needed to
 * drop the bounding set) survives a change away from uid 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "sandbox/launch.h"

#define CAP_BIT(c) (UINT64_C(1) << (c))

static void cap_freep(cap_t *caps)
{
        if (*caps)
                cap_free(*caps);
}
#define _cleanup_cap_ _cleanup_(cap_freep)

enum caps_bounding_plan caps_plan_bounding(bool have_setpcap, bool permitted_empty,
                                           bool target_is_root, uint64_t bounding, uint64_t kept)
{
        if ((bounding & ~kept) == 0)
                return CAPS_BOUNDING_ALREADY;
        if (have_setpcap)
                return CAPS_BOUNDING_DROP;
        /*
         * Without CAP_SETPCAP the bounding set stays. That is safe only if no
         * exec can hand out capabilities: the process holds none, it will not
         * run as root (whose exec gets the bounding set), and no_new_privs
         * (set unconditionally later) disables file capabilities and setuid.
         */
        if (permitted_empty && !target_is_root)
                return CAPS_BOUNDING_UNCHANGED_NNP;
        return CAPS_BOUNDING_REFUSE;
}

const char *caps_bounding_plan_describe(enum caps_bounding_plan plan)
{
        switch (plan) {
        case CAPS_BOUNDING_DROP:
                return "dropped except kept";
        case CAPS_BOUNDING_ALREADY:
                return "already holds only kept capabilities";
        case CAPS_BOUNDING_UNCHANGED_NNP:
                return "unchanged (no CAP_SETPCAP; no_new_privs prevents gaining capabilities)";
        case CAPS_BOUNDING_REFUSE:
                return "cannot be dropped (no CAP_SETPCAP): the launch would be refused";
        }
        return "?";
}

int caps_last_cap(void)
{
        FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        int last = -1;
        if (f) {
                if (fscanf(f, "%d", &last) != 1)
                        last = -1;
                fclose(f);
        }
        if (last < 0)
                last = (int)cap_max_bits() - 1;
        return last > 63 ? 63 : last;
}

uint64_t caps_read_bounding(int last_cap)
{
        uint64_t mask = 0;
        for (int cap = 0; cap <= last_cap; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        mask |= CAP_BIT(cap);
        return mask;
}

static uint64_t caps_mask_of(cap_t caps, cap_flag_t flag, int last_cap)
{
        uint64_t mask = 0;
        for (int cap = 0; cap <= last_cap; cap++) {
                cap_flag_value_t value = CAP_CLEAR;
                if (cap_get_flag(caps, (cap_value_t)cap, flag, &value) == 0 && value == CAP_SET)
                        mask |= CAP_BIT(cap);
        }
        return mask;
}

int caps_read_permitted(uint64_t *ret_permitted, sealexec_error *err)
{
        _cleanup_cap_ cap_t caps = cap_get_proc();
        if (!caps)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: reading the current sets");
        *ret_permitted = caps_mask_of(caps, CAP_PERMITTED, caps_last_cap());
        return 0;
}

/* Sets the three per-thread sets (inheritable, permitted, effective). */
static int caps_set_sets(uint64_t inheritable, uint64_t permitted, uint64_t effective, int last_cap)
{
        _cleanup_cap_ cap_t caps = cap_init();
        if (!caps)
                return -errno;
        for (int cap = 0; cap <= last_cap; cap++) {
                cap_value_t value = cap;
                if (inheritable & CAP_BIT(cap))
                        cap_set_flag(caps, CAP_INHERITABLE, 1, &value, CAP_SET);
                if (permitted & CAP_BIT(cap))
                        cap_set_flag(caps, CAP_PERMITTED, 1, &value, CAP_SET);
                if (effective & CAP_BIT(cap))
                        cap_set_flag(caps, CAP_EFFECTIVE, 1, &value, CAP_SET);
        }
        return cap_set_proc(caps) < 0 ? -errno : 0;
}

static int check_kept_held(uint64_t kept, uint64_t permitted, sealexec_error *err)
{
        for (int cap = 0; cap < 64; cap++) {
                if (!(kept & CAP_BIT(cap)) || (permitted & CAP_BIT(cap)))
                        continue;
                char *name = cap_to_name((cap_value_t)cap);
                se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                         "confine: capabilities: cannot keep %s: the launcher does not hold it",
                         name ? name : "?");
                cap_free(name);
                return -EPERM;
        }
        return 0;
}

static int drop_bounding(uint64_t drop, int last_cap, sealexec_error *err)
{
        for (int cap = 0; cap <= last_cap; cap++)
                if ((drop & CAP_BIT(cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: capabilities: dropping %d from the "
                                              "bounding set",
                                              cap);
        return 0;
}

/* Decides about the bounding set and applies the decision. */
static int handle_bounding(uint64_t kept, uint64_t permitted, int last_cap,
                           enum caps_bounding_plan *ret_plan, sealexec_error *err)
{
        bool have_setpcap = permitted & CAP_BIT(CAP_SETPCAP);
        bool target_is_root = getuid() == 0 || geteuid() == 0;
        uint64_t bounding = caps_read_bounding(last_cap);
        enum caps_bounding_plan plan =
            caps_plan_bounding(have_setpcap, permitted == 0, target_is_root, bounding, kept);
        *ret_plan = plan;
        if (plan == CAPS_BOUNDING_REFUSE)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: cannot drop the bounding set without "
                                "CAP_SETPCAP while holding capabilities or running as root");
        if (plan != CAPS_BOUNDING_DROP)
                return 0;
        /* CAP_SETPCAP may be permitted but not effective (after a uid change). */
        int r = caps_set_sets(0, permitted, permitted, last_cap);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: raising CAP_SETPCAP");
        r = drop_bounding(bounding & ~kept, last_cap, err);
        if (r < 0)
                return r;
        if (caps_read_bounding(last_cap) & ~kept)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: the bounding set still holds more "
                                "than the kept capabilities");
        return 0;
}

static int set_ambient(uint64_t kept, bool raise, int last_cap, sealexec_error *err)
{
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: clearing the ambient set");
        if (!raise)
                return 0;
        for (int cap = 0; cap <= last_cap; cap++)
                if ((kept & CAP_BIT(cap)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: capabilities: raising %d as ambient", cap);
        return 0;
}

static int verify_sets(uint64_t kept, int last_cap, sealexec_error *err)
{
        _cleanup_cap_ cap_t caps = cap_get_proc();
        if (!caps)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: reading the sets back");
        if (caps_mask_of(caps, CAP_PERMITTED, last_cap) != kept ||
            caps_mask_of(caps, CAP_EFFECTIVE, last_cap) != kept ||
            caps_mask_of(caps, CAP_INHERITABLE, last_cap) != kept)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: the sets differ from the kept "
                                "capabilities after setting them");
        return 0;
}

int caps_apply(uint64_t kept, enum caps_bounding_plan *record_plan, sealexec_error *err)
{
        int last_cap = caps_last_cap();
        uint64_t permitted;
        enum caps_bounding_plan plan;

        if (kept & ~(last_cap >= 63 ? UINT64_MAX : CAP_BIT(last_cap + 1) - 1))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: a kept capability is unknown to this "
                                "kernel");
        int r = caps_read_permitted(&permitted, err);
        if (r < 0)
                return r;
        r = check_kept_held(kept, permitted, err);
        if (r < 0)
                return r;
        r = handle_bounding(kept, permitted, last_cap, &plan, err);
        if (record_plan)
                *record_plan = plan;
        if (r < 0)
                return r;
        r = caps_set_sets(kept, kept, kept, last_cap);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: setting the kept sets");
        /* Root's exec gets the bounding set anyway; ambient is for everyone else. */
        bool target_is_root = getuid() == 0 || geteuid() == 0;
        r = set_ambient(kept, !target_is_root, last_cap, err);
        if (r < 0)
                return r;
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: clearing KEEP_CAPS");
        return verify_sets(kept, last_cap, err);
}
