/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.c - sealed copies by statx identity, least recently used out.
 *
 * A flat array searched linearly: max_entries is small (the holder's
 * default is 1024) and a comparison is a few integers, far cheaper than the
 * syscalls each request costs anyway.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "holder/cache.h"

void holder_key_from_statx(const struct statx *stx, bool is_data, struct holder_key *ret)
{
        *ret = (struct holder_key){
            .dev_major = stx->stx_dev_major,
            .dev_minor = stx->stx_dev_minor,
            .ino = stx->stx_ino,
            .size = stx->stx_size,
            .mtime_sec = stx->stx_mtime.tv_sec,
            .mtime_nsec = stx->stx_mtime.tv_nsec,
            .ctime_sec = stx->stx_ctime.tv_sec,
            .ctime_nsec = stx->stx_ctime.tv_nsec,
            .is_data = is_data,
        };
}

bool holder_key_equal(const struct holder_key *a, const struct holder_key *b)
{
        return a->dev_major == b->dev_major && a->dev_minor == b->dev_minor && a->ino == b->ino &&
               a->size == b->size && a->mtime_sec == b->mtime_sec &&
               a->mtime_nsec == b->mtime_nsec && a->ctime_sec == b->ctime_sec &&
               a->ctime_nsec == b->ctime_nsec && a->is_data == b->is_data;
}

void holder_cache_init(struct holder_cache *cache, uint64_t max_bytes, size_t max_entries)
{
        *cache = (struct holder_cache){.max_bytes = max_bytes, .max_entries = max_entries};
}

void holder_cache_done(struct holder_cache *cache)
{
        for (size_t i = 0; i < cache->n_entries; i++)
                close(cache->entries[i].fd);
        free(cache->entries);
        cache->entries = NULL;
        cache->n_entries = 0;
        cache->bytes = 0;
}

struct holder_entry *holder_cache_lookup(struct holder_cache *cache, const struct holder_key *key)
{
        for (size_t i = 0; i < cache->n_entries; i++) {
                struct holder_entry *e = &cache->entries[i];
                if (holder_key_equal(&e->key, key)) {
                        e->last_used = ++cache->clock;
                        e->hits++;
                        return e;
                }
        }
        return NULL;
}

static void evict_at(struct holder_cache *cache, size_t i)
{
        struct holder_entry *e = &cache->entries[i];
        close(e->fd);
        cache->bytes -= e->key.size;
        cache->evictions++;
        *e = cache->entries[--cache->n_entries];
}

static void evict_oldest(struct holder_cache *cache)
{
        size_t oldest = 0;
        for (size_t i = 1; i < cache->n_entries; i++)
                if (cache->entries[i].last_used < cache->entries[oldest].last_used)
                        oldest = i;
        evict_at(cache, oldest);
}

int holder_cache_insert(struct holder_cache *cache, const struct holder_key *key, int fd,
                        const uint8_t digest[HOLDER_DIGEST_LEN], const char *name)
{
        if (key->size > cache->max_bytes || cache->max_entries == 0) {
                close(fd);
                return -EFBIG;
        }
        for (size_t i = 0; i < cache->n_entries; i++)
                if (holder_key_equal(&cache->entries[i].key, key)) {
                        close(fd);
                        return -EEXIST;
                }
        while (cache->n_entries > 0 && (cache->bytes + key->size > cache->max_bytes ||
                                        cache->n_entries >= cache->max_entries))
                evict_oldest(cache);
        struct holder_entry *grown =
            realloc(cache->entries, (cache->n_entries + 1) * sizeof(*cache->entries));
        if (!grown) {
                close(fd);
                return -ENOMEM;
        }
        cache->entries = grown;
        struct holder_entry *e = &cache->entries[cache->n_entries++];
        *e = (struct holder_entry){.key = *key, .fd = fd, .last_used = ++cache->clock};
        memcpy(e->digest, digest, HOLDER_DIGEST_LEN);
        holder_name_sanitize(name, e->name);
        cache->bytes += key->size;
        return 0;
}
