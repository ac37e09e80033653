/* server.h: the sandbox's HTTP server over libmicrohttpd. */
#ifndef HSM_SANDBOX_SERVER_H
#define HSM_SANDBOX_SERVER_H

#include "sandbox/sb.h"

struct MHD_Daemon;

/* Serves sb on 127.0.0.1:port (0: a free port); NULL on failure. */
struct MHD_Daemon *sb_server_start(struct sb_state *sb, int port);
/* The port the daemon listens on. */
int sb_server_port(struct MHD_Daemon *d);

#endif
