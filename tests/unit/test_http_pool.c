/* Tests for the HTTP pool against a real HTTP server on loopback:
 * tests/support/fake_server.py, which answers by path (5xx, 429 with
 * and without Retry-After, dropped connections, rate-limit headers, a
 * rolling window) and counts the attempts it saw.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/fake_server.h"

#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/pool.h"

static struct fake_server srv;

struct got {
    int calls;
    long status;
    int transport_failed;
    int attempts;
    char error[256];
    char body[4096];
};

static int server_start(void **state)
{
    (void)state;
    return fake_server_start(&srv);
}

static int server_stop(void **state)
{
    (void)state;
    fake_server_stop(&srv);
    return 0;
}

static char *url(const char *path)
{
    return xasprintf("http://127.0.0.1:%d%s", srv.port, path);
}

static void record(const struct http_response *r, void *ud)
{
    struct got *g = ud;

    g->calls++;
    g->status = r->status;
    g->transport_failed = r->transport_failed;
    g->attempts = r->attempts;
    snprintf(g->error, sizeof(g->error), "%s", r->error ? r->error : "");
    snprintf(g->body, sizeof(g->body), "%s", r->body);
}

static struct http_pool *pool_new(int in_flight, int attempts)
{
    struct http_pool_opts o;
    struct http_pool *p = NULL;
    struct err e = {0};

    http_pool_opts_init(&o);
    o.token = "secret-token";
    o.max_in_flight = in_flight;
    o.max_attempts = attempts;
    o.backoff_base_ms = 10;
    o.timeout_ms = 5000;
    assert_int_equal(http_pool_new(&o, &p, &e), 0);
    return p;
}

/* Submits one request and runs the pool; returns run's result. */
static int run_one(struct http_pool *p, const char *method, const char *path,
                   const char *body, struct got *g)
{
    struct err e = {0};
    char *u = url(path);

    http_pool_submit(p, method, u, body, HTTP_KIND_NORMAL, record, g);
    free(u);
    return http_pool_run(p, &e);
}

/* How many attempts the server saw for path, and 429s it sent. */
static long server_count(const char *path, const char *field)
{
    struct http_pool *p = pool_new(1, 1);
    struct got g = {0};
    char *q = xasprintf("/_count%s", path);
    json_t *j;
    long n;

    assert_int_equal(run_one(p, "GET", q, NULL, &g), 0);
    j = json_loads(g.body, 0, NULL);
    assert_non_null(j);
    n = (long)json_integer_value(json_object_get(j, field));
    json_decref(j);
    free(q);
    http_pool_free(p);
    return n;
}

static void test_get_and_post(void **state)
{
    struct http_pool *p = pool_new(4, 3);
    struct got g = {0};

    (void)state;
    assert_int_equal(run_one(p, "POST", "/ok", "{\"a\":1}", &g), 0);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.status, 200);
    assert_non_null(strstr(g.body, "\"method\": \"POST\""));
    assert_non_null(strstr(g.body, "{\\\"a\\\":1}"));
    assert_non_null(strstr(g.body, "Bearer secret-token"));
    assert_non_null(strstr(g.body, "application/json"));
    memset(&g, 0, sizeof(g));
    assert_int_equal(run_one(p, "DELETE", "/ok", NULL, &g), 0);
    assert_non_null(strstr(g.body, "\"method\": \"DELETE\""));
    assert_int_equal(http_pool_stats(p)->requests, 2);
    assert_int_equal(http_pool_stats(p)->by_status[200], 2);
    http_pool_free(p);
}

static void test_5xx_retried_until_success(void **state)
{
    struct http_pool *p = pool_new(4, 6);
    struct got g = {0};

    (void)state;
    assert_int_equal(run_one(p, "POST", "/fail/2/503/a", "{}", &g), 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.attempts, 3);
    assert_int_equal(http_pool_stats(p)->retries, 2);
    assert_int_equal(http_pool_stats(p)->by_status[503], 2);
    assert_int_equal(server_count("/fail/2/503/a", "count"), 3);
    http_pool_free(p);
}

static void test_503_retry_after_is_honoured(void **state)
{
    struct http_pool *p = pool_new(4, 6);
    struct got g = {0};
    json_t *j;

    (void)state;
    /* Backoff alone would retry after ~10 ms; the server asks for 1 s.
     * A lower bound on the gap the server saw: slowness cannot fail it. */
    assert_int_equal(run_one(p, "GET", "/fail/1/503/ra/1", NULL, &g), 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.attempts, 2);
    j = json_loads(g.body, 0, NULL);
    assert_true(json_integer_value(json_object_get(j, "gap_ms")) >= 900);
    json_decref(j);
    http_pool_free(p);
}

static void test_attempts_are_bounded(void **state)
{
    struct http_pool *p = pool_new(4, 3);
    struct got g = {0};

    (void)state;
    assert_int_equal(run_one(p, "GET", "/fail/100/500/b", NULL, &g), 0);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.status, 500);
    assert_false(g.transport_failed);
    assert_int_equal(g.attempts, 3);
    assert_int_equal(server_count("/fail/100/500/b", "count"), 3);
    /* A 400 is the caller's business: never retried. */
    memset(&g, 0, sizeof(g));
    assert_int_equal(run_one(p, "GET", "/fail/1/400/c", NULL, &g), 0);
    assert_int_equal(g.status, 400);
    assert_int_equal(g.attempts, 1);
    http_pool_free(p);
}

static void test_429_retry_after_then_success(void **state)
{
    struct http_pool *p = pool_new(4, 6);
    struct got g = {0};

    (void)state;
    assert_int_equal(
        run_one(p, "POST", "/r429/1/TEN_SECONDLY_ROLLING/1/d", "{}", &g), 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.attempts, 2);
    assert_int_equal(http_pool_stats(p)->n429, 1);
    /* SECONDLY without Retry-After: one second, then success. */
    memset(&g, 0, sizeof(g));
    assert_int_equal(run_one(p, "POST", "/r429/1/SECONDLY/-/e", "{}", &g), 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(server_count("/r429/1/SECONDLY/-/e", "n429"), 1);
    http_pool_free(p);
}

static void test_daily_429_stops_the_run(void **state)
{
    struct http_pool *p = pool_new(1, 6);
    struct got g1 = {0};
    struct got g2 = {0};
    struct err e = {0};
    char *u1 = url("/r429/5/DAILY/-/f");
    char *u2 = url("/ok");

    (void)state;
    http_pool_submit(p, "POST", u1, "{}", HTTP_KIND_NORMAL, record, &g1);
    http_pool_submit(p, "POST", u2, "{}", HTTP_KIND_NORMAL, record, &g2);
    assert_int_equal(http_pool_run(p, &e), ERR_QUOTA);
    assert_non_null(strstr(e.msg, "429 DAILY"));
    assert_int_equal(g1.calls, 1);
    assert_int_equal(g1.status, 429);
    assert_true(g1.transport_failed);
    assert_int_equal(g1.attempts, 1);
    assert_int_equal(g2.calls, 1);
    assert_true(g2.transport_failed);
    assert_string_equal(g2.error, "stopped: daily quota floor");
    assert_int_equal(http_pool_stats(p)->cancelled, 1);
    free(u1);
    free(u2);
    http_pool_free(p);
}

static void test_401_stops_everything(void **state)
{
    struct http_pool *p = pool_new(1, 6);
    struct got g1 = {0};
    struct got g2 = {0};
    struct err e = {0};
    char *u1 = url("/status/401");
    char *u2 = url("/ok");

    (void)state;
    http_pool_submit(p, "GET", u1, NULL, HTTP_KIND_NORMAL, record, &g1);
    http_pool_submit(p, "GET", u2, NULL, HTTP_KIND_NORMAL, record, &g2);
    assert_int_equal(http_pool_run(p, &e), ERR_AUTH);
    assert_null(strstr(e.msg, "secret-token"));
    assert_int_equal(g1.status, 401);
    assert_int_equal(g2.calls, 1);
    assert_true(g2.transport_failed);
    assert_non_null(strstr(g2.error, "stopped: "));
    free(u1);
    free(u2);
    http_pool_free(p);
}

static void test_477_stops_resumably(void **state)
{
    struct http_pool *p = pool_new(1, 6);
    struct got g1 = {0};
    struct got g2 = {0};
    struct err e = {0};
    char *u1 = url("/status/477");
    char *u2 = url("/ok");

    (void)state;
    http_pool_submit(p, "POST", u1, "{}", HTTP_KIND_NORMAL, record, &g1);
    http_pool_submit(p, "POST", u2, "{}", HTTP_KIND_NORMAL, record, &g2);
    assert_int_equal(http_pool_run(p, &e), ERR_QUOTA);
    assert_non_null(strstr(e.msg, "477 Migration in Progress"));
    assert_int_equal(g1.status, 477);
    assert_int_equal(g1.attempts, 1);
    assert_true(g2.transport_failed);
    assert_string_equal(g2.error, "stopped: account migration in progress");
    free(u1);
    free(u2);
    http_pool_free(p);
}

/* A loopback port nothing listens on: bound, then closed. */
static int closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    assert_true(fd >= 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* A portal that refuses every connection: the first request to spend
 * its attempts stops the others, sent or not, before they spend theirs. */
static void test_unreachable_portal_stops(void **state)
{
    struct http_pool *p = pool_new(1, 3);
    struct got g[3] = {{0}};
    struct err e = {0};
    int port = closed_port();
    char *u = xasprintf("http://127.0.0.1:%d/crm/v3/objects/contacts", port);
    char *where = xasprintf("the portal at http://127.0.0.1:%d is", port);
    int spent = 0;

    (void)state;
    for (int i = 0; i < 3; i++)
        http_pool_submit(p, "POST", u, "{}", HTTP_KIND_NORMAL, record, &g[i]);
    assert_int_equal(http_pool_run(p, &e), ERR_HTTP);
    assert_non_null(strstr(e.msg, where));
    assert_non_null(strstr(e.msg, "not answering"));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(g[i].calls, 1);
        assert_true(g[i].transport_failed);
        if (g[i].attempts == 3)
            spent++;
        else
            assert_string_equal(g[i].error,
                                "stopped: the portal is not answering");
    }
    assert_int_equal(spent, 1);
    free(where);
    free(u);
    http_pool_free(p);
}

/* A stream of answers: each one sends the next request until the refused
 * request below is done, so answers keep coming however slow the machine
 * (valgrind) makes the pool. */
struct stream {
    struct http_pool *p;
    const struct got *until;
    int answers;
};

static void stream_next(const struct http_response *r, void *ud)
{
    struct stream *s = ud;
    char *u;

    s->answers += r->status == 200;
    if (s->until->calls)
        return;
    u = url("/slow/20");
    http_pool_submit(s->p, "GET", u, NULL, HTTP_KIND_NORMAL, stream_next, s);
    free(u);
}

/* A refused request while the portal answers others is that request's
 * failure alone: it spends its attempts and the run goes on. */
static void test_refused_amid_answers_goes_on(void **state)
{
    struct http_pool_opts o;
    struct got bad = {0};
    struct stream st = {0};
    struct err e = {0};
    char *u = xasprintf("http://127.0.0.1:%d/x", closed_port());
    char *ok = url("/slow/20");

    (void)state;
    http_pool_opts_init(&o);
    o.token = "secret-token";
    o.max_in_flight = 2;
    o.max_attempts = 3;
    o.backoff_base_ms = 500;
    o.timeout_ms = 5000;
    assert_int_equal(http_pool_new(&o, &st.p, &e), 0);
    st.until = &bad;
    http_pool_submit(st.p, "GET", u, NULL, HTTP_KIND_NORMAL, record, &bad);
    http_pool_submit(st.p, "GET", ok, NULL, HTTP_KIND_NORMAL, stream_next, &st);
    free(ok);
    free(u);
    assert_int_equal(http_pool_run(st.p, &e), 0);
    assert_true(bad.transport_failed);
    assert_int_equal(bad.attempts, 3);
    assert_true(st.answers > 1);
    http_pool_free(st.p);
}

static void test_dropped_connection_retried(void **state)
{
    struct http_pool *p = pool_new(2, 6);
    struct got g = {0};

    (void)state;
    assert_int_equal(run_one(p, "POST", "/drop/2/g", "{}", &g), 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.attempts, 3);
    assert_int_equal(http_pool_stats(p)->transport_errors, 2);
    assert_int_equal(http_pool_stats(p)->by_status[0], 2);
    http_pool_free(p);
}

static void test_timeout_is_transport_failure(void **state)
{
    struct http_pool_opts o;
    struct http_pool *p = NULL;
    struct got g = {0};
    struct err e = {0};

    (void)state;
    http_pool_opts_init(&o);
    o.max_attempts = 2;
    o.timeout_ms = 200;
    o.backoff_base_ms = 10;
    assert_int_equal(http_pool_new(&o, &p, &e), 0);
    assert_int_equal(run_one(p, "GET", "/slow/1500", NULL, &g), 0);
    assert_int_equal(g.calls, 1);
    assert_true(g.transport_failed);
    assert_int_equal(g.status, 0);
    assert_int_equal(g.attempts, 2);
    assert_true(strlen(g.error) > 0);
    http_pool_free(p);
}

static void test_body_size_guard(void **state)
{
    struct http_pool_opts o;
    struct http_pool *p = NULL;
    struct got g = {0};
    struct err e = {0};

    (void)state;
    http_pool_opts_init(&o);
    o.max_body = 1000;
    assert_int_equal(http_pool_new(&o, &p, &e), 0);
    assert_int_equal(run_one(p, "GET", "/big/5000", NULL, &g), 0);
    assert_true(g.transport_failed);
    assert_non_null(strstr(g.error, "larger than 1000 bytes"));
    assert_int_equal(g.attempts, 1);
    memset(&g, 0, sizeof(g));
    assert_int_equal(run_one(p, "GET", "/big/900", NULL, &g), 0);
    assert_int_equal(g.status, 200);
    http_pool_free(p);
}

static void test_daily_floor_stops_cleanly(void **state)
{
    struct http_pool_opts o;
    struct http_pool *p = NULL;
    struct got g1 = {0};
    struct got g2 = {0};
    struct err e = {0};
    char *u1 = url("/headers/100/99/5");
    char *u2 = url("/ok");

    (void)state;
    http_pool_opts_init(&o);
    o.max_in_flight = 1;
    o.daily_floor = 10;
    assert_int_equal(http_pool_new(&o, &p, &e), 0);
    http_pool_submit(p, "GET", u1, NULL, HTTP_KIND_NORMAL, record, &g1);
    http_pool_submit(p, "GET", u2, NULL, HTTP_KIND_NORMAL, record, &g2);
    assert_int_equal(http_pool_run(p, &e), ERR_QUOTA);
    assert_non_null(strstr(e.msg, "floor of 10"));
    /* The answer that revealed the floor is delivered; the next is not
     * sent. */
    assert_int_equal(g1.status, 200);
    assert_false(g1.transport_failed);
    assert_true(g2.transport_failed);
    assert_string_equal(g2.error, "stopped: daily quota floor");
    assert_int_equal(http_pool_stats(p)->requests, 1);
    free(u1);
    free(u2);
    http_pool_free(p);
}

struct chain {
    struct http_pool *p;
    int left;
    int done;
    int stop_after;
};

static void chain_next(const struct http_response *r, void *ud)
{
    struct chain *c = ud;
    char *u;

    c->done++;
    /* Time the pool must book as spent in callbacks. */
    usleep(20000);
    if (c->stop_after && c->done == c->stop_after)
        http_pool_stop(c->p);
    if (c->left-- <= 0)
        return;
    u = url("/ok");
    http_pool_submit(c->p, "GET", u, NULL, HTTP_KIND_NORMAL, chain_next, c);
    free(u);
}

static void test_callbacks_submit_and_stop(void **state)
{
    struct chain c = {0};
    struct err e = {0};
    char *u = url("/ok");

    (void)state;
    c.p = pool_new(2, 3);
    c.left = 4;
    http_pool_submit(c.p, "GET", u, NULL, HTTP_KIND_NORMAL, chain_next, &c);
    assert_int_equal(http_pool_run(c.p, &e), 0);
    assert_int_equal(c.done, 5);
    /* Five callbacks of at least 20 ms each (chain_next sleeps). */
    assert_true(http_pool_stats(c.p)->callback_ms >= 5 * 20);
    http_pool_free(c.p);

    /* A stop from a callback: what follows is cancelled, not sent. */
    memset(&c, 0, sizeof(c));
    c.p = pool_new(1, 3);
    c.left = 10;
    c.stop_after = 2;
    http_pool_submit(c.p, "GET", u, NULL, HTTP_KIND_NORMAL, chain_next, &c);
    assert_int_equal(http_pool_run(c.p, &e), ERR_INTERRUPTED);
    assert_int_equal(http_pool_stats(c.p)->requests, 2);
    assert_int_equal(c.done, 11);
    assert_int_equal(http_pool_stats(c.p)->cancelled, 9);
    http_pool_free(c.p);
    free(u);
}

static void test_window_no_429_under_load(void **state)
{
    struct http_pool *p = pool_new(8, 6);
    struct got g[50];
    struct err e = {0};
    char *u = url("/window/h");

    (void)state;
    memset(g, 0, sizeof(g));
    if (getenv("HSM_TRACE"))
        log_set_level(LOG_TRACE);
    /* 50 requests against 20 per second: the limiter must pace them. */
    for (int i = 0; i < 50; i++)
        http_pool_submit(p, "POST", u, "{}", HTTP_KIND_NORMAL, record, &g[i]);
    assert_int_equal(http_pool_run(p, &e), 0);
    for (int i = 0; i < 50; i++)
        assert_int_equal(g[i].status, 200);
    assert_int_equal(server_count("/window/h", "n429"), 0);
    assert_int_equal(http_pool_stats(p)->n429, 0);
    /* Each attempt waited at least the server's 20 ms. */
    assert_true(http_pool_stats(p)->busy_ms >= 50 * 20);
    assert_int_equal(http_pool_limiter(p)->max, 20);
    free(u);
    http_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_and_post),
        cmocka_unit_test(test_5xx_retried_until_success),
        cmocka_unit_test(test_503_retry_after_is_honoured),
        cmocka_unit_test(test_attempts_are_bounded),
        cmocka_unit_test(test_429_retry_after_then_success),
        cmocka_unit_test(test_daily_429_stops_the_run),
        cmocka_unit_test(test_401_stops_everything),
        cmocka_unit_test(test_477_stops_resumably),
        cmocka_unit_test(test_dropped_connection_retried),
        cmocka_unit_test(test_timeout_is_transport_failure),
        cmocka_unit_test(test_body_size_guard),
        cmocka_unit_test(test_unreachable_portal_stops),
        cmocka_unit_test(test_refused_amid_answers_goes_on),
        cmocka_unit_test(test_daily_floor_stops_cleanly),
        cmocka_unit_test(test_callbacks_submit_and_stop),
        cmocka_unit_test(test_window_no_429_under_load),
    };

    return cmocka_run_group_tests(tests, server_start, server_stop);
}
