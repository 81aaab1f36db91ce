/* api_host.c: the Host names cairn-api answers to, its defence against DNS rebinding */
#include <stdlib.h>  /* strtol */
#include <string.h>  /* strlen, strchr, memchr */
#include <strings.h> /* strncasecmp */

#include "api.h"
#include "cfg.h"

/*
 * A page on another site can make the browser send requests to the local
 * stack by resolving its own name to 127.0.0.1 (DNS rebinding); the browser
 * then treats the answers as that site's and lets it read them. What such
 * requests cannot change is the Host header: it carries the other site's
 * name. So the API answers only to names it knows: the loopback names
 * (localhost, 127.0.0.1, [::1]), the host of public_url and of
 * strava_redirect_uri, and the names listed in allowed_hosts. A loopback
 * name is accepted on any port: no other site's page can send it, and a
 * second stack or a test front on another port stays usable. A request
 * without a Host header (HTTP/1.0, or FastCGI without nginx) comes from no
 * browser and is answered.
 */

/* A host[:port] split: name (without brackets) and port, -1 when absent. */
struct api_hostport {
	const char *name;
	size_t len;
	long port;
};

/* Split s[0..n) into name and port: 0, or -1 when it is no host[:port]. */
static int
api_host_split(const char *s, size_t n, struct api_hostport *hp)
{
	const char *colon = NULL;
	char num[8];
	char *end;
	size_t plen;

	hp->name = s;
	hp->len = n;
	hp->port = -1;
	if (n == 0)
		return -1;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		if (rb == NULL)
			return -1;
		hp->name = s + 1;
		hp->len = (size_t)(rb - s) - 1;
		if ((size_t)(rb - s) + 1 < n) {
			if (rb[1] != ':')
				return -1;
			colon = rb + 1;
		}
	} else {
		colon = memchr(s, ':', n);
		if (colon != NULL &&
		    memchr(colon + 1, ':', n - (size_t)(colon - s) - 1) != NULL)
			return -1;
		if (colon != NULL)
			hp->len = (size_t)(colon - s);
	}
	if (colon != NULL) {
		plen = n - (size_t)(colon - s) - 1;
		if (plen == 0 || plen >= sizeof(num) || colon[1] < '0' ||
		    colon[1] > '9')
			return -1;
		memcpy(num, colon + 1, plen);
		num[plen] = '\0';
		hp->port = strtol(num, &end, 10);
		if (*end != '\0' || hp->port > 65535)
			return -1;
	}
	/* "localhost." names the same host as "localhost". */
	if (hp->len > 0 && hp->name[hp->len - 1] == '.')
		hp->len--;
	return hp->len > 0 ? 0 : -1;
}

static int
api_host_name_is(const struct api_hostport *hp, const char *name)
{
	size_t n = strlen(name);

	return hp->len == n && strncasecmp(hp->name, name, n) == 0;
}

static int
api_host_loopback(const struct api_hostport *hp)
{
	return api_host_name_is(hp, "localhost") ||
	       api_host_name_is(hp, "127.0.0.1") || api_host_name_is(hp, "::1");
}

/* Does the Host `h` name the host of `url` (scheme://[user@]host[:port]/...)?
 * A missing port is the scheme's own (http 80, https 443). */
static int
api_host_of_url(const struct api_hostport *h, const char *url)
{
	struct api_hostport u;
	const char *a, *e, *at;
	long def, hport, uport;

	if (url == NULL || (a = strstr(url, "://")) == NULL)
		return 0;
	def = strncasecmp(url, "https", 5) == 0 ? 443 : 80;
	a += 3;
	e = a + strcspn(a, "/?#");
	at = memchr(a, '@', (size_t)(e - a));
	if (at != NULL)
		a = at + 1;
	if (api_host_split(a, (size_t)(e - a), &u) != 0)
		return 0;
	hport = h->port >= 0 ? h->port : def;
	uport = u.port >= 0 ? u.port : def;
	return h->len == u.len && strncasecmp(h->name, u.name, u.len) == 0 &&
	       hport == uport;
}

/* Is `h` one of the entries of `list` (names or name:port, separated by
 * commas or blanks; an entry without a port matches every port)? */
static int
api_host_listed(const struct api_hostport *h, const char *list)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		struct api_hostport e;
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n > 0 && api_host_split(p, n, &e) == 0 && e.len == h->len &&
		    strncasecmp(e.name, h->name, e.len) == 0 &&
		    (e.port < 0 || e.port == h->port))
			return 1;
		p += n;
	}
	return 0;
}

int
api_host_ok(const char *host, const char *public_url, const char *redirect_uri,
            const char *allowed)
{
	struct api_hostport h;

	if (host == NULL)
		return 1;
	if (api_host_split(host, strlen(host), &h) != 0)
		return 0;
	return api_host_loopback(&h) || api_host_of_url(&h, public_url) ||
	       api_host_of_url(&h, redirect_uri) ||
	       api_host_listed(&h, allowed);
}

int
api_host_check(const struct cfg *c, const char *host, struct api_resp *rs)
{
	/* cfg_get answers NULL for every key of a NULL c (tests). */
	if (api_host_ok(host, cfg_get(c, "public_url", NULL),
	                cfg_get(c, "strava_redirect_uri", NULL),
	                cfg_get(c, "allowed_hosts", NULL)))
		return 0;
	return api_error(
	    rs, 421, "host_not_allowed", NULL,
	    "this server answers to localhost, 127.0.0.1 and the "
	    "host of public_url, not to '%.64s': open Cairn by one "
	    "of those names, or add the name to allowed_hosts",
	    host);
}
