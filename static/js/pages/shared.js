// shared.js: helpers several pages use: best-effort distance names and a mean-maximal curve from a stream
import * as f from '../fmt.js';

const NAMED = {
	400: '400 m',
	805: '½ mile',
	1000: '1 km',
	1609: '1 mile',
	3219: '2 miles',
	5000: '5 km',
	10000: '10 km',
	15000: '15 km',
	16093: '10 miles',
	20000: '20 km',
	21097: 'Half marathon',
	42195: 'Marathon',
	50000: '50 km',
	100000: '100 km',
	160934: '100 miles',
};
/** A standard distance's name ("5 km", "Half marathon"), else the distance in the current unit. */
export function effortLabel(m) {
	return NAMED[m] || f.dist(m, 1);
}

export const CURVE_DURATIONS = [
	1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400,
	18000,
];

/**
 * Best average of a step-wise stream (values v at times t, each held until the
 * next sample) over each duration: [{duration, value}]. Works on downsampled
 * streams, so short durations are approximate.
 */
export function meanMax(t, v) {
	const n = Math.min(t.length, v.length);
	if (n < 2) return [];
	const e = new Float64Array(n);
	for (let i = 1; i < n; i++) e[i] = e[i - 1] + (v[i - 1] || 0) * Math.max(0, t[i] - t[i - 1]);
	const at = (j, x) => {
		// energy at time x, with t[j] <= x < t[j+1]
		if (j >= n - 1) return e[n - 1];
		return e[j] + (v[j] || 0) * (x - t[j]);
	};
	const total = t[n - 1] - t[0];
	const out = [];
	for (const d of CURVE_DURATIONS) {
		if (d > total) break;
		let best = 0;
		let j = 0;
		for (let i = 0; i < n && t[i] + d <= t[n - 1]; i++) {
			const x = t[i] + d;
			while (j < n - 1 && t[j + 1] <= x) j++;
			const avg = (at(j, x) - e[i]) / d;
			if (avg > best) best = avg;
		}
		out.push({ duration: d, value: Math.round(best) });
	}
	return out;
}
