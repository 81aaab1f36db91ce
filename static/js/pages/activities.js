// activities.js: the Activities page: a filterable, sortable, keyset-paginated table and the CSV of the current filter
import { boot, setState } from '../app.js';
import { get, apiUrl } from '../api.js';
import { h, card, panel, Empty, table, sportCell } from '../ui.js';
import * as f from '../fmt.js';
import { periodRange, periodLabel } from '../state.js';

const LIMIT = 50;
const RESET = { cursor: '', trail: '' };

/** The API parameters of the current filter (without paging). */
function query(st) {
	const r = periodRange(st.period);
	return {
		sport: st.sport,
		from: r.from,
		to: r.to,
		gear: st.gear || undefined,
		q: st.q || undefined,
		min_distance: st.min_distance || undefined,
		max_distance: st.max_distance || undefined,
		sort: st.sort,
		order: st.order,
	};
}

function filterForm(st, gear) {
	const q = h('input', {
		type: 'search',
		id: 'f-q',
		name: 'q',
		placeholder: 'Name contains…',
		value: st.q,
		'aria-label': 'Name contains',
	});
	const toUnit = (m) => (m ? String(+f.distValue(+m).toFixed(1)) : '');
	const min = h('input', {
		type: 'number',
		id: 'f-min',
		min: '0',
		step: 'any',
		value: toUnit(st.min_distance),
		'aria-label': `Minimum distance (${f.distUnit()})`,
	});
	const max = h('input', {
		type: 'number',
		id: 'f-max',
		min: '0',
		step: 'any',
		value: toUnit(st.max_distance),
		'aria-label': `Maximum distance (${f.distUnit()})`,
	});
	const g = h(
		'select',
		{ id: 'f-gear', 'aria-label': 'Gear' },
		h('option', { value: '' }, 'All gear'),
		gear.map((x) => h('option', { value: x.id }, x.name || x.id)),
	);
	g.value = st.gear;
	const apply = (ev) => {
		if (ev) ev.preventDefault();
		const m = (el) => (el.value === '' ? '' : String(Math.round(f.distToMetres(+el.value))));
		setState({ q: q.value.trim(), min_distance: m(min), max_distance: m(max), gear: g.value, ...RESET });
	};
	g.addEventListener('change', apply);
	const form = h(
		'form',
		{ class: 'filters', id: 'activity-filters', onsubmit: apply },
		h('label', null, 'Search', q),
		h('label', null, `Distance (${f.distUnit()})`, min, '–', max),
		h('label', null, 'Gear', g),
		h('button', { type: 'submit' }, 'Apply'),
	);
	return form;
}

function render(st, content) {
	const c = card('Activities', { span: 12, id: 'activities' });
	const qp = query(st);
	const csv = h(
		'a',
		{
			// No limit: the API answers every activity the filter matches.
			href: apiUrl('activities', { ...qp, format: 'csv' }),
			download: 'activities.csv',
			class: 'csv',
			id: 'csv',
		},
		'Download CSV',
	);
	c.tools.append(csv);
	const filters = card('Filter', { span: 12, id: 'filter-card' });
	content.append(filters.el, c.el);
	panel(filters.body, async () => {
		let gear;
		try {
			gear = (await get('gear')).gear || [];
		} catch (e) {
			gear = [];
		}
		filters.body.replaceChildren(filterForm(st, gear));
	});
	panel(c.body, async () => {
		const r = await get('activities', { ...qp, limit: LIMIT, cursor: st.cursor || undefined });
		if (!r.activities.length) {
			const what = st.q || st.gear || st.min_distance || st.max_distance ? 'matching this filter' : '';
			throw new Empty(
				`No ${f.sportNoun(st.sport)} ${what} in ${periodLabel(st.period)}.`
					.replace(/\s+/g, ' ')
					.replace(' .', '.'),
			);
		}
		const sortBy = (key) =>
			setState({ sort: key, order: st.sort === key && st.order === 'desc' ? 'asc' : 'desc', ...RESET });
		const cols = [
			{ label: 'Date', key: 'date', value: (a) => f.date(a.date) },
			{ label: 'Name', value: (a) => h('a', { href: `/activity.html?id=${a.id}` }, a.name || a.sport) },
			{ label: 'Sport', value: (a) => sportCell(a.sport_group, a.sport) },
			{ label: 'Distance', key: 'distance', num: true, value: (a) => (a.distance ? f.dist(a.distance, 2) : '–') },
			{ label: 'Time', key: 'time', num: true, value: (a) => f.duration(a.moving_time) },
			{ label: 'Pace / speed', num: true, value: (a) => f.speedFor(a.sport_group, a.avg_speed) },
			{
				label: 'GAP',
				num: true,
				value: (a) => (a.gap === null || a.gap === undefined ? '–' : f.speedFor(a.sport_group, a.gap)),
			},
			{ label: 'Climb', num: true, value: (a) => f.elev(a.elevation_gain) },
			{ label: 'HR', num: true, value: (a) => f.num(a.avg_hr) },
			{ label: 'NP', key: 'np', num: true, value: (a) => (a.np ? `${f.num(a.np)} W` : '–') },
			{ label: 'Load', key: 'load', num: true, value: (a) => f.num(a.load) },
		];
		const trail = st.trail ? st.trail.split(',') : [];
		const page = trail.length + (st.cursor ? 1 : 0) + 1;
		const prev = h(
			'button',
			{
				type: 'button',
				id: 'prev',
				disabled: page === 1 ? true : null,
				onclick: () => {
					const t = trail.slice();
					const back = t.pop();
					setState({ cursor: back === '-' ? '' : back || '', trail: t.join(',') });
				},
			},
			'← Newer',
		);
		const next = h(
			'button',
			{
				type: 'button',
				id: 'next',
				disabled: r.next_cursor ? null : true,
				onclick: () => {
					setState({ cursor: r.next_cursor, trail: [...trail, st.cursor || '-'].join(',') });
				},
			},
			'Older →',
		);
		if (st.order === 'asc' || st.sort !== 'date') {
			prev.textContent = '← Previous';
			next.textContent = 'Next →';
		}
		c.body.replaceChildren(
			table(cols, r.activities, { sort: { key: st.sort, order: st.order }, onSort: sortBy, cls: 'activities' }),
			h('div', { class: 'pager' }, h('span', { class: 'muted' }, `Page ${page}`), prev, next),
		);
	});
}

boot({
	id: 'activities',
	title: 'Activities',
	filters: ['sport', 'period'],
	state: { gear: '', q: '', min_distance: '', max_distance: '', sort: 'date', order: 'desc', cursor: '', trail: '' },
	resetOnFilter: RESET,
	render,
});
