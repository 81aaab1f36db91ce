/* test_tf_settings.c: the first day on which two sets of effective-dated settings differ (tf_settings_diff) */
/* links: etl/transform */
#include <limits.h>
#include <stdio.h> /* snprintf */
#include <string.h>

#include "tf.h"
#include "test.h"

/* A set from a table of rows "name", from (day number), "value"; rows
 * sorted by name, from as tf_settings_load leaves them. */
struct row {
	const char *name;
	long from;
	const char *value;
};

static struct tf_settings
set_of(struct tf_set_row *buf, const struct row *r, size_t n)
{
	struct tf_settings s;
	size_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < n; i++) {
		snprintf(buf[i].name, sizeof(buf[i].name), "%s", r[i].name);
		buf[i].from = r[i].from;
		snprintf(buf[i].value, sizeof(buf[i].value), "%s", r[i].value);
		snprintf(buf[i].source, sizeof(buf[i].source), "user");
	}
	s.rows = buf;
	s.n = n;
	return s;
}

static void
test_diff(void)
{
	static const struct row base[] = {
	    {"ftp", 0, "250"}, {"ftp", 20000, "260"}, {"weight", 0, "70"}};
	static const struct row later[] = {{"ftp", 0, "250"},
	                                   {"ftp", 20000, "260"},
	                                   {"ftp", 20100, "270"},
	                                   {"weight", 0, "70"}};
	static const struct row moved[] = {
	    {"ftp", 0, "250"}, {"ftp", 19990, "260"}, {"weight", 0, "70"}};
	static const struct row base_changed[] = {
	    {"ftp", 0, "240"}, {"ftp", 20000, "260"}, {"weight", 0, "70"}};
	static const struct row new_name[] = {{"cp", 20050, "255"},
	                                      {"ftp", 0, "250"},
	                                      {"ftp", 20000, "260"},
	                                      {"weight", 0, "70"}};
	static const struct row same_value[] = {{"ftp", 0, "250"},
	                                        {"ftp", 20000, "260"},
	                                        {"ftp", 20100, "260"},
	                                        {"weight", 0, "70"}};
	static const struct row dated_only[] = {{"ftp", 20000, "260"}};
	static const struct row dated_earlier[] = {{"ftp", 19000, "260"}};
	struct tf_set_row b1[8], b2[8];
	struct tf_settings a = set_of(b1, base, 3), b;

	b = set_of(b2, base, 3);
	T_OK(tf_settings_diff(&a, &b) == LONG_MAX,
	     "the same rows never differ");
	b = set_of(b2, later, 4);
	T_OK(tf_settings_diff(&a, &b) == 20100,
	     "a new dated value differs from its day on");
	T_OK(tf_settings_diff(&b, &a) == 20100, "and the other way round");
	b = set_of(b2, moved, 3);
	T_OK(tf_settings_diff(&a, &b) == 19990,
	     "a row moved earlier differs from the earlier day");
	b = set_of(b2, base_changed, 3);
	T_OK(tf_settings_diff(&a, &b) == LONG_MIN,
	     "a changed base value differs from the start");
	b = set_of(b2, new_name, 4);
	T_OK(tf_settings_diff(&a, &b) == LONG_MIN,
	     "a new setting holds before its first day too (the earliest "
	     "value rule): from the start");
	b = set_of(b2, same_value, 4);
	T_OK(tf_settings_diff(&a, &b) == LONG_MAX,
	     "a new row with the value already in force changes nothing");
	a = set_of(b1, dated_only, 1);
	b = set_of(b2, dated_earlier, 1);
	T_OK(tf_settings_diff(&a, &b) == LONG_MAX,
	     "one dated row, same value, other day: the same values on every "
	     "day (the earliest value holds before it)");
}

static void
test_sig(void)
{
	T_OK(!tf_sig_rest_differs("00aa/11bbw90", "00cc/11bbw90"),
	     "sigs differing in their rows only");
	T_OK(tf_sig_rest_differs("00aa/11bbw90", "00aa/11bcw90"),
	     "zones differ");
	T_OK(tf_sig_rest_differs("00aa/11bbw90", "00aa/11bbw42"),
	     "the model window differs");
	T_OK(tf_sig_rest_differs("00aa/11bbw90", "00aa11bbw90"),
	     "a sig of the old form (no '/') counts as different");
}

int
main(void)
{
	test_diff();
	test_sig();
	return T_DONE();
}
