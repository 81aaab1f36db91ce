/* imp_walk.c: walk the inputs: export ZIPs (two passes), folders, activities.csv, single files; an export's profile.csv */
#include "imp_run.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>   /* opendir */
#include <errno.h>    /* errno */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* free, qsort */
#include <string.h>   /* strcmp, strerror */
#include <sys/stat.h> /* stat */

#include "imp_file.h"
#include "imp_in.h"
#include "log.h"

/* Depth and count limits of a folder walk. */
#define IMP_WALK_DEPTH 8
#define IMP_WALK_MAX 1000000

struct imp_list {
	char **v;
	size_t n, cap;
};

static int
imp_list_add(struct imp_list *l, const char *s)
{
	if (l->n == IMP_WALK_MAX)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		return -1;
	l->n++;
	return 0;
}

static void
imp_list_free(struct imp_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int
imp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *
imp_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int
imp_load_csv(struct imp_run *r, struct imp_in *in, const char *name)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char err[256];
	int rc = -1;

	/* Messages in order; the files in flight use r->csv. */
	imp_run_drain(r);
	csv_free(&r->csv);
	r->have_csv = 0;
	if (imp_in_slurp(in, CSV_MAX_BYTES, &buf, &len, err, sizeof err) < 0 ||
	    csv_parse((const char *)buf, len, &r->csv, err, sizeof err) < 0) {
		imp_run_fail(r, name, err);
		goto out;
	}
	r->have_csv = 1;
	if (r->csv.warn[0])
		log_warn("%s: %s", name, r->csv.warn);
	log_info("%s: %zu activities listed (%zu columns)", name, r->csv.n,
	         r->csv.ncols);
	rc = 0;
out:
	free(buf);
	return rc;
}

/* Collect activity files below dir; note the shallowest activities.csv. */
static void
imp_walk_dir(struct imp_run *r, const char *dir, int depth,
             struct imp_list *files, char *csv, size_t csvlen, int *csvdepth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d) {
		char why[256];

		snprintf(why, sizeof why, "cannot open folder: %s",
		         strerror(errno));
		imp_run_fail(r, dir, why);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
		                     e->d_name) >= sizeof path)
			continue;
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < IMP_WALK_DEPTH)
				imp_walk_dir(r, path, depth + 1, files, csv,
				             csvlen, csvdepth);
		} else if (S_ISREG(st.st_mode)) {
			if (strcmp(e->d_name, "activities.csv") == 0 &&
			    depth < *csvdepth) {
				*csvdepth = depth;
				snprintf(csv, csvlen, "%s", path);
			} else if (imp_file_format(e->d_name) != IMP_F_NONE) {
				if (imp_list_add(files, path) < 0)
					break;
			}
		}
	}
	closedir(d);
}

static void
imp_run_file(struct imp_run *r, const char *path, struct csv_act *row)
{
	struct imp_in in;

	if (imp_in_file(&in, path) < 0) {
		imp_run_fail(r, path, in.err);
		r->done++;
		return;
	}
	imp_run_stream(r, &in, path, row);
	imp_in_close(&in);
}

static int
imp_run_dir(struct imp_run *r, const char *dir)
{
	struct imp_list files = {0};
	char csv[4096] = "";
	int csvdepth = 1 << 30;
	size_t i;

	imp_walk_dir(r, dir, 0, &files, csv, sizeof csv, &csvdepth);
	qsort(files.v, files.n, sizeof files.v[0], imp_cmp);
	if (csv[0]) {
		struct imp_in in;

		if (imp_in_file(&in, csv) == 0) {
			imp_load_csv(r, &in, csv);
			imp_in_close(&in);
		} else {
			imp_run_fail(r, csv, in.err);
		}
	}
	r->total += files.n + (r->have_csv ? r->csv.n : 0);
	if (files.n == 0 && !r->have_csv)
		imp_run_fail(r, dir,
		             "no .fit, .gpx, .tcx or activities.csv in "
		             "the folder");
	for (i = 0; i < files.n; i++)
		imp_run_file(r, files.v[i],
		             r->have_csv ? csv_find_file(&r->csv, files.v[i])
		                         : NULL);
	imp_run_csv_rest(r);
	imp_list_free(&files);
	return 0;
}

static struct archive *
imp_zip_open(const char *path, char *err, size_t errlen)
{
	struct archive *ar = archive_read_new();

	if (!ar) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	archive_read_support_format_zip(ar);
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		snprintf(err, errlen, "cannot open ZIP: %s",
		         archive_error_string(ar) ? archive_error_string(ar)
		                                  : "unknown error");
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* Pass 1: activities.csv and the count; pass 2: the activity files. */
static int
imp_run_zip(struct imp_run *r, const char *path)
{
	struct archive *ar;
	struct archive_entry *e;
	char err[512];
	size_t count = 0;
	int st, rc = -1;

	if (!(ar = imp_zip_open(path, err, sizeof err))) {
		imp_run_fail(r, path, err);
		return -1;
	}
	while ((st = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);

		if (!name || archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (strcmp(imp_basename(name), "activities.csv") == 0 &&
		    !r->have_csv) {
			struct imp_in in;

			imp_in_archive(&in, ar, 0);
			imp_load_csv(r, &in, name);
			imp_in_close(&in);
		} else if (imp_file_format(name) != IMP_F_NONE) {
			count++;
		}
	}
	if (st != ARCHIVE_EOF) {
		snprintf(err, sizeof err, "cannot read ZIP: %s",
		         archive_error_string(ar) ? archive_error_string(ar)
		                                  : "unknown error");
		imp_run_fail(r, path, err);
		archive_read_free(ar);
		return -1;
	}
	archive_read_free(ar);
	r->total += count + (r->have_csv ? r->csv.n : 0);
	if (!(ar = imp_zip_open(path, err, sizeof err))) {
		imp_run_fail(r, path, err);
		return -1;
	}
	while ((st = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		char label[4096];
		struct imp_in in;

		if (!name || archive_entry_filetype(e) != AE_IFREG ||
		    imp_file_format(name) == IMP_F_NONE)
			continue;
		snprintf(label, sizeof label, "%s:%s", imp_basename(path),
		         name);
		if (imp_in_archive(&in, ar, imp_has_ext(name, ".gz")) < 0) {
			imp_run_fail(r, label, in.err);
			continue;
		}
		imp_run_stream(r, &in, label,
		               r->have_csv ? csv_find_file(&r->csv, name)
		                           : NULL);
		imp_in_close(&in);
	}
	if (st != ARCHIVE_EOF) {
		snprintf(err, sizeof err, "ZIP broken after %zu files: %s",
		         r->files,
		         archive_error_string(ar) ? archive_error_string(ar)
		                                  : "unknown error");
		imp_run_fail(r, path, err);
	} else {
		rc = 0;
	}
	archive_read_free(ar);
	imp_run_csv_rest(r);
	return rc;
}

int
imp_run_input(struct imp_run *r, const char *path)
{
	struct stat st;
	char why[256];

	if (stat(path, &st) < 0) {
		snprintf(why, sizeof why, "%s", strerror(errno));
		imp_run_fail(r, path, why);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return imp_run_dir(r, path);
	if (imp_has_ext(path, ".zip"))
		return imp_run_zip(r, path);
	if (strcmp(imp_basename(path), "activities.csv") == 0 ||
	    imp_has_ext(path, ".csv")) {
		struct imp_in in;

		if (imp_in_file(&in, path) < 0) {
			imp_run_fail(r, path, in.err);
			return -1;
		}
		imp_load_csv(r, &in, path);
		imp_in_close(&in);
		r->total += r->csv.n;
		imp_run_csv_rest(r);
		return 0;
	}
	if (imp_file_format(path) == IMP_F_NONE) {
		imp_run_fail(r, path,
		             "not a .zip, folder, activities.csv, "
		             ".fit, .gpx or .tcx (optionally .gz)");
		return -1;
	}
	r->total++;
	imp_run_file(r, path, NULL);
	return 0;
}

/* Parse profile.csv from `in`. 1, or -1 with `err`. */
static int
imp_profile_read(struct imp_in *in, struct csv_profile *p, char *err,
                 size_t errlen)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	if (imp_in_slurp(in, CSV_MAX_BYTES, &buf, &len, err, errlen) < 0 ||
	    csv_profile_parse((const char *)buf, len, p, err, errlen) < 0)
		goto out;
	rc = 1;
out:
	free(buf);
	return rc;
}

int
imp_walk_profile(const char *path, struct csv_profile *p, char *err,
                 size_t errlen)
{
	struct archive *ar = NULL;
	struct archive_entry *e;
	struct imp_in in;
	struct stat st;
	char file[4096];
	int rc = 0;

	memset(p, 0, sizeof *p);
	if (stat(path, &st) < 0)
		goto out; /* the walk reports it */
	if (S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(file, sizeof file, "%s/profile.csv",
		                     path) >= sizeof file ||
		    stat(file, &st) < 0 || !S_ISREG(st.st_mode))
			goto out;
		if (imp_in_file(&in, file) < 0) {
			snprintf(err, errlen, "%s: %s", file, in.err);
			rc = -1;
			goto out;
		}
		rc = imp_profile_read(&in, p, err, errlen);
		imp_in_close(&in);
		goto out;
	}
	if (!imp_has_ext(path, ".zip"))
		goto out;
	if (!(ar = imp_zip_open(path, err, errlen))) {
		rc = -1;
		goto out;
	}
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);

		if (!name || archive_entry_filetype(e) != AE_IFREG ||
		    strcmp(imp_basename(name), "profile.csv") != 0)
			continue;
		imp_in_archive(&in, ar, 0);
		rc = imp_profile_read(&in, p, err, errlen);
		imp_in_close(&in);
		break;
	}
out:
	if (ar)
		archive_read_free(ar);
	return rc;
}

int
imp_walk_zip_has(const char *path, const char *base, char *err, size_t errlen)
{
	struct archive *ar = imp_zip_open(path, err, errlen);
	struct archive_entry *e;
	int rc = 0, st;

	if (!ar)
		return -1;
	while ((st = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);

		if (name && archive_entry_filetype(e) == AE_IFREG &&
		    strcmp(imp_basename(name), base) == 0) {
			rc = 1;
			break;
		}
	}
	if (rc == 0 && st != ARCHIVE_EOF) {
		snprintf(err, errlen, "cannot read ZIP: %s",
		         archive_error_string(ar) ? archive_error_string(ar)
		                                  : "unknown error");
		rc = -1;
	}
	archive_read_free(ar);
	return rc;
}
