// app.js: the page shell every page boots through: header and navigation, units switch, shared filter bar, render passes
import { h, beginRender, endRender } from './ui.js';
import { initState, getState, setState, onState, sharedQuery, periodLabel } from './state.js';
import { getUnits, setUnits, unitsChosen, SPORTS } from './fmt.js';
import { applyDefaults, destroyAll } from './charts.js';
import { get } from './api.js';
import { authBoot } from './auth.js';

window.cairn = window.cairn || {};
window.cairn.charts = {};

export const PAGES = [
	{ id: 'overview', href: '/', label: 'Overview' },
	{ id: 'activities', href: '/activities.html', label: 'Activities' },
	{ id: 'calendar', href: '/calendar.html', label: 'Calendar' },
	{ id: 'fitness', href: '/fitness.html', label: 'Fitness' },
	{ id: 'curves', href: '/curves.html', label: 'Curves' },
	{ id: 'performance', href: '/performance.html', label: 'Performance' },
	{ id: 'records', href: '/records.html', label: 'Records' },
	{ id: 'zones', href: '/zones.html', label: 'Zones' },
	{ id: 'map', href: '/map.html', label: 'Map' },
	{ id: 'gear', href: '/gear.html', label: 'Gear' },
	{ id: 'data', href: '/data.html', label: 'Data' },
	{ id: 'settings', href: '/settings.html', label: 'Settings' },
];

let me = null;
/** /api/v1/me, fetched once per page view (null if it fails: pages still work). */
export async function getMe() {
	if (me) return me;
	try {
		me = await get('me');
	} catch (e) {
		me = {};
	}
	return me;
}

/** Years to offer in period pickers, newest first (from the athlete's first activity when /me tells it). */
export function years() {
	const now = new Date().getFullYear();
	let first = now - 9;
	const fd = firstDate();
	if (fd) first = Math.min(now, +fd.slice(0, 4));
	const out = [];
	for (let y = now; y >= first; y--) out.push(y);
	return out;
}

/** The athlete's first activity date ('YYYY-MM-DD') from /me, or null. */
export function firstDate() {
	const by = me && me.counts && me.counts.by_sport;
	let first = null;
	if (by) for (const v of Object.values(by)) if (v && v.first && (!first || v.first < first)) first = v.first;
	return first ? first.slice(0, 10) : null;
}

const LOGO = 'M12 2l4 6h-8zM7 10h10l3 5H4zM3 17h18l2 5H1z';

function header(pageId) {
	const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('class', 'brand-mark');
	svg.setAttribute('aria-hidden', 'true');
	const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
	path.setAttribute('d', LOGO);
	svg.append(path);
	const nav = h(
		'nav',
		{ class: 'nav', 'aria-label': 'Pages' },
		PAGES.map((p) =>
			h('a', { href: p.href, dataset: { page: p.id }, 'aria-current': p.id === pageId ? 'page' : null }, p.label),
		),
	);
	const units = h(
		'div',
		{ class: 'units', role: 'group', 'aria-label': 'Units' },
		h(
			'button',
			{
				type: 'button',
				dataset: { units: 'metric' },
				'aria-pressed': String(getUnits() === 'metric'),
				title: 'Metric: km, m, min/km',
			},
			'km',
		),
		h(
			'button',
			{
				type: 'button',
				dataset: { units: 'imperial' },
				'aria-pressed': String(getUnits() === 'imperial'),
				title: 'Imperial: mi, ft, min/mi',
			},
			'mi',
		),
	);
	units.addEventListener('click', (ev) => {
		const b = ev.target.closest('button');
		if (!b) return;
		setUnits(b.dataset.units);
		for (const x of units.querySelectorAll('button'))
			x.setAttribute('aria-pressed', String(x.dataset.units === getUnits()));
		rerender();
	});
	return h(
		'header',
		{ class: 'top' },
		h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
		h(
			'a',
			{ class: 'brand', href: '/', 'aria-label': 'Cairn overview' },
			svg,
			h('span', { class: 'brand-name' }, 'Cairn'),
		),
		nav,
		units,
	);
}

function updateNavLinks() {
	const q = sharedQuery();
	for (const a of document.querySelectorAll('.nav a')) {
		const p = PAGES.find((x) => x.id === a.dataset.page);
		if (p && !['settings', 'gear', 'performance'].includes(p.id)) a.href = p.href + q;
	}
}

/** The shared filter bar: sport and period selects (only those the page uses). */
function filterBar(filters, st, periods) {
	const bar = h('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' });
	if (filters.includes('sport')) {
		const sel = h(
			'select',
			{ id: 'f-sport', name: 'sport' },
			h('option', { value: 'all' }, 'All sports'),
			SPORTS.map((s) => h('option', { value: s.id }, s.label)),
		);
		sel.value = st.sport;
		sel.addEventListener('change', () => setState({ sport: sel.value, ...(spec.resetOnFilter || {}) }));
		bar.append(h('label', null, 'Sport', sel));
	}
	if (filters.includes('period')) {
		const sel = h('select', { id: 'f-period', name: 'period' });
		for (const p of periods)
			sel.append(h('option', { value: p }, p.startsWith('year:') ? p.slice(5) : cap(periodLabel(p))));
		if (!periods.includes(st.period)) sel.append(h('option', { value: st.period }, cap(periodLabel(st.period))));
		sel.value = st.period;
		sel.addEventListener('change', () => setState({ period: sel.value, ...(spec.resetOnFilter || {}) }));
		bar.append(h('label', null, 'Period', sel));
	}
	return bar;
}
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

let spec = null;
let mainEl = null;

/** Re-draws the page from its current state (filters, units or theme changed). */
export function rerender() {
	if (!spec) return;
	const st = getState();
	destroyAll();
	applyDefaults();
	beginRender();
	const head = h('div', { class: 'page-head' }, h('h1', { text: spec.heading ? spec.heading(st) : spec.title }));
	if (spec.filters.length) head.append(filterBar(spec.filters, st, spec.periods || defaultPeriods()));
	const content = h('div', { class: 'grid', id: 'content' });
	mainEl.replaceChildren(head, content);
	try {
		spec.render(st, content, head);
	} catch (e) {
		console.error(e);
	}
	updateNavLinks();
	endRender();
}

function defaultPeriods() {
	return ['days:28', 'days:90', 'days:365', ...years().map((y) => `year:${y}`), 'all'];
}

/**
 * Boots a page: spec = {id, title, filters: ['sport','period'], state: {page keys: defaults},
 * periods?: [...], heading?(st), render(st, content, head)}.
 */
export async function boot(s) {
	spec = { filters: [], state: {}, ...s };
	initState({ ...spec.state }, spec.filters);
	document.body.prepend(header(spec.id));
	if (!(await authBoot(document.querySelector('header.top')))) return; /* strava mode: login first */
	mainEl = document.getElementById('main');
	window.cairn.state = getState;
	window.cairn.rerender = rerender;
	await getMe();
	const pref = me && (me.athlete ? me.athlete.measurement_preference : me.measurement_preference);
	if (!unitsChosen() && pref === 'feet') {
		setUnits('imperial', false);
		for (const x of document.querySelectorAll('.units button'))
			x.setAttribute('aria-pressed', String(x.dataset.units === getUnits()));
	}
	onState(() => rerender());
	matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => rerender());
	rerender();
}

export { getState, setState };
