/* test_est_files.c: estimated power against the power meter on every sample file with power (tests/data/files) */
/* links: etl/import etl/transform */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_file.h"
#include "imp_json.h"
#include "met.h"
#include "test.h"
#include "tf.h"
#include "tf_act.h"

#define D "tests/data/files/"
/* The files carry no rider weight: one fixed rider for every file (the
 * model's other constants are its defaults, never tuned per file). */
#define T_RIDER_KG 75.0

/* Import one file and run the transform's per-activity build on it. */
static int
t_build(const char *path, struct tf_act *a, int *has_speed, int *has_alt)
{
	struct imp_activity ia;
	struct imp_summary s;
	struct tf_settings set;
	struct tf_out o;
	char err[256] = "", *js = NULL;
	int rc;

	memset(&set, 0, sizeof(set));
	imp_activity_init(&ia);
	rc = imp_file_load(path, &ia, &s, err, sizeof err);
	if (rc == 0) {
		memset(a, 0, sizeof(*a));
		a->group = "ride"; /* every file is tried as a ride */
		a->kj = a->moving = a->elapsed = a->distance = NAN;
		a->avg_hr = a->avg_power = a->max_hr = NAN;
		a->ftp = a->cp = a->w_prime = a->bike_weight = NAN;
		a->cda = a->crr = a->max_hr_set = a->rest_hr = NAN;
		a->thr_hr = a->thr_speed = NAN;
		a->weight = T_RIDER_KG;
		*has_speed =
		    (ia.have & (IMP_C_SPEED | IMP_C_DIST | IMP_C_POS)) != 0;
		*has_alt = (ia.have & IMP_C_ALT) != 0;
		js = imp_streams_json(&ia);
		rc =
		    js == NULL ? -1 : tf_act_build(a, js, strlen(js), &set, &o);
		if (rc == 0)
			tf_out_free(&o);
		imp_summary_free(&s);
	}
	free(js);
	imp_activity_free(&ia);
	return rc;
}

int
main(void)
{
	static const char *const dirs[] = {D "fit", D "gpx", D "tcx"};
	size_t k;
	int meters = 0, ran = 0;

	for (k = 0; k < 3; k++) {
		DIR *dp = opendir(dirs[k]);
		struct dirent *de;

		T_OK(dp != NULL, "%s readable", dirs[k]);
		while (dp != NULL && (de = readdir(dp)) != NULL) {
			char path[512];
			struct tf_act a;
			int sp = 0, al = 0;
			const char *n = de->d_name;
			size_t L = strlen(n);

			if (L < 4 || (strcmp(n + L - 4, ".fit") != 0 &&
			              strcmp(n + L - 4, ".gpx") != 0 &&
			              strcmp(n + L - 4, ".tcx") != 0))
				continue;
			snprintf(path, sizeof path, "%s/%s", dirs[k], n);
			if (t_build(path, &a, &sp, &al) != 0) {
				T_OK(0, "%s builds", path);
				continue;
			}
			if (isnan(a.avg_power))
				continue; /* no power meter */
			meters++;
			printf("# %s: meter avg %.1f W NP %.1f W; ", path,
			       a.avg_power, a.np);
			if (isnan(a.est_avg_power)) {
				printf("estimate: none (%s)\n",
				       !sp && !al ? "no speed, no altitude"
				       : !sp      ? "no speed"
				       : !al      ? "no altitude"
				                  : "no grade");
				T_OK(!sp || !al,
				     "%s: no estimate only without speed or "
				     "altitude",
				     path);
				T_OK(isnan(a.est_np), "%s: est_np NULL too",
				     path);
				continue;
			}
			ran++;
			printf("estimate avg %.1f W (%+.1f %%) NP %.1f W "
			       "(%+.1f %%)\n",
			       a.est_avg_power,
			       100 * (a.est_avg_power / a.avg_power - 1),
			       a.est_np, 100 * (a.est_np / a.np - 1));
			T_OK(fabs(a.est_avg_power / a.avg_power - 1) <= 0.10,
			     "%s: estimated average within 10 %% of the meter",
			     path);
			T_OK(fabs(a.est_np / a.np - 1) <= 0.12,
			     "%s: estimated NP within 12 %% of the meter",
			     path);
		}
		if (dp != NULL)
			closedir(dp);
	}
	printf("# %d file(s) with a power meter, the model ran on %d\n", meters,
	       ran);
	T_OK(meters >= 1, "the sample files hold a power-meter ride (%d)",
	     meters);
	return T_DONE();
}
