/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ids.h - the user and group step: resolving names (NSS or a root's
 * /etc files) and switching ids (user.c, passwd-file.c).
 */
#ifndef SEALEXEC_SANDBOX_IDS_H
#define SEALEXEC_SANDBOX_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sealexec.h"

/*
 * A name or a number; ret_gid receives the user's primary group (the number
 * itself for a uid without an entry). Unknown names: -ENOENT. The _in forms
 * read root_fd's /etc/passwd and /etc/group instead of the host's NSS when
 * root_fd >= 0 (passwd-file.c).
 */
int user_resolve(const char *user, uid_t *ret_uid, gid_t *ret_gid, sealexec_error *err);
int group_resolve(const char *group, gid_t *ret_gid, sealexec_error *err);
int user_resolve_in(int root_fd, const char *user, uid_t *ret_uid, gid_t *ret_gid,
                    sealexec_error *err);
int group_resolve_in(int root_fd, const char *group, gid_t *ret_gid, sealexec_error *err);

/* passwd-file.c: the files(5) format, without NSS. */
int id_file_read(int root_fd, const char *path, char **ret_text, size_t *ret_len,
                 sealexec_error *err);
/* The id in field `id_field` (2) of the line for `name`; ret_gid (may be NULL) field 3. */
int id_file_lookup(const char *text, size_t len, const char *name, unsigned id_field,
                   uint32_t *ret_id, uint32_t *ret_gid);
/* The gid (field 3) of the passwd line with uid `uid`. */
int id_file_lookup_uid_gid(const char *text, size_t len, uint32_t uid, uint32_t *ret_gid);

/*
 * setgroups([gid]), setresgid, setresuid (with PR_SET_KEEPCAPS so the
 * capability step can still choose what to keep), then checks the result.
 * set_uid false: only the groups and the gid change.
 */
int user_switch(bool set_uid, uid_t uid, gid_t gid, sealexec_error *err);

/* Same, with an explicit supplementary group list (at most SEALEXEC_GROUPS_MAX). */
int user_switch_groups(bool set_uid, uid_t uid, gid_t gid, const gid_t *groups, size_t n_groups,
                       sealexec_error *err);

#endif
