/* ex_cli.c: cairn-extract's command line: auth, sync, --events; exit statuses */
#include "ex_cli.h"

#include <stdio.h>  /* printf, fgets */
#include <stdlib.h> /* strtoll, srand, free */
#include <string.h> /* strcmp */
#include <time.h>   /* time, gmtime_r, strftime */
#include <unistd.h> /* isatty, getpid */

#include <curl/curl.h>

#include "cfg.h"
#include "db.h"
#include "ex_account.h"
#include "ex_budget.h"
#include "ex_ctx.h"
#include "ex_events.h"
#include "ex_exit.h"
#include "ex_http.h"
#include "ex_oauth.h"
#include "ex_rate.h"
#include "ex_sql.h"
#include "ex_store.h"
#include "ex_subscribe.h"
#include "ex_sync.h"
#include "ex_turn.h"
#include "log.h"

static void
ex_usage(FILE *f)
{
	fprintf(f,
	        "usage: cairn-extract [--config FILE] [sync] [--athlete ID] "
	        "[--full]\n"
	        "       cairn-extract [--config FILE] sync --requested\n"
	        "       cairn-extract [--config FILE] auth [--code CODE|-] "
	        "[--scope SCOPE] [--demo]\n"
	        "       cairn-extract [--config FILE] drop-demo\n"
	        "       cairn-extract [--config FILE] --events\n"
	        "\n"
	        "Fetches Strava data into cairn_raw.\n"
	        "  auth              print the URL that authorises Cairn "
	        "(scope " EX_SCOPE ")\n"
	        "  auth --code CODE  exchange the code from the redirect "
	        "(`-`: read it from stdin)\n"
	        "                    and store the athlete and its tokens; "
	        "a lone import-only\n"
	        "                    athlete is adopted (docs/EXTRACT.md); "
	        "--demo marks it the\n"
	        "                    local stack's demo athlete\n"
	        "  drop-demo         delete every demo athlete and all of "
	        "its data\n"
	        "  sync              (default) fetch what is new since the "
	        "last run, for every\n"
	        "                    authorised athlete or the one of "
	        "--athlete\n"
	        "  --requested       sync the athletes whose \"Sync now\" is "
	        "queued (the\n"
	        "                    dashboard's Data page), each request "
	        "marked running, then\n"
	        "                    done or failed with why\n"
	        "  --full            walk the whole activity list: apply "
	        "changes and deletions\n"
	        "  --events          apply queued webhook events and the "
	        "dashboard's account\n"
	        "                    requests (webhook fetches go first in "
	        "the shared budget)\n"
	        "  subscribe [--callback URL], unsubscribe [--id ID], "
	        "subscriptions\n"
	        "                    manage Strava's webhook subscription "
	        "(callback: public_url\n"
	        "                    + /webhook/strava)\n"
	        "\n"
	        "Settings (docs/CONFIG.md): strava_api_url, strava_oauth_url, "
	        "strava_client_id,\n"
	        "strava_client_secret, strava_redirect_uri, lookback_days, "
	        "rate_window_seconds,\n"
	        "fetch_detail, http_timeout, ... (environment: "
	        "CAIRN_<KEY>).\n"
	        "\n"
	        "Exit status:\n"
	        "  0  done; also when the daily request budget is spent (what "
	        "is fetched is\n"
	        "     committed, the message says when to run again)\n"
	        "  1  failed (nothing wrong was committed)\n"
	        "  2  usage or configuration error\n"
	        "  3  partial: some activities were skipped (malformed or "
	        "failing answers)\n"
	        "     or another cairn-extract was syncing an athlete; a rerun "
	        "retries them\n"
	        "  4  stopped for the rate limit: Strava kept answering 429 "
	        "although the\n"
	        "     budget had room (resume later)\n"
	        "  5  an athlete needs re-authorisation (token revoked); "
	        "nothing stored changed\n");
}

/* Priority when athletes end differently: failed, reauth, rate, partial. */
static int
ex_exit_of(enum ex_status s)
{
	switch (s) {
	case EX_ST_OK:
	case EX_ST_DAILY:
		return EX_EXIT_OK;
	case EX_ST_PARTIAL:
	case EX_ST_BUSY:
		return EX_EXIT_PARTIAL;
	case EX_ST_FAILED:
		return EX_EXIT_FAILED;
	case EX_ST_REAUTH:
		return EX_EXIT_REAUTH;
	case EX_ST_RATE:
		return EX_EXIT_RATE;
	}
	return EX_EXIT_FAILED;
}

static int
ex_exit_rank(int code)
{
	static const int rank[] = {0, 5, 0, 2, 3, 4};

	return code >= 0 && code <= 5 ? rank[code] : 5;
}

static int
ex_settings(struct ex_ctx *x, char *err, size_t errlen)
{
	const char *api, *oauth;
	long hours;

	api =
	    cfg_get(x->cfg, "strava_api_url", "https://www.strava.com/api/v3");
	oauth =
	    cfg_get(x->cfg, "strava_oauth_url", "https://www.strava.com/oauth");
	if (snprintf(x->api_url, sizeof(x->api_url), "%s", api) >=
	        (int)sizeof(x->api_url) ||
	    snprintf(x->oauth_url, sizeof(x->oauth_url), "%s", oauth) >=
	        (int)sizeof(x->oauth_url)) {
		snprintf(err, errlen,
		         "strava_api_url or strava_oauth_url is "
		         "too long");
		return -1;
	}
	/* no trailing slash: paths start with one */
	while (strlen(x->api_url) > 0 &&
	       x->api_url[strlen(x->api_url) - 1] == '/')
		x->api_url[strlen(x->api_url) - 1] = '\0';
	while (strlen(x->oauth_url) > 0 &&
	       x->oauth_url[strlen(x->oauth_url) - 1] == '/')
		x->oauth_url[strlen(x->oauth_url) - 1] = '\0';
	if (cfg_get_long(x->cfg, "lookback_days", 7, 0, 3650, &x->lookback_days,
	                 err, errlen) != 0 ||
	    cfg_get_long(x->cfg, "fetch_detail", 0, 0, 1, &x->fetch_detail, err,
	                 errlen) != 0 ||
	    cfg_get_long(x->cfg, "athlete_refresh_hours", 24, 0, 8760, &hours,
	                 err, errlen) != 0 ||
	    cfg_get_long(x->cfg, "http_retries", 5, 0, 20, &x->retries, err,
	                 errlen) != 0 ||
	    cfg_get_long(x->cfg, "http_backoff_ms", 500, 1, 600000,
	                 &x->backoff_ms, err, errlen) != 0 ||
	    cfg_get_long(x->cfg, "max_429_waits", 4, 0, 100, &x->max_429, err,
	                 errlen) != 0)
		return -1;
	x->athlete_refresh = hours * 3600;
	return 0;
}

/* Read a code from stdin (`--code -`), trimmed. */
static int
ex_read_code(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	while (n > 0 &&
	       (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}

static int
ex_cmd_auth(struct ex_ctx *x, const char *code, const char *scope, int demo)
{
	char url[2048], err[256], buf[512];
	long long athlete = 0;

	if (code == NULL) {
		if (ex_oauth_authorize_url(x, url, sizeof(url), err,
		                           sizeof(err)) != 0)
			return EX_EXIT_USAGE;
		printf("Open this URL, authorise Cairn, then run\n"
		       "  cairn-extract auth --code CODE\n"
		       "with the code= value of the page Strava sends you "
		       "to:\n%s\n",
		       url);
		return EX_EXIT_OK;
	}
	if (strcmp(code, "-") == 0) {
		if (ex_read_code(buf, sizeof(buf)) != 0) {
			log_err("no code on standard input");
			return EX_EXIT_USAGE;
		}
		code = buf;
	}
	return ex_oauth_exchange(x, code, scope, demo, &athlete);
}

static int
ex_cmd_sync(struct ex_ctx *x, long long only, int full, struct ex_totals *t)
{
	long long *ids = NULL;
	enum ex_status *par = NULL;
	size_t n = 0, i;
	int code = EX_EXIT_OK;

	if (only > 0) {
		ids = malloc(sizeof(*ids));
		if (ids == NULL)
			return EX_EXIT_FAILED;
		ids[0] = only;
		n = 1;
	} else if (ex_store_syncable(x, &ids, &n) != 0) {
		log_err("cannot list the athletes: %s", x->db->err);
		return EX_EXIT_FAILED;
	}
	if (n == 0)
		log_warn("no authorised athlete: run `cairn-extract auth` "
		         "first");
	/* several athletes: in parallel, sharing the budget round robin */
	par = ex_budget_sync_all(x, ids, n, full, t);
	for (i = 0; i < n; i++) {
		enum ex_status s;

		ex_turn_set(&x->turn, ids[i], EX_PRIO_SYNC);
		s = par != NULL ? par[i] : ex_sync_athlete(x, ids[i], full, t);
		int c = ex_exit_of(s);

		if (ex_exit_rank(c) > ex_exit_rank(code))
			code = c;
		if (s == EX_ST_DAILY) {
			char ts[32];
			time_t at = (time_t)ex_rate_day_reset(x);
			struct tm tm;

			gmtime_r(&at, &tm);
			strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
			log_warn("daily request budget spent (%ld of %ld): "
			         "%ld activities stored this run, all "
			         "committed; run again after %s and the sync "
			         "goes on where it stopped",
			         x->rate.day_used, x->rate.day_limit, t->stored,
			         ts);
			break;
		}
	}
	ex_turn_leave(&x->turn, x->db);
	free(par);
	free(ids);
	return code;
}

/* What a "Sync now" request says when its sync ended with s. */
static const char *
ex_requested_end(enum ex_status s, const char **status)
{
	*status = "done";
	switch (s) {
	case EX_ST_OK:
		return NULL;
	case EX_ST_DAILY:
		return "the daily Strava request budget is spent: the rest "
		       "comes with the next run";
	case EX_ST_PARTIAL:
		return "some activities were skipped: the next run retries "
		       "them";
	default:
		break;
	}
	*status = "failed";
	switch (s) {
	case EX_ST_REAUTH:
		return "Strava refused the athlete's token: authorise Cairn "
		       "again";
	case EX_ST_RATE:
		return "stopped for Strava's rate limit: run it again later";
	case EX_ST_BUSY:
		return "another sync of this athlete was running";
	default:
		return "the sync failed (see the log of cairn-extract)";
	}
}

/* Run the queued "Sync now" requests (cairn_app.sync_request), oldest
 * first, one athlete at a time; each ends done or failed with why. */
static int
ex_cmd_requested(struct ex_ctx *x, struct ex_totals *t)
{
	long long ids[100], ath[100];
	struct db_res res;
	int n = 0, i, f, code = EX_EXIT_OK;

	if (db_exec(x->db, EX_SQL_SYNC_REQ_STALE, NULL, 0) < 0 ||
	    db_query(x->db, EX_SQL_SYNC_REQ_QUEUED, NULL, 0, &res) != 0) {
		log_err("cannot read the sync requests: %s", x->db->err);
		return EX_EXIT_FAILED;
	}
	while (n < 100 && (f = db_fetch(&res)) == 1) {
		ids[n] = db_i64(&res, 0);
		ath[n++] = db_i64(&res, 1);
	}
	db_res_free(&res);
	if (f < 0) {
		log_err("cannot read the sync requests: %s", x->db->err);
		return EX_EXIT_FAILED;
	}
	for (i = 0; i < n; i++) {
		struct db_param p[] = {DB_I64(ids[i])};
		const char *status, *msg;
		enum ex_status s;
		long long got;
		int c;

		got = db_exec(x->db, EX_SQL_SYNC_REQ_CLAIM, p, 1);
		if (got < 0) {
			log_err("cannot claim sync request %lld: %s", ids[i],
			        x->db->err);
			code = EX_EXIT_FAILED;
			continue;
		}
		if (got == 0)
			continue; /* another run took it */
		log_info("sync request %lld of athlete %lld", ids[i], ath[i]);
		ex_turn_set(&x->turn, ath[i], EX_PRIO_SYNC);
		s = ex_sync_athlete(x, ath[i], 0, t);
		c = ex_exit_of(s);
		if (ex_exit_rank(c) > ex_exit_rank(code))
			code = c;
		msg = ex_requested_end(s, &status);
		{
			struct db_param q[] = {DB_STR(status),
			                       msg ? DB_STR(msg) : DB_NULL,
			                       DB_I64(ids[i])};

			if (db_exec(x->db, EX_SQL_SYNC_REQ_END, q, 3) < 0) {
				log_err("cannot end sync request %lld: %s",
				        ids[i], x->db->err);
				code = EX_EXIT_FAILED;
			}
		}
	}
	ex_turn_leave(&x->turn, x->db);
	return code;
}

int
ex_cli_main(int argc, char **argv)
{
	const char *config = NULL, *code = NULL, *scope = NULL;
	int i, cmd_auth = 0, events = 0, full = 0, rc = EX_EXIT_USAGE;
	int demo = 0, drop_demo = 0, requested = 0;
	long long only = 0;
	struct ex_ctx x;
	struct ex_totals tot;
	struct cfg *c = NULL;
	char err[512];

	if (ex_sub_is_cmd(argc, argv)) /* subscribe, unsubscribe, ... */
		return ex_sub_main(argc, argv);
	memset(&x, 0, sizeof(x));
	memset(&tot, 0, sizeof(tot));
	log_init("cairn-extract", NULL);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			ex_usage(stdout);
			return EX_EXIT_OK;
		} else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (strcmp(a, "auth") == 0 && i == 1 + 2 * !!config) {
			cmd_auth = 1;
		} else if (strcmp(a, "drop-demo") == 0 &&
		           i == 1 + 2 * !!config) {
			drop_demo = 1;
		} else if (strcmp(a, "sync") == 0) {
			continue;
		} else if (strcmp(a, "--demo") == 0) {
			demo = 1;
		} else if (strcmp(a, "--code") == 0 && i + 1 < argc) {
			code = argv[++i];
		} else if (strcmp(a, "--scope") == 0 && i + 1 < argc) {
			scope = argv[++i];
		} else if (strcmp(a, "--athlete") == 0 && i + 1 < argc) {
			char *end;

			only = strtoll(argv[++i], &end, 10);
			if (*end != '\0' || only <= 0) {
				fprintf(stderr, "cairn-extract: --athlete "
				                "takes a Strava athlete id\n");
				return EX_EXIT_USAGE;
			}
		} else if (strcmp(a, "--requested") == 0) {
			requested = 1;
		} else if (strcmp(a, "--full") == 0) {
			full = 1;
		} else if (strcmp(a, "--events") == 0) {
			events = 1;
		} else {
			fprintf(stderr,
			        "cairn-extract: unknown argument '%s'\n", a);
			ex_usage(stderr);
			return EX_EXIT_USAGE;
		}
	}
	if (requested && (cmd_auth || events || drop_demo || full || only)) {
		fprintf(stderr, "cairn-extract: --requested is a sync of its "
		                "own: no --athlete, --full or other command\n");
		return EX_EXIT_USAGE;
	}
	if ((code != NULL || scope != NULL || demo) && !cmd_auth) {
		fprintf(stderr, "cairn-extract: --code, --scope and --demo "
		                "belong to `auth`\n");
		return EX_EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "cairn-extract: cannot initialise libcurl\n");
		return EX_EXIT_FAILED;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	c = cfg_load(config, err, sizeof(err));
	if (c == NULL) {
		fprintf(stderr, "cairn-extract: %s\n", err);
		goto out;
	}
	log_init("cairn-extract", cfg_get(c, "log_level", "info"));
	x.cfg = c;
	x.tty = isatty(2);
	x.t0 = ex_now();
	if (ex_settings(&x, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto out;
	}
	x.http = ex_http_open(c, err, sizeof(err));
	if (x.http == NULL) {
		log_err("%s", err);
		goto out;
	}
	if (cmd_auth && code == NULL) {
		rc = ex_cmd_auth(&x, NULL, NULL, 0);
		goto out;
	}
	x.db = db_open(c, DB_ETL, ex_sql, EX_SQL_COUNT, err, sizeof(err));
	if (x.db == NULL) {
		log_err("%s", err);
		rc = EX_EXIT_FAILED;
		goto out;
	}
	if (ex_rate_init(&x, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto out;
	}
	if (events)
		rc = ex_events_run(&x);
	else if (drop_demo)
		rc =
		    ex_account_drop_demo(&x) == 0 ? EX_EXIT_OK : EX_EXIT_FAILED;
	else if (cmd_auth)
		rc = ex_cmd_auth(&x, code, scope, demo);
	else if (requested)
		rc = ex_cmd_requested(&x, &tot);
	else
		rc = ex_cmd_sync(&x, only, full, &tot);
	log_info("run: %s; %ld activities stored, %ld skipped, %ld deleted; "
	         "%ld requests (%ld retries, %ld answers 429, %ld waits for "
	         "the rate window) in %.1f s",
	         rc == 0 ? "done" : "ended with problems", tot.stored,
	         tot.skipped, tot.deleted, x.requests, x.n_retries, x.n_429,
	         x.rate.waits, ex_now() - x.t0);
	fprintf(stderr,
	        "extract-stats activities=%ld requests=%ld seconds=%.2f\n",
	        tot.stored, x.requests, ex_now() - x.t0);
out:
	db_close(x.db);
	ex_http_close(x.http);
	cfg_free(c);
	curl_global_cleanup();
	return rc;
}
