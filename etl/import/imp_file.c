/* imp_file.c: dispatch an activity file to the FIT, GPX or TCX reader */
#include "imp_file.h"

#include <stdio.h> /* snprintf */

#include "fit.h"
#include "gpx.h"
#include "tcx.h"

enum imp_fmt
imp_file_format(const char *name)
{
	if (imp_has_ext(name, ".fit") || imp_has_ext(name, ".fit.gz"))
		return IMP_F_FIT;
	if (imp_has_ext(name, ".gpx") || imp_has_ext(name, ".gpx.gz"))
		return IMP_F_GPX;
	if (imp_has_ext(name, ".tcx") || imp_has_ext(name, ".tcx.gz"))
		return IMP_F_TCX;
	return IMP_F_NONE;
}

int
imp_file_read(struct imp_in *in, enum imp_fmt fmt, struct imp_activity *a,
              char *err, size_t errlen)
{
	switch (fmt) {
	case IMP_F_FIT:
		return fit_read(in, a, err, errlen);
	case IMP_F_GPX:
		return gpx_read(in, a, err, errlen);
	case IMP_F_TCX:
		return tcx_read(in, a, err, errlen);
	case IMP_F_NONE:
		break;
	}
	snprintf(err, errlen, "not a .fit, .gpx or .tcx file");
	return -1;
}

int
imp_file_load(const char *path, struct imp_activity *a, struct imp_summary *s,
              char *err, size_t errlen)
{
	struct imp_in in;
	int rc = -1;

	if (imp_in_file(&in, path) != 0) {
		snprintf(err, errlen, "%s", in.err);
		goto out;
	}
	rc = imp_file_read(&in, imp_file_format(path), a, err, errlen);
	imp_in_close(&in);
	if (rc == 0)
		rc = imp_activity_finish(a, s, err, errlen);
out:
	return rc;
}
