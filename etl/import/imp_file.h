/* imp_file.h: pick the reader for one activity file by its name */
#ifndef CAIRN_IMP_FILE_H
#define CAIRN_IMP_FILE_H

#include <stddef.h> /* size_t */

#include "imp_activity.h"
#include "imp_in.h"

enum imp_fmt { IMP_F_NONE, IMP_F_FIT, IMP_F_GPX, IMP_F_TCX };

/* Format by name: .fit .gpx .tcx, each optionally .gz; IMP_F_NONE else. */
enum imp_fmt imp_file_format(const char *name);

/* Read `in` with the reader for `fmt` into `a` (initialised). 0 or -1. */
int imp_file_read(struct imp_in *in, enum imp_fmt fmt, struct imp_activity *a,
                  char *err, size_t errlen);

/*
 * Open the file at `path`, read it with the reader its name says into `a`
 * (initialised) and finish it into `s` (imp_activity_finish). 0, or -1
 * with err (s then needs no freeing).
 */
int imp_file_load(const char *path, struct imp_activity *a,
                  struct imp_summary *s, char *err, size_t errlen);

#endif
