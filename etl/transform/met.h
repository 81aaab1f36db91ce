/* met.h: training metrics on cleaned 1 Hz streams (pure functions, no I/O) */
#ifndef CAIRN_MET_H
#define CAIRN_MET_H

#include <stddef.h> /* size_t */

/* Cleaning thresholds (docs/METRICS.md "Cleaning"). */
#define MET_GAP_INTERP 10.0  /* s: gaps up to this are interpolated */
#define MET_MAX_WATTS 2500.0 /* W: above is a spike */
#define MET_MAX_HR 250.0     /* bpm: above is a spike */
#define MET_MIN_HR 20.0      /* bpm: below is a dropout (not counted) */
#define MET_MAX_SPEED 60.0   /* m/s: above is a spike */
#define MET_MOVING_SPEED 0.5 /* m/s: slower is stopped */
#define MET_MAX_SECONDS (7 * 24 * 3600)

/* Stream channels, in Strava's names (spk.h order). */
enum met_ch {
	MET_TIME,
	MET_DIST,
	MET_LAT,
	MET_LNG,
	MET_ALT,
	MET_VEL,
	MET_HR,
	MET_CAD,
	MET_WATTS,
	MET_TEMP,
	MET_MOVING,
	MET_GRADE,
	MET_NCH
};
extern const char *const met_ch_names[MET_NCH];

/*
 * Streams as recorded: n samples, ch[c] NULL when the channel is absent,
 * NaN for a missing sample. ch[MET_TIME] (s) is required.
 */
struct met_raw {
	size_t n;
	double *ch[MET_NCH];
};

/*
 * Cleaned streams on a 1 Hz grid: second s = 0..n-1 from the start.
 * ch[c] NULL when absent; pause[s] 1 inside a recording gap longer than
 * MET_GAP_INTERP; ch[MET_MOVING] is always set (0/1).
 */
struct met_series {
	size_t n;
	double *ch[MET_NCH];
	unsigned char *pause;
	unsigned char
	    *moving; /* ch[MET_MOVING] as 0/1 bytes, for the metrics */
	int spikes;  /* samples removed as implausible */
};

/* Clean and resample `raw`. 0, or -1 (out of memory or no usable time). */
int met_clean(const struct met_raw *raw, struct met_series *out);
void met_raw_free(struct met_raw *r);
void met_series_free(struct met_series *s);

/* Seconds with moving[s] set. */
size_t met_moving_time(const struct met_series *s);

/* Mean and max of v over seconds not in a pause (NaN skipped); NaN if none. */
double met_mean(const double *v, const unsigned char *pause, size_t n);
double met_max(const double *v, size_t n);

/* Seconds not in a pause. */
size_t met_active_seconds(const unsigned char *pause, size_t n);

/*
 * Normalized Power, classic: 30 s rolling mean of the 1 Hz power (a pause
 * counts 0 W, NaN counts 0 W), the first 29 s skipped, 4th-power mean over
 * the seconds not in a pause, 4th root. NaN when fewer than 30 s.
 */
double met_np(const double *w, const unsigned char *pause, size_t n);

/* TSS = seconds/3600 * (np/ftp)^2 * 100. NaN when an input is missing. */
double met_tss(double np, double ftp, double seconds);

/*
 * Banister TRIMP: sum over seconds with HR of 1/60 * x * 0.64 * e^(k x),
 * x = (hr - rest)/(max - rest) clamped below at 0, k = 1.92 (1.67 female).
 * NaN when no HR sample or max <= rest.
 */
double met_trimp(const double *hr, const unsigned char *pause, size_t n,
                 double rest, double max, int female);

/* TRIMP of 60 min at threshold HR; HR load = 100 * trimp / this. */
double met_trimp_hour(double thr, double rest, double max, int female);

/* Minetti 2002 energy cost normalised to the flat (1 at g = 0), g decimal. */
double met_minetti(double g);

/* Grade-adjusted speed: v * minetti(g)^0.83 (g clamped to +-0.45). */
double met_gap_speed(double v, double g);

/*
 * The per-second GAP stream: gap[s] = met_gap_speed(vel[s], grade[s] /
 * 100), grade in percent as the cleaned grade channel holds it (NULL or
 * NaN: flat, gap = vel); NaN where vel is NaN.
 */
void met_gap_stream(const double *vel, const double *grade, size_t n,
                    double *gap);

/*
 * The distance covered in each second, as the best-speed curve reads it:
 * inc[0] = 0, inc[s] = dist[s] - dist[s-1]; without dist, vel[s] (NaN
 * kept). With adj (may be NULL), the same distance adjusted for grade:
 * adj[s] = inc[s] * minetti(g)^0.83, g = grade[s] / 100 as met_gap_speed
 * clamps it (grade NULL: adj = inc). dist and vel must not both be NULL.
 */
void met_gap_inc(const double *dist, const double *vel, const double *grade,
                 size_t n, double *inc, double *adj);

/*
 * The activity's grade-adjusted speed: avg_speed * sum(adj) / sum(inc) over
 * moving seconds (NaN samples skipped): the grade-adjusted distance
 * against the distance, so a flat run's GAP is its average speed exactly.
 * avg_speed NaN or <= 0: sum(adj) / moving seconds. NaN when no distance
 * was covered while moving.
 */
double met_gap_avg(const double *inc, const double *adj,
                   const unsigned char *moving, size_t n, double avg_speed);

/*
 * Running load: mean grade-adjusted speed s over moving seconds, load =
 * moving h * (s / thr_speed)^2 * 100. grade may be NULL (flat). NaN when
 * no speed or no moving second.
 */
double met_pace_load(const double *vel, const double *grade,
                     const unsigned char *moving, size_t n, double thr_speed);

/*
 * Aerobic decoupling Pa:HR in percent: output/HR of the first half of the
 * moving seconds against the second half, (ef1 - ef2) / ef1 * 100. NaN
 * unless >= 1200 moving s with HR on >= 80 % of them.
 */
double met_decoupling(const double *out, const double *hr,
                      const unsigned char *moving, size_t n);

/*
 * Time in zone: zone z (0-based, of nz) holds values v with lo[z] <= v <
 * lo[z+1] (the last zone open). Counts seconds where mask is NULL or set
 * and v is not NaN. secs has nz entries.
 */
void met_zones(const double *v, const unsigned char *mask, size_t n,
               const double *lo, size_t nz, int *secs);

/*
 * Exact mean-maximal curve: out[d-1] = max over i of mean(v[i..i+d-1]),
 * d = 1..n. NaN samples count 0. 0 or -1 (out of memory).
 */
int met_meanmax(const double *v, size_t n, double *out);
/* The same by scanning every window of every length (the reference the
 * pruned met_meanmax must equal bit for bit). */
int met_meanmax_full(const double *v, size_t n, double *out);

/* The distances best efforts are kept for, in m. They are stored as
 * floor(distance) (the mile as 1609, the half marathon as 21097);
 * met_effort_distance() turns a stored one back. */
#define MET_NRUN_EFFORTS 7
#define MET_NRIDE_EFFORTS 6
extern const double met_run_efforts[MET_NRUN_EFFORTS];
extern const double met_ride_efforts[MET_NRIDE_EFFORTS];
/* The run or ride effort distance whose floor is `stored`, else stored. */
double met_effort_distance(long long stored);

/*
 * Fastest elapsed time covering `dist` m on a cumulative 1 Hz distance
 * stream, the overshoot interpolated. 0 with *elapsed and *start (s from
 * the start), or -1 when the stream never covers the distance.
 */
int met_best_effort(const double *cum, size_t n, double dist, double *elapsed,
                    double *start);

/* The EWMA constants: 1 - e^(-1/42) and 1 - e^(-1/7). */
#define MET_CTL_DAYS 42.0
#define MET_ATL_DAYS 7.0

/*
 * Fitness over nd consecutive days of load: ctl/atl seeded with ctl0/atl0
 * (the values the day before day 0), tsb[d] = ctl[d-1] - atl[d-1], ramp[d]
 * = ctl[d] - ctl[d-7] (the seed, then 0, before day 0: ctl7 holds the 7
 * values before day 0, oldest first, or NULL for zeros).
 */
void met_fitness(const double *load, size_t nd, double ctl0, double atl0,
                 const double *ctl7, double *ctl, double *atl, double *tsb,
                 double *ramp);

/*
 * Eddington number of per-day distances (already in the unit): e = max n
 * with >= n days of >= n. *next: days of >= e+1 still needed. hist (may be
 * NULL, room for hmax entries): days with distance >= k+1. Returns e.
 */
int met_eddington(const double *day_dist, size_t nd, int *next, int *hist,
                  size_t hmax);

/* Mean grade-adjusted speed (met_gap_speed) over moving seconds with a
 * speed; grade (percent) may be NULL (flat). NaN when none. */
double met_gap_mean(const double *vel, const double *grade,
                    const unsigned char *moving, size_t n);

/* ------------------------------------------------- W' balance (met_wbal.c) */
#define MET_W_PRIME_DEFAULT 20000.0 /* J: W' when the athlete set none */

/*
 * W' balance, the differential model (Skiba et al. 2015): from wbal = W'
 * at the start, each second at power P (NaN counts 0 W) does
 *   P > CP:  wbal -= (P - CP)                      (1 s of expenditure)
 *   P <= CP: wbal = W' - (W' - wbal) * e^(-(CP - P) / W')
 * (exact solution over the second of dW/dt = (W' - W)(CP - P) / W').
 * out[s] (may be NULL) is the balance at the end of second s. Returns the
 * lowest balance (may go below 0 when CP or W' are set too low); NaN when
 * n is 0 or cp or w_prime is not positive.
 */
double met_wbal(const double *w, size_t n, double cp, double w_prime,
                double *out);

/* ---------------------------------------- estimated power (met_est.c) */
#define MET_BIKE_KG 8.0     /* kg: bike and kit when no setting */
#define MET_CDA 0.32        /* m^2: drag area, hoods, when no setting */
#define MET_CRR 0.005       /* rolling resistance, road tyres */
#define MET_DRIVE_EFF 0.976 /* drivetrain efficiency (2.4 % loss) */
#define MET_G 9.80665       /* m/s^2 */

/* The rider and bike the estimate models. */
struct met_bike {
	double mass;      /* kg: rider + bike */
	double cda, crr;  /* m^2, - */
	double drive_eff; /* 0..1 */
};

/* Air density (kg/m^3) at altitude h m, ISA troposphere (15 C at sea
 * level, 1013.25 hPa, 6.5 K/km). */
double met_air_density(double h);

/*
 * Power at the pedals (W) of one second: speed v (m/s), grade g (decimal),
 * altitude h (m), acceleration a (m/s^2):
 *   (m g (sin t + Crr cos t) v + rho(h) CdA v^3 / 2 + m a v) / eff,
 * t = atan(g); negative (coasting, braking) clamped to 0.
 */
double met_est_watts(const struct met_bike *b, double v, double g, double h,
                     double a);

/*
 * The estimated power stream of a cleaned ride: out[s] from the speed,
 * the grade (percent) and altitude channels, acceleration by central
 * difference of the speed; 0 W when not moving or in a pause, NaN where
 * speed is missing. 0, or -1 when the model cannot run (no speed,
 * altitude or grade channel, or mass, CdA or efficiency not positive).
 */
int met_est_power(const struct met_series *s, const struct met_bike *b,
                  double *out);

/* ------------------------- laps, splits and intervals (met_span.c, met_iv.c)
 */
/* Elevation gain over a span: climbs count once they exceed this (m). */
#define MET_SPAN_HYST 2.0
/* Automatic splits (docs/METRICS.md "Laps, splits and intervals"), m. */
#define MET_SPLIT_KM 1000.0
#define MET_SPLIT_MILE 1609.344
#define MET_SPLIT_RIDE 5000.0

/* The bases intervals are detected on. */
enum met_basis {
	MET_BASIS_NONE,
	MET_BASIS_POWER,
	MET_BASIS_SPEED,
	MET_BASIS_HR
};
extern const char *const met_basis_names[4]; /* NULL, "power", ... */

/* Interval detection (docs/METRICS.md "Intervals"): the on-threshold as a
 * fraction of the basis' threshold (FTP, threshold speed, threshold HR),
 * the centred smoothing window, the longest dip merged and the shortest
 * effort kept (s). */
#define MET_IV_ON_POWER 0.88
#define MET_IV_ON_SPEED 0.95
#define MET_IV_ON_HR 0.90
#define MET_IV_SMOOTH 30
#define MET_IV_MERGE 30
#define MET_IV_MIN 60

/* Seconds [start, end) of the 1 Hz series. */
struct met_range {
	size_t start, end;
};

/* Append [a, b) to the array *r of *cnt ranges (room for *cap, grown as
 * needed). 0, or -1 out of memory (*r unchanged). */
int met_range_push(struct met_range **r, size_t *cnt, size_t *cap, size_t a,
                   size_t b);

/* The figures of one lap, split or interval; NaN where a channel is
 * missing (avg_speed and gap also when nothing moved). */
struct met_span {
	size_t start, elapsed, moving;
	double distance, avg_power, max_power, np, avg_hr, max_hr;
	double avg_speed, max_speed, avg_cad, max_cad, gap, elev_gain;
	double intensity; /* avg of the basis / its threshold; NaN for laps */
	enum met_basis basis;
};

/*
 * The figures of seconds r of s (r.end <= s->n, r.start < r.end): the
 * distance from the distance channel (its value at second r.end, or at the
 * last second, minus its value at r.start: consecutive spans add up to the
 * whole) or, without it, the sum of the speed over the
 * seconds not in a pause; averages over the seconds not in a pause, NaN
 * skipped; avg_speed = distance / moving (NaN when moving is 0); cadence
 * averaged over moving seconds with a cadence above 0; NP as met_np on the
 * span; elevation gain of the altitude channel with MET_SPAN_HYST of
 * hysteresis (NaN without altitude); gap = met_gap_avg of inc and adj
 * (met_gap_inc; NULL: NaN). intensity NaN, basis NONE.
 */
void met_span_figures(const struct met_series *s, const double *inc,
                      const double *adj, struct met_range r,
                      struct met_span *out);

/*
 * Recorded laps onto the series: lap k covers start[k] .. start[k] +
 * elapsed[k] s of it (rounded to whole seconds). A lap with a duration
 * that is not positive (or NaN) is dropped, one starting at or after the
 * end is dropped, one reaching past the end is clipped to it, a start
 * before 0 is clipped to 0; laps are sorted by start and one overlapping
 * its predecessor starts where the predecessor ends (dropped when nothing
 * is left). Writes the kept ranges into out (room for nlap) and returns
 * how many.
 */
size_t met_laps_map(const double *start, const double *elapsed, size_t nlap,
                    size_t n, struct met_range *out);

/*
 * Automatic splits of a cumulative distance stream: split k ends at the
 * first second whose distance reaches k * unit m; the remainder after the
 * last whole split is a last, partial split. *out is malloc'd (caller
 * frees; NULL when none). The count, or -1 when out of memory.
 */
long met_splits(const double *dist, size_t n, double unit,
                struct met_range **out);

/*
 * Intervals: efforts of v above `on` (absolute, in v's unit). v smoothed
 * by a centred MET_IV_SMOOTH s mean (NaN and pause seconds skipped), runs
 * of the smoothed series at or above `on` are efforts, efforts apart by
 * less than MET_IV_MERGE s are merged, those shorter than MET_IV_MIN s
 * dropped, then each boundary is moved within MET_IV_SMOOTH s to where
 * the raw series crosses `on` (the start that maximises the sum of v - on
 * from it to the effort's middle, the end likewise backwards). *out is
 * malloc'd (caller frees; NULL when none). The count, or -1 when out of
 * memory.
 */
long met_intervals(const double *v, const unsigned char *pause, size_t n,
                   double on, struct met_range **out);

#endif
