/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.h - the holder's sealed copies, keyed by what statx(2) says about the
 * client's descriptor. A file that changes (a new inode, size, mtime or
 * ctime) is a new key, so a stale copy is never served for it; the old entry
 * ages out. Eviction only closes the holder's descriptor: payloads already
 * running keep the memfd alive for as long as they hold it.
 */
#ifndef SEALEXEC_HOLDER_CACHE_H
#define SEALEXEC_HOLDER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "holder/protocol.h"

struct holder_key {
        uint32_t dev_major, dev_minor;
        uint64_t ino;
        uint64_t size;
        int64_t mtime_sec, ctime_sec;
        uint32_t mtime_nsec, ctime_nsec;
        bool is_data; /* sealed as data: a different memfd (never executable) */
};

struct holder_entry {
        struct holder_key key;
        int fd; /* the sealed memfd, read-only, owned */
        uint8_t digest[HOLDER_DIGEST_LEN];
        char name[HOLDER_NAME_MAX + 1];
        uint64_t last_used; /* the cache's clock at the last hit or insert */
        uint64_t hits;
};

struct holder_cache {
        struct holder_entry *entries;
        size_t n_entries, max_entries;
        uint64_t bytes, max_bytes;
        uint64_t clock;
        /* Counters for --status. */
        uint64_t hits, misses, refused, evictions;
};

/* The key for a statx() result (STATX_BASIC_STATS). */
void holder_key_from_statx(const struct statx *stx, bool is_data, struct holder_key *ret);
bool holder_key_equal(const struct holder_key *a, const struct holder_key *b);

void holder_cache_init(struct holder_cache *cache, uint64_t max_bytes, size_t max_entries);
/* Closes every held descriptor. */
void holder_cache_done(struct holder_cache *cache);

/* The entry for key (its clock and hit count updated), or NULL. Valid until the next insert. */
struct holder_entry *holder_cache_lookup(struct holder_cache *cache, const struct holder_key *key);

/*
 * Adds a sealed copy of key->size bytes, taking ownership of fd (closed on
 * failure too). Least recently used entries are evicted until it fits.
 * -EFBIG when the copy alone is larger than max_bytes, -EEXIST when the key
 * is already held, -ENOMEM.
 */
int holder_cache_insert(struct holder_cache *cache, const struct holder_key *key, int fd,
                        const uint8_t digest[HOLDER_DIGEST_LEN], const char *name);

#endif
