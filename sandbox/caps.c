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
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sandbox/caps.h"
#include "sandbox/plan.h"

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

/* --- the confinement step: capget/capset and prctl only ------------------- */

struct raw_caps {
        uint64_t effective, permitted, inheritable;
};

static int raw_get(struct raw_caps *ret)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[2];
        memset(data, 0, sizeof(data));
        if (syscall(SYS_capget, &hdr, data) < 0)
                return -errno;
        ret->effective = data[0].effective | (uint64_t)data[1].effective << 32;
        ret->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
        ret->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
        return 0;
}

static int raw_set(const struct raw_caps *caps)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[2] = {
            {(uint32_t)caps->effective, (uint32_t)caps->permitted, (uint32_t)caps->inheritable},
            {(uint32_t)(caps->effective >> 32), (uint32_t)(caps->permitted >> 32),
             (uint32_t)(caps->inheritable >> 32)},
        };
        return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

static uint64_t raw_bounding(int last_cap)
{
        uint64_t mask = 0;
        for (int cap = 0; cap <= last_cap; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        mask |= CAP_BIT(cap);
        return mask;
}

static int planned_bounding(const struct launch_plan *plan, const struct raw_caps *now,
                            sealexec_error *err)
{
        uint64_t kept = plan->kept_caps;
        bool have_setpcap = now->permitted & CAP_BIT(CAP_SETPCAP);
        uint64_t bounding = raw_bounding(plan->last_cap);
        enum caps_bounding_plan decision = caps_plan_bounding(
            have_setpcap, now->permitted == 0, plan->payload_uid == 0, bounding, kept);
        if (decision == CAPS_BOUNDING_REFUSE)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: cannot drop the bounding set without "
                                "CAP_SETPCAP while holding capabilities or running as root");
        if (decision != CAPS_BOUNDING_DROP)
                return 0;
        /* CAP_SETPCAP may be permitted but not effective (after a uid change). */
        struct raw_caps raised = {now->permitted, now->permitted, now->inheritable};
        int r = raw_set(&raised);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: raising CAP_SETPCAP");
        r = drop_bounding(bounding & ~kept, plan->last_cap, err);
        if (r < 0)
                return r;
        if (raw_bounding(plan->last_cap) & ~kept)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: the bounding set still holds more "
                                "than the kept capabilities");
        return 0;
}

int caps_apply_planned(const struct launch_plan *plan, sealexec_error *err)
{
        uint64_t kept = plan->kept_caps;
        struct raw_caps now;
        int r = raw_get(&now);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: reading the current sets");
        if (kept & ~now.permitted)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: cannot keep capabilities 0x%llx: the "
                                "launcher does not hold them",
                                (unsigned long long)(kept & ~now.permitted));
        r = planned_bounding(plan, &now, err);
        if (r < 0)
                return r;
        const struct raw_caps want = {kept, kept, kept};
        r = raw_set(&want);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: setting the kept sets");
        /* Root's exec gets the bounding set anyway; ambient is for everyone else. */
        r = set_ambient(kept, plan->raise_ambient, plan->last_cap, err);
        if (r < 0)
                return r;
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: capabilities: clearing KEEP_CAPS");
        struct raw_caps after;
        r = raw_get(&after);
        if (r < 0 || after.permitted != kept || after.effective != kept ||
            after.inheritable != kept)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: capabilities: the sets differ from the kept "
                                "capabilities after setting them");
        return 0;
}
