/* test_migrate.c: unit tests of cairn-migrate's statement splitter */
/* links: etl/migrate */
#include <string.h> /* strstr */

#include "migrate.h"
#include "test.h"

int
main(void)
{
	char sql[] = "-- a comment; with a semicolon\n"
	             "CREATE TABLE a (x INT); -- trailing\n"
	             "INSERT INTO a VALUES ('semi;colon'), (\"q;\");\n"
	             "/* block; comment */ SELECT 1;\n"
	             "SELECT 'it\\'s;';\n"
	             "SELECT 2";
	char *st[10];
	int lines[10];
	size_t n = mig_split(sql, st, lines, 10);

	T_OK(n == 5, "five statements (got %zu)", n);
	T_OK(n >= 2 && strstr(st[1], "'semi;colon'") != NULL &&
	         strstr(st[1], "\"q;\"") != NULL,
	     "semicolons inside quotes do not split");
	T_OK(n >= 1 && strstr(st[0], "CREATE TABLE") != NULL && lines[0] == 2,
	     "the first statement starts on line 2, after the comment");
	T_OK(n >= 3 && strstr(st[2], "SELECT 1") != NULL,
	     "a block comment holding a semicolon does not split");
	T_OK(n >= 4 && strstr(st[3], "it\\'s;") != NULL,
	     "an escaped quote does not end the string");
	T_OK(n >= 5 && strstr(st[4], "SELECT 2") != NULL && lines[4] == 6,
	     "a last statement without a semicolon counts (line 6)");
	return T_DONE();
}
