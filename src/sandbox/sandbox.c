/* sandbox.c: starting and stopping a sandbox portal. */
#include "sandbox/sandbox.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/sb.h"
#include "sandbox/seed.h"
#include "sandbox/server.h"
#include "sandbox/store.h"

struct sandbox {
    struct sb_state st;
    struct MHD_Daemon *daemon;
    int port;
    int locks_ready;
};

struct tier_limits {
    const char *name;
    long window_max;
    long daily;
};

static const struct tier_limits tiers[] = {
    [SANDBOX_TIER_FREE] = {"free", 100, 250000},
    [SANDBOX_TIER_STARTER] = {"starter", 100, 250000},
    [SANDBOX_TIER_PROFESSIONAL] = {"professional", 190, 625000},
    [SANDBOX_TIER_ENTERPRISE] = {"enterprise", 190, 1000000},
};

void sandbox_config_init(struct sandbox_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->tier = SANDBOX_TIER_FREE;
    cfg->window_ms = 10000;
    cfg->latency_per_input_us = -1;
}

int sandbox_tier_parse(const char *s, enum sandbox_tier *out)
{
    for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
        if (!strcasecmp(s, tiers[i].name)) {
            *out = (enum sandbox_tier)i;
            return 0;
        }
    }
    return -1;
}

/* 0 in a limit means the tier's value. */
static void limits_from_config(struct sb_state *st)
{
    const struct sandbox_config *c = &st->cfg;
    const struct tier_limits *t = &tiers[c->tier];

    sb_limits_init(&st->limits, c->window_max ? c->window_max : t->window_max,
                   c->window_ms > 0 ? c->window_ms : 10000,
                   c->daily_limit ? c->daily_limit : t->daily,
                   c->search_per_second ? c->search_per_second : 5);
}

static int open_store(struct sb_state *st, struct err *e)
{
    const char *dir = st->cfg.data_dir;

    if (dir) {
        /* The portal's state holds migrated personal data. */
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return err_set(e, ERR_IO, "cannot create data directory '%s': %s",
                           dir, strerror(errno));
        st->db_path = xasprintf("%s/sandbox.db", dir);
    }
    return sb_store_open(st->db_path, &st->db, e);
}

static void state_init(struct sb_state *st, const struct sandbox_config *cfg)
{
    st->cfg = *cfg;
    st->token = cfg->token ? xstrdup(cfg->token) : NULL;
    st->cfg.token = NULL;
    st->cfg.data_dir = cfg->data_dir ? xstrdup(cfg->data_dir) : NULL;
    st->cfg.seed_file = cfg->seed_file ? xstrdup(cfg->seed_file) : NULL;
    st->shuffle_rng = cfg->has_shuffle_seed
                          ? cfg->shuffle_seed
                          : (uint64_t)clock_wall_ms() ^ (uint64_t)getpid();
    st->uuid_rng = (uint64_t)clock_wall_ms() * 2654435761ULL ^
                   (uint64_t)getpid() << 32 ^ (uint64_t)clock_mono_ms();
    st->faults.rng = 1;
    if (st->cfg.latency_per_input_us < 0)
        st->cfg.latency_per_input_us =
            cfg->latency_ms > 0 ? SB_LATENCY_PER_INPUT_US : 0;
    limits_from_config(st);
}

int sandbox_start(const struct sandbox_config *cfg, struct sandbox **out,
                  struct err *e)
{
    struct sandbox *sb = xcalloc(1, sizeof(*sb));
    int rc;

    state_init(&sb->st, cfg);
    pthread_mutex_init(&sb->st.db_lock, NULL);
    pthread_mutex_init(&sb->st.state_lock, NULL);
    sb->locks_ready = 1;
    if ((rc = open_store(&sb->st, e)) < 0)
        goto out;
    if ((rc = sb_seed_store(&sb->st, e)) < 0)
        goto out;
    sb->daemon = sb_server_start(&sb->st, cfg->port);
    if (!sb->daemon) {
        rc = err_set(e, ERR_IO, "cannot listen on 127.0.0.1:%d", cfg->port);
        goto out;
    }
    sb->port = sb_server_port(sb->daemon);
    *out = sb;
    sb = NULL;
out:
    sandbox_free(sb);
    return rc < 0 ? rc : 0;
}

int sandbox_port(const struct sandbox *sb)
{
    return sb->port;
}

void sandbox_stop(struct sandbox *sb)
{
    if (sb && sb->daemon) {
        MHD_stop_daemon(sb->daemon);
        sb->daemon = NULL;
    }
}

void sandbox_free(struct sandbox *sb)
{
    if (!sb)
        return;
    sandbox_stop(sb);
    sb_store_close(sb->st.db);
    sb_limits_release(&sb->st.limits);
    if (sb->locks_ready) {
        pthread_mutex_destroy(&sb->st.db_lock);
        pthread_mutex_destroy(&sb->st.state_lock);
    }
    free(sb->st.token);
    free(sb->st.db_path);
    free((char *)sb->st.cfg.data_dir);
    free((char *)sb->st.cfg.seed_file);
    free(sb);
}
