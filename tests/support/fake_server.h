/* fake_server.h: starts tests/support/fake_server.py for a cmocka test
 * and stops it. Test-only; included by one test file each, hence static.
 * Run from the repository root, as tests/unit/run.sh does. */
#ifndef HSM_TESTS_FAKE_SERVER_H
#define HSM_TESTS_FAKE_SERVER_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct fake_server {
    pid_t pid;
    int port;
};

/* Returns 0 once the server printed its port. */
static int fake_server_start(struct fake_server *s)
{
    int fds[2];
    FILE *f;
    char line[128];
    int ok;

    if (pipe(fds) != 0)
        return -1;
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", "tests/support/fake_server.py",
               "--window-max", "20", "--window-ms", "1000", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    if (!f)
        return -1;
    ok = fgets(line, sizeof(line), f) &&
         sscanf(line, "listening on %d", &s->port) == 1;
    fclose(f);
    return ok ? 0 : -1;
}

static void fake_server_stop(struct fake_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

#endif
