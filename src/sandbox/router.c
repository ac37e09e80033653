/* router.c: the table of endpoint families and route matching. */
#include "sandbox/sb.h"

#include <string.h>

/* Every family's table. Weak, so a family's table may not exist yet: a
 * missing one is a null pointer and is skipped. */
#define SB_FAMILY(name)                                                        \
    extern const struct sb_route name[] __attribute__((weak))
SB_FAMILY(sb_admin_routes);
SB_FAMILY(sb_properties_routes);
SB_FAMILY(sb_objects_routes);
SB_FAMILY(sb_assoc_routes);
SB_FAMILY(sb_search_routes);
SB_FAMILY(sb_merge_routes);
SB_FAMILY(sb_owners_routes);
SB_FAMILY(sb_pipelines_routes);

static const struct sb_route *const sb_route_tables[] = {
    sb_admin_routes,  sb_properties_routes, sb_objects_routes,
    sb_assoc_routes,  sb_search_routes,     sb_merge_routes,
    sb_owners_routes, sb_pipelines_routes,
};

#define NTABLES (sizeof(sb_route_tables) / sizeof(sb_route_tables[0]))

/* Returns the number of literal segments when pattern matches segs, else
 * -1; fills names with the pattern's names for each segment. */
static int route_match(const char *pattern, char **segs, int nsegs,
                       char names[][SB_NAME_MAX])
{
    const char *p = pattern;
    int literal = 0, i = 0;

    while (*p == '/' && i < nsegs) {
        size_t n = strcspn(++p, "/");
        if (n >= 2 && p[0] == '{' && p[n - 1] == '}' && n - 2 < SB_NAME_MAX) {
            memcpy(names[i], p + 1, n - 2);
            names[i][n - 2] = '\0';
        } else if (strlen(segs[i]) == n && !memcmp(segs[i], p, n)) {
            names[i][0] = '\0';
            literal++;
        } else {
            return -1;
        }
        p += n;
        i++;
    }
    return *p == '\0' && i == nsegs ? literal : -1;
}

const struct sb_route *sb_route_find(const char *method, char **segs, int nsegs,
                                     char pnames[][SB_NAME_MAX])
{
    char cand[SB_MAX_SEGS][SB_NAME_MAX];
    const struct sb_route *best = NULL;
    int best_score = -1;

    for (size_t t = 0; t < NTABLES; t++) {
        const struct sb_route *r = sb_route_tables[t];
        for (; r && r->method; r++) {
            int score;
            if (strcmp(r->method, method))
                continue;
            score = route_match(r->pattern, segs, nsegs, cand);
            if (score > best_score) {
                best = r;
                best_score = score;
                memcpy(pnames, cand, sizeof(cand));
            }
        }
    }
    return best;
}
