/* test_api_host.c: the Host names cairn-api answers to (api_host.c), case by case */
/* links: cgi-bin */
#include <string.h> /* memset */

#include "api.h"
#include "test.h"

#define LOCAL "http://127.0.0.1:8080"
#define PROD "https://cairn.example.org"

/* Host header, public_url, strava_redirect_uri, allowed_hosts, answer. */
static const struct {
	const char *host, *pub, *redir, *allowed;
	int ok;
} cases[] = {
    /* The loopback names, on any port: no other site can send them. */
    {"127.0.0.1:8080", LOCAL, NULL, NULL, 1},
    {"localhost:8080", LOCAL, NULL, NULL, 1},
    {"LOCALHOST:8080", LOCAL, NULL, NULL, 1},
    {"localhost.:8080", LOCAL, NULL, NULL, 1},
    {"[::1]:8080", LOCAL, NULL, NULL, 1},
    {"localhost:9090", LOCAL, NULL, NULL, 1},
    {"127.0.0.1", NULL, NULL, NULL, 1},
    /* No Host header: no browser sent it. */
    {NULL, LOCAL, NULL, NULL, 1},
    /* Another site's name that resolves to 127.0.0.1: refused. */
    {"evil.example:8080", LOCAL, NULL, NULL, 0},
    {"evil.example", NULL, NULL, NULL, 0},
    {"127.0.0.1.evil.example:8080", LOCAL, NULL, NULL, 0},
    {"localhost.evil.example", LOCAL, NULL, NULL, 0},
    {"127.0.0.2:8080", LOCAL, NULL, NULL, 0},
    {"", LOCAL, NULL, NULL, 0},
    /* Not a host[:port]. */
    {"localhost:", LOCAL, NULL, NULL, 0},
    {"localhost:80x", LOCAL, NULL, NULL, 0},
    {"localhost:99999", LOCAL, NULL, NULL, 0},
    {"localhost:8080:1", LOCAL, NULL, NULL, 0},
    {"[::1", LOCAL, NULL, NULL, 0},
    {"[::1]x", LOCAL, NULL, NULL, 0},
    {":8080", LOCAL, NULL, NULL, 0},
    /* The host of public_url, with the scheme's port when none is given. */
    {"cairn.example.org", PROD, NULL, NULL, 1},
    {"Cairn.Example.Org:443", PROD, NULL, NULL, 1},
    {"cairn.example.org:8443", PROD, NULL, NULL, 0},
    {"cairn.example.org:80", PROD, NULL, NULL, 0},
    {"cairn.example.org", "http://cairn.example.org:80/", NULL, NULL, 1},
    {"cairn.example.org", "https://me@cairn.example.org/cairn", NULL, NULL, 1},
    {"other.example.org", PROD, NULL, NULL, 0},
    /* The host of strava_redirect_uri. */
    {"auth.example.org", PROD, "https://auth.example.org/auth/callback", NULL,
     1},
    /* allowed_hosts: names (any port) or name:port. */
    {"box.tail1234.ts.net:8080", LOCAL, NULL, "box.tail1234.ts.net", 1},
    {"nas:8080", LOCAL, NULL, "box, nas:8080", 1},
    {"nas:8081", LOCAL, NULL, "box, nas:8080", 0},
    {"nas", LOCAL, NULL, "box nas:8080", 0},
    {"box", LOCAL, NULL, "box nas:8080", 1},
    {"bo", LOCAL, NULL, "box", 0},
};

int
main(void)
{
	struct api_resp rs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(api_host_ok(cases[i].host, cases[i].pub, cases[i].redir,
		                 cases[i].allowed) == cases[i].ok,
		     "Host '%s' (public_url %s, allowed_hosts %s) is %s",
		     cases[i].host ? cases[i].host : "(none)",
		     cases[i].pub ? cases[i].pub : "-",
		     cases[i].allowed ? cases[i].allowed : "-",
		     cases[i].ok ? "answered" : "refused");

	/* Without settings only the loopback names pass; a refusal is a 421
	 * whose message names the Host it refused. */
	memset(&rs, 0, sizeof(rs));
	T_OK(api_host_check(NULL, "localhost:1", &rs) == 0,
	     "without settings, localhost is answered");
	T_OK(api_host_check(NULL, "evil.example", &rs) == 421 &&
	         rs.status == 421 && rs.body != NULL &&
	         strstr(rs.body, "host_not_allowed") != NULL &&
	         strstr(rs.body, "evil.example") != NULL,
	     "without settings, another name gets 421 host_not_allowed, "
	     "naming it");
	T_OK(strcmp(api_status_text(421), "Misdirected Request") == 0,
	     "421 is sent as Misdirected Request");
	api_resp_free(&rs);
	return T_DONE();
}
