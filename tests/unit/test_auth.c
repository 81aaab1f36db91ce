/* test_auth.c: cairn-api's account helpers: SHA-256 vectors, cookie and query parsing, secrets, loopback check */
/* links: cgi-bin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "api_auth.h"
#include "cfg.h"
#include "test.h"

static void
hex(const unsigned char *h, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

int
main(void)
{
	/* FIPS 180-4 examples, plus lengths around the padding edges. */
	static const struct {
		const char *in;
		const char *want;
	} v[] = {
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b"
	         "855"},
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2"
	            "0015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c"
	     "1"},
	    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoi"
	     "jklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d"
	     "1"},
	};
	unsigned char h[32];
	char got[65], buf[128], a[65], b[65];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		api_sha256(v[i].in, strlen(v[i].in), h);
		hex(h, got);
		T_OK(strcmp(got, v[i].want) == 0, "sha256 of %zu bytes",
		     strlen(v[i].in));
	}
	{
		char m[1000];

		memset(m, 'a', sizeof(m));
		api_sha256(m, 64, h); /* one full block plus a padding block */
		hex(h, got);
		T_OK(strcmp(got, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0"
		                 "ba5997337df154668eb") == 0,
		     "sha256 of 64 'a'");
	}

	T_OK(api_cookie_get("a=1; cairn_session=abc; b=2", "cairn_session", buf,
	                    sizeof(buf)) == 0 &&
	         strcmp(buf, "abc") == 0,
	     "cookie among others");
	T_OK(api_cookie_get("xcairn_session=abc", "cairn_session", buf,
	                    sizeof(buf)) != 0,
	     "cookie name must match whole");
	T_OK(api_cookie_get(NULL, "cairn_session", buf, sizeof(buf)) != 0,
	     "no cookie header");
	T_OK(api_cookie_get("cairn_session=0123456789", "cairn_session", buf,
	                    5) != 0,
	     "too long a cookie is refused, not cut");

	T_OK(api_query_get("hub.mode=subscribe&hub.challenge=a%20b+c&x=",
	                   "hub.challenge", buf, sizeof(buf)) == 0 &&
	         strcmp(buf, "a b c") == 0,
	     "query value decoded");
	T_OK(api_query_get("state=abc", "stat", buf, sizeof(buf)) != 0,
	     "query name must match whole");
	T_OK(api_query_get("code=%00x", "code", buf, sizeof(buf)) != 0,
	     "NUL in a query value refused");
	T_OK(api_query_get("code=%zz", "code", buf, sizeof(buf)) != 0,
	     "bad escape refused");
	T_OK(api_query_get("scope=read,activity:read_all", "scope", buf,
	                   sizeof(buf)) == 0 &&
	         strcmp(buf, "read,activity:read_all") == 0,
	     "scope list");

	T_OK(api_secret_eq("token", "token"), "equal secrets");
	T_OK(!api_secret_eq("token", "tokeN"), "different secrets");
	T_OK(!api_secret_eq("tok", "token"), "prefix is not equal");
	T_OK(!api_secret_eq("", ""), "empty never matches");

	T_OK(api_random_hex(a, sizeof(a), 32) == 0 && strlen(a) == 64,
	     "64 hex digits");
	T_OK(api_random_hex(b, sizeof(b), 32) == 0 && strcmp(a, b) != 0,
	     "two tokens differ");
	T_OK(api_random_hex(a, 10, 32) != 0, "small buffer refused");

	{
		char path[] = "/tmp/cairn-test-auth-XXXXXX", err[256];
		int fd = mkstemp(path);
		struct cfg *c;
		struct api_resp rs;

		if (fd >= 0) {
			T_OK(write(fd, "log_level = info\n", 17) == 17,
			     "config written");
			close(fd);
		}
		c = cfg_load(path, err, sizeof(err));
		T_OK(c != NULL, "config loads");
		memset(&rs, 0, sizeof(rs));
		api_set_cookie(&rs, c, "cairn_session", "abc", 3600);
		T_OK(strcmp(
		         rs.extra,
		         "Set-Cookie: cairn_session=abc; Path=/; Max-Age=3600; "
		         "HttpOnly; SameSite=Lax; Secure\r\n") == 0,
		     "the session cookie is Secure unless told otherwise");
		rs.extra[0] = '\0';
		cfg_set(c, "cookie_secure", "0");
		api_set_cookie(&rs, c, "cairn_session", NULL, 3600);
		T_OK(strcmp(rs.extra,
		            "Set-Cookie: cairn_session=; Path=/; Max-Age=0; "
		            "HttpOnly; SameSite=Lax\r\n") == 0,
		     "clearing: empty, Max-Age=0; cookie_secure = 0 drops "
		     "Secure");
		rs.extra[0] = '\0';
		api_redirect(&rs, "/login.html?error=scope");
		T_OK(rs.status == 302 &&
		         strstr(rs.extra,
		                "Location: /login.html?error=scope\r\n") !=
		             NULL,
		     "redirect");
		cfg_free(c);
		unlink(path);
	}

	T_OK(api_loopback("127.0.0.1") && api_loopback("::1") &&
	         api_loopback("127.1.2.3"),
	     "loopback addresses");
	T_OK(!api_loopback("0.0.0.0") && !api_loopback("192.168.1.2") &&
	         !api_loopback("::"),
	     "other addresses are not loopback");
	return T_DONE();
}
