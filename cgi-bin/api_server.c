/* api_server.c: cairn-api's process: options, listening socket, worker threads, clean shutdown */
#include <errno.h>      /* errno */
#include <fcgiapp.h>    /* FCGX_* */
#include <mysql.h>      /* mysql_library_init, mysql_thread_init */
#include <pthread.h>    /* pthread_create */
#include <signal.h>     /* sigaction, sigwait */
#include <stdio.h>      /* fprintf */
#include <stdlib.h>     /* strtol, getenv */
#include <string.h>     /* strcmp, strerror */
#include <sys/socket.h> /* socket, bind, listen */
#include <sys/stat.h>   /* chmod, stat */
#include <sys/un.h>     /* sockaddr_un */
#include <netinet/in.h> /* sockaddr_in */
#include <arpa/inet.h>  /* inet_pton */
#include <unistd.h>     /* close, unlink, getpid */

#include "api.h"
#include "api_auth.h"
#include "api_fcgi.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_MAX_WORKERS 256
#define API_MAX_CONNS 768 /* libfcgi select()s: descriptors stay below 1024 */

/* The settings of the process (checked in api_main). */
struct api_opts {
	long workers, backlog, mode, maxconns;
	long version_max_age; /* ms */
};

struct api_thread {
	pthread_t tid;
	struct api_worker w;
	struct api_loop *loop; /* the shared loop (api_serve's) */
	int started;
};

static void
api_usage(FILE *f)
{
	fprintf(f,
	        "usage: cairn-api [--config FILE] [--check-config]\n"
	        "\n"
	        "The FastCGI program behind nginx that answers /api/v1/ from "
	        "the marts.\n"
	        "Also /auth/ (Strava login, sessions: auth_mode = none|strava) "
	        "and\n"
	        "/webhook/strava (records Strava's events for cairn-extract "
	        "--events).\n"
	        "\n"
	        "  --config FILE    settings file (default $CAIRN_CONFIG, then "
	        "/etc/cairn/cairn.conf)\n"
	        "  --check-config   check the settings and exit (0: usable)\n"
	        "  --help           this text\n"
	        "\n"
	        "Settings: api_socket (unix socket path or 127.0.0.1:PORT), "
	        "api_workers (1-%d,\n"
	        "default: the CPUs, at least 2), api_max_connections (1-%d, "
	        "default 256),\n"
	        "api_listen_backlog (default 128), api_socket_mode (octal, "
	        "default 0666),\n"
	        "mart_stamp (the file cairn-transform rewrites after a commit; "
	        "unset: the\n"
	        "mart version is read for every request), "
	        "api_version_max_age (ms, default\n"
	        "1000), api_athlete_id (auth_mode=none with several "
	        "athletes), api_db_user,\n"
	        "api_db_password, db_socket or db_host/db_port. A socket "
	        "passed by systemd\n"
	        "(LISTEN_FDS=1) is used instead of api_socket. Without a "
	        "database the program\n"
	        "still starts and answers 503 until MariaDB is reachable.\n",
	        API_MAX_WORKERS, API_MAX_CONNS);
}

/* A unix socket path nobody listens on (stale files are removed). */
static int
api_unix_socket(const char *path, int backlog, long mode, char *err,
                size_t errlen)
{
	struct sockaddr_un sa;
	int fd = -1, probe, res = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s is too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 &&
	    connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		snprintf(err, errlen,
		         "socket %s is busy: another cairn-api is listening "
		         "there",
		         path);
		close(probe);
		return -1;
	}
	if (probe >= 0)
		close(probe);
	if (unlink(path) != 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale socket %s: %s", path,
		         strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(path, (mode_t)mode) != 0 || listen(fd, backlog) != 0) {
		snprintf(err, errlen, "cannot listen on socket %s: %s", path,
		         strerror(errno));
		goto out;
	}
	res = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return res;
}

static int
api_tcp_socket(const char *spec, int backlog, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	char host[64];
	const char *colon = strrchr(spec, ':');
	long port;
	int fd = -1, one = 1, res = -1;
	char *end;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(err, errlen, "api_socket %s is not HOST:PORT", spec);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	port = strtol(colon + 1, &end, 10);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (*end != '\0' || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "api_socket %s is not IPV4:PORT", spec);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, backlog) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s%s", spec,
		         strerror(errno),
		         errno == EADDRINUSE ? " (the port is busy)" : "");
		goto out;
	}
	res = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return res;
}

static void *
api_worker_main(void *arg)
{
	struct api_thread *t = arg;
	struct api_worker *w = &t->w;

	mysql_thread_init();
	stamp_reader_init(&w->stamp);
	api_db_ready(w);
	api_loop_run(t->loop, w);
	db_close(w->db);
	w->db = NULL;
	db_close(w->rdb);
	w->rdb = NULL;
	stamp_reader_close(&w->stamp);
	api_resp_free(&w->rs);
	mysql_thread_end();
	return NULL;
}

static int
api_setting(const struct cfg *c, const char *key, long def, long min, long max,
            long *out)
{
	char err[256];

	if (cfg_get_long(c, key, def, min, max, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "cairn-api: %s\n", err);
		return -1;
	}
	return 0;
}

/* The listening socket: systemd's, or one of api_socket. -1 with err. */
static int
api_listen(const struct cfg *c, long backlog, long mode, int *own_unix,
           char *err, size_t errlen)
{
	const char *spec = cfg_get(c, "api_socket", "/run/cairn/api.sock");
	const char *lfds = getenv("LISTEN_FDS"), *lpid = getenv("LISTEN_PID");

	*own_unix = 0;
	if (lfds != NULL && strcmp(lfds, "1") == 0 &&
	    (lpid == NULL || strtol(lpid, NULL, 10) == (long)getpid())) {
		log_info("listening on the socket passed by systemd");
		return 3;
	}
	if (spec[0] == '/') {
		*own_unix = 1;
		return api_unix_socket(spec, (int)backlog, mode, err, errlen);
	}
	return api_tcp_socket(spec, (int)backlog, err, errlen);
}

struct api_srv *
api_srv_new(const struct cfg *c, int cache)
{
	struct api_srv *s = calloc(1, sizeof(*s));
	json_t *doc = NULL;

	if (s == NULL)
		return NULL;
	s->cfg = c;
	if (cache && (s->cache = api_cache_new()) == NULL)
		goto fail;
	doc = api_openapi();
	if (doc == NULL ||
	    (s->openapi = json_dumps(doc, JSON_INDENT(1))) == NULL)
		goto fail;
	s->openapi_len = strlen(s->openapi);
	json_decref(doc);
	return s;
fail:
	json_decref(doc);
	api_srv_free(s);
	return NULL;
}

void
api_srv_free(struct api_srv *s)
{
	if (s == NULL)
		return;
	api_cache_free(s->cache);
	free(s->openapi);
	free(s);
}

static int
api_serve(struct api_srv *srv, const struct api_opts *o)
{
	const struct cfg *c = srv->cfg;
	const char *spec = cfg_get(c, "api_socket", "/run/cairn/api.sock");
	const char *stamp = cfg_get(c, "mart_stamp", "");
	struct api_thread *th = NULL;
	struct api_loop loop;
	struct sigaction sa;
	sigset_t ss;
	char err[512];
	int own_unix = 0, sig = 0, rc = 1, looping = 0, listen_fd;
	long i;

	listen_fd =
	    api_listen(c, o->backlog, o->mode, &own_unix, err, sizeof(err));
	if (listen_fd < 0) {
		fprintf(stderr, "cairn-api: %s\n", err);
		return 1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0) {
		fprintf(stderr, "cairn-api: cannot initialise libraries\n");
		goto out;
	}
	if (api_loop_open(&loop, listen_fd, (int)o->maxconns, err,
	                  sizeof(err)) != 0) {
		fprintf(stderr, "cairn-api: %s\n", err);
		goto out;
	}
	looping = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Signals go to the main thread's sigwait, none to the workers. */
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigaddset(&ss, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	th = calloc((size_t)o->workers, sizeof(*th));
	if (th == NULL)
		goto out;
	for (i = 0; i < o->workers; i++) {
		th[i].loop = &loop;
		th[i].w.idx = (int)i;
		th[i].w.srv = srv;
		th[i].w.cfg = c;
		th[i].w.stamp_path = stamp[0] != '\0' ? stamp : NULL;
		th[i].w.version_max_age = (double)o->version_max_age / 1000.0;
		if (pthread_create(&th[i].tid, NULL, api_worker_main, &th[i]) !=
		    0) {
			log_err("cannot start worker %ld", i);
			break;
		}
		th[i].started = 1;
	}
	log_info("serving %s with %ld workers", spec, o->workers);
	if (i == o->workers) {
		sigdelset(&ss, SIGUSR1);
		while (sigwait(&ss, &sig) == 0 && sig == SIGHUP)
			;
		log_info("stopping on signal %d: finishing requests in flight",
		         sig);
	}
	/* Busy workers finish their request, idle ones return at once. */
	api_loop_stop(&loop);
	for (i = 0; i < o->workers; i++)
		if (th[i].started)
			pthread_join(th[i].tid, NULL);
	rc = 0;
out:
	free(th);
	if (looping)
		api_loop_close(&loop);
	if (own_unix) {
		close(listen_fd);
		unlink(spec);
	}
	mysql_library_end();
	log_info("stopped");
	return rc;
}

int
api_main(int argc, char **argv)
{
	const char *path = NULL;
	int check = 0, dump = 0, i, rc = 2;
	struct api_opts o;
	long cache, ncpu;
	struct cfg *c = NULL;
	struct api_srv *srv = NULL;
	char err[512], *end;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			api_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--check-config") == 0) {
			check = 1;
		} else if (strcmp(argv[i], "--dump-routes") == 0) {
			dump = 1;
		} else {
			fprintf(stderr,
			        "cairn-api: unknown option %s (see "
			        "--help)\n",
			        argv[i]);
			return 2;
		}
	}
	if (dump) {
		json_t *j = api_routes_dump();

		if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(1)) != 0) {
			fprintf(stderr, "cairn-api: cannot dump the routes\n");
			json_decref(j);
			return 1;
		}
		putchar('\n');
		json_decref(j);
		return 0;
	}
	c = cfg_load(path, err, sizeof(err));
	if (c == NULL) {
		fprintf(stderr, "cairn-api: %s\n", err);
		return 2;
	}
	log_init("cairn-api", cfg_get(c, "log_level", "info"));
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (api_setting(c, "api_workers", ncpu > 2 ? ncpu : 2, 1,
	                API_MAX_WORKERS, &o.workers) ||
	    api_setting(c, "api_listen_backlog", 128, 1, 65535, &o.backlog) ||
	    api_setting(c, "api_max_connections", 256, 1, API_MAX_CONNS,
	                &o.maxconns) ||
	    api_setting(c, "api_version_max_age", 1000, 0, 60000,
	                &o.version_max_age) ||
	    api_setting(c, "api_cache", 1, 0, 1, &cache))
		goto out;
	o.mode = strtol(cfg_get(c, "api_socket_mode", "0666"), &end, 8);
	if (*end != '\0' || o.mode < 0 || o.mode > 0777) {
		fprintf(stderr, "cairn-api: api_socket_mode must be octal, "
		                "like 0660\n");
		goto out;
	}
	if (cfg_get(c, "api_db_user", NULL) == NULL) {
		fprintf(stderr, "cairn-api: no database account: set "
		                "api_db_user in the config\n");
		goto out;
	}
	if (api_auth_check_config(c, err, sizeof(err)) != 0) {
		fprintf(stderr, "cairn-api: %s\n", err);
		goto out;
	}
	if (check) {
		printf("cairn-api: config OK\n");
		rc = 0;
		goto out;
	}
	srv = api_srv_new(c, (int)cache);
	if (srv == NULL) {
		fprintf(stderr, "cairn-api: cannot build the OpenAPI document "
		                "or the answer cache\n");
		rc = 1;
		goto out;
	}
	rc = api_serve(srv, &o);
out:
	api_srv_free(srv);
	cfg_free(c);
	return rc;
}
