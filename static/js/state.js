// state.js: a page's view state in the URL (pushState, back/forward) and the shared filters remembered in localStorage
import { isoDay, addDays } from './fmt.js';

const SHARED_KEY = 'cairn.filters';
/** Filters shared by every page, remembered between pages. */
export const SHARED = { sport: 'all', period: 'days:365' };

let defaults = {};
let shared = [];
const listeners = [];
let current = {};

function readShared() {
	try {
		return JSON.parse(localStorage.getItem(SHARED_KEY) || '{}') || {};
	} catch (e) {
		return {};
	}
}
function writeShared(st) {
	const keep = readShared();
	for (const k of Object.keys(SHARED)) if (st[k] !== undefined) keep[k] = st[k];
	try {
		localStorage.setItem(SHARED_KEY, JSON.stringify(keep));
	} catch (e) {
		/* storage disabled */
	}
}

function fromUrl() {
	const q = new URLSearchParams(location.search);
	const st = { ...defaults };
	const remembered = readShared();
	for (const k of shared) if (remembered[k] !== undefined && validShared(k, remembered[k])) st[k] = remembered[k];
	for (const [k, v] of q) if (k in defaults) st[k] = v;
	for (const k of shared) if (!validShared(k, st[k])) st[k] = defaults[k];
	return st;
}

function validShared(k, v) {
	if (k === 'sport') return ['all', 'ride', 'run', 'swim', 'other'].includes(v);
	if (k === 'period') return /^(all|year:\d{4}|days:\d{1,5})$/.test(v);
	return true;
}

/** The query string of a state: shared filters always (so a link reproduces the view), others when not default. */
export function toQuery(st) {
	const q = new URLSearchParams();
	for (const k of Object.keys(defaults)) {
		const v = st[k];
		if (v === undefined || v === null || v === '') continue;
		if (!shared.includes(k) && String(v) === String(defaults[k])) continue;
		q.set(k, v);
	}
	const s = q.toString();
	return s ? `?${s}` : '';
}

/** Sets up the page's state: its keys with defaults, which of them are shared filters. */
export function initState(pageDefaults, sharedKeys) {
	shared = sharedKeys;
	defaults = { ...pageDefaults };
	for (const k of sharedKeys) if (!(k in defaults)) defaults[k] = SHARED[k];
	current = fromUrl();
	history.replaceState(null, '', location.pathname + toQuery(current) + location.hash);
	writeShared(pick(current, shared));
	addEventListener('popstate', () => {
		current = fromUrl();
		writeShared(pick(current, shared));
		for (const f of listeners) f(current, 'pop');
	});
	return current;
}

function pick(st, keys) {
	const o = {};
	for (const k of keys) o[k] = st[k];
	return o;
}

export function getState() {
	return { ...current };
}
export function onState(f) {
	listeners.push(f);
}

/** Changes the view: a new history entry (or replaces it), remembers shared filters, re-renders. */
export function setState(patch, { replace = false } = {}) {
	const next = { ...current, ...patch };
	const url = location.pathname + toQuery(next);
	if (url === location.pathname + location.search) return;
	current = next;
	if (replace) history.replaceState(null, '', url);
	else history.pushState(null, '', url);
	writeShared(pick(current, shared));
	for (const f of listeners) f(current, 'push');
}

/** The shared filters as a query string for links to other pages. */
export function sharedQuery() {
	const r = { ...SHARED, ...readShared() };
	const q = new URLSearchParams();
	for (const k of Object.keys(SHARED)) if (validShared(k, r[k])) q.set(k, r[k]);
	return `?${q}`;
}

/** A period token as a date range ({} for all time). */
export function periodRange(p, today = new Date()) {
	if (!p || p === 'all') return {};
	let m = /^year:(\d{4})$/.exec(p);
	if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
	m = /^days:(\d+)$/.exec(p);
	if (m) return { from: isoDay(addDays(today, -(+m[1] - 1))), to: isoDay(today) };
	return {};
}

export function periodLabel(p) {
	if (!p || p === 'all') return 'all time';
	let m = /^year:(\d{4})$/.exec(p);
	if (m) return m[1];
	m = /^days:(\d+)$/.exec(p);
	if (m) {
		const n = +m[1];
		if (n === 7) return 'the last 7 days';
		if (n === 28) return 'the last 4 weeks';
		if (n === 90) return 'the last 3 months';
		if (n === 365) return 'the last 12 months';
		return `the last ${n} days`;
	}
	return p;
}
