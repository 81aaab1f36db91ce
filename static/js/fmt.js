// fmt.js: units (metric or imperial), number, distance, pace, duration and local-date formatting
const KM = 1000;
const MI = 1609.344;
const FT = 0.3048;
const UNITS_KEY = 'cairn.units';

let units = readUnits();

function readUnits() {
	try {
		const u = localStorage.getItem(UNITS_KEY);
		if (u === 'metric' || u === 'imperial') return u;
	} catch (e) {
		/* storage disabled */
	}
	return null;
}

/** The units in force: 'metric' or 'imperial'. */
export function getUnits() {
	return units || 'metric';
}
/** True when the user picked units explicitly (otherwise the athlete's Strava preference may apply). */
export function unitsChosen() {
	return units !== null;
}
export function setUnits(u, remember = true) {
	units = u === 'imperial' ? 'imperial' : 'metric';
	if (remember) {
		try {
			localStorage.setItem(UNITS_KEY, units);
		} catch (e) {
			/* storage disabled */
		}
	}
}
const imp = () => getUnits() === 'imperial';

const nf = new Map();
/** A number with `d` decimals, grouped in the user's locale. */
export function num(x, d = 0) {
	if (x === null || x === undefined || !Number.isFinite(+x)) return '–';
	let f = nf.get(d);
	if (!f) {
		f = new Intl.NumberFormat(undefined, { minimumFractionDigits: d, maximumFractionDigits: d });
		nf.set(d, f);
	}
	return f.format(+x);
}

/** Distance unit label and conversion from metres. */
export function distUnit() {
	return imp() ? 'mi' : 'km';
}
export function distValue(m) {
	return m === null || m === undefined ? null : m / (imp() ? MI : KM);
}
export function dist(m, d) {
	if (m === null || m === undefined) return '–';
	const v = distValue(m);
	return `${num(v, d ?? (v < 100 ? 1 : 0))} ${distUnit()}`;
}
/** Metres from a value typed in the current distance unit. */
export function distToMetres(v) {
	return v * (imp() ? MI : KM);
}

export function elevUnit() {
	return imp() ? 'ft' : 'm';
}
export function elevValue(m) {
	return m === null || m === undefined ? null : imp() ? m / FT : m;
}
export function elev(m) {
	return m === null || m === undefined ? '–' : `${num(elevValue(m))} ${elevUnit()}`;
}

export function speedUnit() {
	return imp() ? 'mph' : 'km/h';
}
export function speedValue(ms) {
	return ms === null || ms === undefined ? null : (ms * 3600) / (imp() ? MI : KM);
}
export function speed(ms) {
	return ms ? `${num(speedValue(ms), 1)} ${speedUnit()}` : '–';
}

export function paceUnit() {
	return imp() ? '/mi' : '/km';
}
/** Pace in seconds per km or mile from a speed in m/s (null when not moving). */
export function paceValue(ms) {
	return ms && ms > 0.2 ? (imp() ? MI : KM) / ms : null;
}
export function paceClock(sec) {
	if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
	const s = Math.round(sec);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
export function pace(ms) {
	const p = paceValue(ms);
	return p ? `${paceClock(p)} ${paceUnit()}` : '–';
}
/** Pace or speed, whichever suits the sport group. */
export function speedFor(group, ms) {
	return group === 'run' || group === 'swim' ? pace(ms) : speed(ms);
}

/** Seconds as h:mm:ss or m:ss. */
export function duration(sec) {
	if (sec === null || sec === undefined || !Number.isFinite(+sec)) return '–';
	const s = Math.round(sec);
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const r = s % 60;
	return h
		? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`
		: `${m}:${String(r).padStart(2, '0')}`;
}
/** Seconds as "12h 05m" for totals. */
export function hours(sec) {
	if (!sec) return '0h';
	const h = Math.floor(sec / 3600);
	const m = Math.round((sec % 3600) / 60);
	return h ? `${num(h)}h ${String(m).padStart(2, '0')}m` : `${m}m`;
}
/** A short duration label for log axes: 5s, 1m, 20m, 1h, 2h30. */
export function durShort(sec) {
	if (sec < 60) return `${sec}s`;
	if (sec < 3600) return sec % 60 ? `${Math.floor(sec / 60)}m${String(sec % 60).padStart(2, '0')}` : `${sec / 60}m`;
	const h = Math.floor(sec / 3600);
	const m = Math.round((sec % 3600) / 60);
	return m ? `${h}h${String(m).padStart(2, '0')}` : `${h}h`;
}

/** A local calendar date 'YYYY-MM-DD' as a Date at local midnight. */
export function parseDay(s) {
	const [y, m, d] = String(s).slice(0, 10).split('-').map(Number);
	return new Date(y, m - 1, d);
}
/** A Date as 'YYYY-MM-DD' in the local calendar. */
export function isoDay(dt) {
	return `${dt.getFullYear()}-${String(dt.getMonth() + 1).padStart(2, '0')}-${String(dt.getDate()).padStart(2, '0')}`;
}
export function addDays(dt, n) {
	const r = new Date(dt);
	r.setDate(r.getDate() + n);
	return r;
}
/** Days since 1970-01-01 of a local date string (a linear x value for charts). */
export function dayNum(s) {
	const [y, m, d] = String(s).slice(0, 10).split('-').map(Number);
	return Math.round(Date.UTC(y, m - 1, d) / 86400000);
}
export function dayFromNum(n) {
	const d = new Date(n * 86400000);
	return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

const dfs = new Map();
function dateFmt(opts) {
	const k = JSON.stringify(opts);
	if (!dfs.has(k)) dfs.set(k, new Intl.DateTimeFormat(undefined, opts));
	return dfs.get(k);
}
/** 'YYYY-MM-DD' (or a datetime) as a local date: "12 Mar 2024". */
export function date(s) {
	return s ? dateFmt({ day: 'numeric', month: 'short', year: 'numeric' }).format(parseDay(s)) : '–';
}
export function dateShort(s) {
	return s ? dateFmt({ day: 'numeric', month: 'short' }).format(parseDay(s)) : '–';
}
export function monthYear(s) {
	return dateFmt({ month: 'short', year: 'numeric' }).format(parseDay(s));
}
export function weekday(s) {
	return dateFmt({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(parseDay(s));
}
const DATE_TIME = {
	weekday: 'short',
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
};
/** A local date-time 'YYYY-MM-DDTHH:MM:SS' as "Tue 12 Mar 2024, 07:30". */
export function dateTime(s) {
	if (!s) return '–';
	const [d, t] = String(s).replace(' ', 'T').split('T');
	const [hh, mm] = (t || '00:00').split(':').map(Number);
	const dt = parseDay(d);
	dt.setHours(hh, mm);
	return dateFmt(DATE_TIME).format(dt);
}

/** A server instant 'YYYY-MM-DDTHH:MM:SSZ' (UTC) in the reader's time zone, to the second. */
export function instant(s) {
	if (!s) return '–';
	const dt = new Date(s);
	if (Number.isNaN(dt.getTime())) return String(s);
	return dateFmt({ ...DATE_TIME, second: '2-digit' }).format(dt);
}

/** Sport groups, their labels and the sport_type names that fold into them. */
export const SPORTS = [
	{ id: 'ride', label: 'Rides', one: 'Ride' },
	{ id: 'run', label: 'Runs', one: 'Run' },
	{ id: 'swim', label: 'Swims', one: 'Swim' },
	{ id: 'other', label: 'Other', one: 'Other' },
];
export function sportGroup(type) {
	if (!type) return 'other';
	const t = String(type).toLowerCase();
	if (['ride', 'run', 'swim', 'other'].includes(t)) return t;
	if (t.includes('ride') || t.includes('bike') || t.includes('cycl') || t === 'velomobile' || t === 'handcycle')
		return 'ride';
	if (t.includes('run') || t === 'walk' || t === 'hike') return t.includes('run') ? 'run' : 'other';
	if (t.includes('swim')) return 'swim';
	return 'other';
}
export function sportLabel(id, plural = true) {
	const s = SPORTS.find((x) => x.id === id);
	if (!s) return plural ? 'All sports' : 'Activity';
	return plural ? s.label : s.one;
}
/** The noun for an empty state: "no rides in 2019". */
export function sportNoun(id) {
	return id && id !== 'all' ? sportLabel(id).toLowerCase() : 'activities';
}
