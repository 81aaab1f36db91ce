/* tcx.h: streaming TCX (Garmin Training Center) reader */
#ifndef CAIRN_TCX_H
#define CAIRN_TCX_H

#include <stddef.h> /* size_t */

#include "imp_activity.h"
#include "imp_in.h"

/*
 * Read the first <Activity> of a TCX stream into `a` (initialised by the
 * caller): Sport, trackpoints (time, position, altitude, distance, heart
 * rate, cadence, TPX Speed and Watts), and the laps' totals (distance,
 * calories, maxima). A leading byte-order mark is fine. 0, or -1 with `err`.
 */
int tcx_read(struct imp_in *in, struct imp_activity *a, char *err,
             size_t errlen);

#endif
