/* gpx.h: streaming GPX 1.0/1.1 reader with Garmin TrackPointExtension */
#ifndef CAIRN_GPX_H
#define CAIRN_GPX_H

#include <stddef.h> /* size_t */

#include "imp_activity.h"
#include "imp_in.h"

/*
 * Read a GPX stream into `a` (initialised by the caller). Track points
 * make the samples; a file without any uses its route points, else its
 * waypoints. Extensions give hr, cad, power, atemp (TrackPointExtension
 * v1/v2 and the common power/watts elements); <trk><name>, <type>, <desc>
 * give name, sport, description. Points without a time are skipped (and
 * counted in a->warn). 0, or -1 with `err` (bad XML, no timed point).
 */
int gpx_read(struct imp_in *in, struct imp_activity *a, char *err,
             size_t errlen);

#endif
