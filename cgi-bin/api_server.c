/* api_server.c: cairn-api's process: options, listening socket, worker threads, clean shutdown */
#include <errno.h>      /* errno */
#include <fcgiapp.h>    /* FCGX_* */
#include <mysql.h>      /* mysql_library_init, mysql_thread_init */
#include <pthread.h>    /* pthread_create */
#include <signal.h>     /* sigaction, sigwait */
#include <stdatomic.h>  /* atomic_int */
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
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_MAX_WORKERS 256

enum { API_W_IDLE, API_W_ACCEPT, API_W_BUSY };

struct api_thread {
	pthread_t tid;
	struct api_worker w;
	atomic_int state;
	int started;
};

static atomic_int api_stop;
static int api_listen_fd = -1;

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
	        "default 4), api_listen_backlog (default 128), api_socket_mode "
	        "(octal, default\n"
	        "0666), api_athlete_id (auth_mode=none with several athletes), "
	        "api_db_user,\n"
	        "api_db_password, db_socket or db_host/db_port. A socket "
	        "passed by systemd\n"
	        "(LISTEN_FDS=1) is used instead of api_socket. Without a "
	        "database the program\n"
	        "still starts and answers 503 until MariaDB is reachable.\n",
	        API_MAX_WORKERS);
}

static void
api_wake(int sig)
{
	(void)sig;
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
	if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) ==
	                      0) {
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
		snprintf(err, errlen, "cannot remove stale socket %s: %s",
		         path, strerror(errno));
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

/* The raw request from FastCGI parameters and stdin. */
static void
api_read_request(FCGX_Request *q, struct api_http_req *rq, char *body)
{
	const char *m = FCGX_GetParam("REQUEST_METHOD", q->envp);
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", q->envp);
	long n = cl != NULL ? strtol(cl, NULL, 10) : 0;

	memset(rq, 0, sizeof(*rq));
	rq->method = m == NULL                   ? API_OTHER
	             : strcmp(m, "GET") == 0  ? API_GET
	             : strcmp(m, "HEAD") == 0 ? API_HEAD
	             : strcmp(m, "PUT") == 0  ? API_PUT
	             : strcmp(m, "POST") == 0 ? API_POST
	                                       : API_OTHER;
	rq->path = FCGX_GetParam("PATH_INFO", q->envp);
	if (rq->path == NULL || rq->path[0] == '\0')
		rq->path = FCGX_GetParam("DOCUMENT_URI", q->envp);
	rq->query = FCGX_GetParam("QUERY_STRING", q->envp);
	rq->if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", q->envp);
	rq->content_type = FCGX_GetParam("CONTENT_TYPE", q->envp);
	rq->cookie = FCGX_GetParam("HTTP_COOKIE", q->envp);
	rq->csrf = FCGX_GetParam("HTTP_X_CSRF_TOKEN", q->envp);
	if (rq->method != API_PUT && rq->method != API_POST)
		return;
	if (n > API_BODY_MAX) {
		rq->body_too_large = 1;
		return;
	}
	if (n > 0) {
		int got = FCGX_GetStr(body, (int)n, q->in);

		rq->body_len = got > 0 ? (size_t)got : 0;
	}
	body[rq->body_len] = '\0';
	rq->body = body;
}

static void *
api_worker_main(void *arg)
{
	struct api_thread *t = arg;
	struct api_worker *w = &t->w;
	struct api_http_req rq;
	FCGX_Request q;
	char body[API_BODY_MAX + 1], head[2048];
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &ss, NULL);
	mysql_thread_init();
	api_db_ready(w);
	FCGX_InitRequest(&q, api_listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!atomic_load(&api_stop)) {
		size_t hl;

		atomic_store(&t->state, API_W_ACCEPT);
		if (atomic_load(&api_stop))
			break;
		if (FCGX_Accept_r(&q) < 0) {
			atomic_store(&t->state, API_W_BUSY);
			if (atomic_load(&api_stop))
				break;
			usleep(1000);
			continue;
		}
		atomic_store(&t->state, API_W_BUSY);
		api_read_request(&q, &rq, body);
		api_handle(w, &rq);
		if (w->rs.status >= 500)
			log_warn("%s %s: %d", rq.method == API_PUT ? "PUT" : "GET",
			         rq.path ? rq.path : "?", w->rs.status);
		hl = api_resp_headers(&w->rs, head, sizeof(head));
		FCGX_PutStr(head, (int)hl, q.out);
		if (rq.method != API_HEAD && w->rs.status != 304 && w->rs.len > 0)
			FCGX_PutStr(w->rs.body, (int)w->rs.len, q.out);
		/*
		 * One request per connection: a libfcgi worker kept on an idle
		 * connection could not serve the others.
		 */
		q.keepConnection = 0;
		FCGX_Finish_r(&q);
	}
	atomic_store(&t->state, API_W_IDLE);
	FCGX_Free(&q, 1);
	db_close(w->db);
	w->db = NULL;
	db_close(w->rdb);
	w->rdb = NULL;
	free(w->rs.body);
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

static int
api_serve(struct cfg *c, long workers, long backlog, long mode)
{
	const char *spec = cfg_get(c, "api_socket", "/run/cairn/api.sock");
	const char *lfds = getenv("LISTEN_FDS"), *lpid = getenv("LISTEN_PID");
	struct api_thread *th = NULL;
	struct sigaction sa;
	sigset_t ss;
	char err[512];
	int own_unix = 0, sig = 0, rc = 1;
	long i;

	if (lfds != NULL && strcmp(lfds, "1") == 0 &&
	    (lpid == NULL || strtol(lpid, NULL, 10) == (long)getpid())) {
		api_listen_fd = 3;
		log_info("listening on the socket passed by systemd");
	} else if (spec[0] == '/') {
		api_listen_fd = api_unix_socket(spec, (int)backlog, mode, err,
		                                sizeof(err));
		own_unix = 1;
	} else {
		api_listen_fd = api_tcp_socket(spec, (int)backlog, err,
		                               sizeof(err));
	}
	if (api_listen_fd < 0) {
		fprintf(stderr, "cairn-api: %s\n", err);
		return 1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0) {
		fprintf(stderr, "cairn-api: cannot initialise libraries\n");
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = api_wake; /* no SA_RESTART: accept() returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigaddset(&ss, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	th = calloc((size_t)workers, sizeof(*th));
	if (th == NULL)
		goto out;
	for (i = 0; i < workers; i++) {
		th[i].w.idx = (int)i;
		th[i].w.cfg = c;
		if (pthread_create(&th[i].tid, NULL, api_worker_main, &th[i]) !=
		    0) {
			log_err("cannot start worker %ld", i);
			atomic_store(&api_stop, 1);
			break;
		}
		th[i].started = 1;
	}
	log_info("serving %s with %ld workers", spec, workers);
	sigdelset(&ss, SIGUSR1);
	while (!atomic_load(&api_stop)) {
		if (sigwait(&ss, &sig) == 0 && sig != SIGHUP)
			break;
	}
	log_info("stopping on signal %d: finishing requests in flight", sig);
	atomic_store(&api_stop, 1);
	FCGX_ShutdownPending();
	/* Wake the workers waiting in accept(); busy ones finish first. */
	for (;;) {
		int left = 0;

		for (i = 0; i < workers; i++) {
			if (!th[i].started)
				continue;
			if (pthread_tryjoin_np(th[i].tid, NULL) == 0) {
				th[i].started = 0;
				continue;
			}
			left++;
			if (atomic_load(&th[i].state) == API_W_ACCEPT)
				pthread_kill(th[i].tid, SIGUSR1);
		}
		if (left == 0)
			break;
		usleep(20000);
	}
	rc = 0;
out:
	free(th);
	if (own_unix) {
		close(api_listen_fd);
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
	long workers, backlog, mode, cache;
	struct cfg *c = NULL;
	char err[512], *end;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			api_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--check-config") == 0) {
			check = 1;
		} else if (strcmp(argv[i], "--dump-routes") == 0) {
			dump = 1;
		} else {
			fprintf(stderr, "cairn-api: unknown option %s (see "
			                "--help)\n",
			        argv[i]);
			return 2;
		}
	}
	if (dump) {
		json_t *j = api_routes_dump();

		json_dumpf(j, stdout, JSON_INDENT(1));
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
	if (api_setting(c, "api_workers", 4, 1, API_MAX_WORKERS, &workers) ||
	    api_setting(c, "api_listen_backlog", 128, 1, 65535, &backlog) ||
	    api_setting(c, "api_cache", 1, 0, 1, &cache))
		goto out;
	api_cache_enable((int)cache);
	mode = strtol(cfg_get(c, "api_socket_mode", "0666"), &end, 8);
	if (*end != '\0' || mode < 0 || mode > 0777) {
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
	rc = api_serve(c, workers, backlog, mode);
	api_cache_clear();
out:
	cfg_free(c);
	return rc;
}
