// calendar.js: the Calendar page: a year heatmap of daily distance, time or load; a day's activities on click; monthly totals
import { boot, setState, years } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, seg, table, sportCell } from '../ui.js';
import { chartIn, sportColor, colors } from '../charts.js';
import * as f from '../fmt.js';

const METRICS = [
	{ value: 'distance', label: 'Distance' },
	{ value: 'time', label: 'Time' },
	{ value: 'load', label: 'Load' },
];

function valueText(metric, v) {
	if (metric === 'time') return f.hours(v);
	if (metric === 'load') return `${f.num(v)} load`;
	return f.dist(v);
}

function heatmap(r, st) {
	const y = +r.year;
	const by = new Map(r.days.map((d) => [d.date, d]));
	const max = r.max || Math.max(1, ...r.days.map((d) => d.value));
	const jan1 = new Date(y, 0, 1);
	const pad = (jan1.getDay() + 6) % 7;
	const grid = h('div', { class: 'cal-grid', role: 'grid', 'aria-label': `Daily ${r.metric} in ${y}` });
	for (let i = 0; i < pad; i++) grid.append(h('span', { class: 'cal-day pad', 'aria-hidden': 'true' }));
	const months = h('div', { class: 'cal-months', 'aria-hidden': 'true' });
	let lastMonth = -1;
	for (let dt = new Date(jan1); dt.getFullYear() === y; dt = f.addDays(dt, 1)) {
		const iso = f.isoDay(dt);
		const d = by.get(iso);
		const v = d ? d.value : 0;
		const lvl = v <= 0 ? 0 : Math.min(4, 1 + Math.floor((v / max) * 4 - 1e-9));
		const label = `${f.weekday(iso)}: ${d ? `${valueText(r.metric, v)}, ${d.count} ${d.count === 1 ? 'activity' : 'activities'}` : 'rest day'}`;
		grid.append(
			h('button', {
				type: 'button',
				class: `cal-day l${lvl}`,
				title: label,
				'aria-label': label,
				'aria-pressed': String(st.day === iso),
				dataset: { date: iso, value: String(v), count: String(d ? d.count : 0) },
				onclick: () => setState({ day: st.day === iso ? '' : iso }),
			}),
		);
		const week = Math.floor((pad + (dt - jan1) / 86400000) / 7);
		if (dt.getMonth() !== lastMonth && dt.getDate() <= 7) {
			lastMonth = dt.getMonth();
			const m = h('span', { text: dt.toLocaleDateString(undefined, { month: 'short' }) });
			m.style.gridColumnStart = String(week + 1);
			months.append(m);
		}
	}
	const legend = h(
		'div',
		{ class: 'legend', 'aria-hidden': 'true' },
		'Less',
		[0, 1, 2, 3, 4].map((l) => h('span', { class: `cal-day l${l}` })),
		'More',
	);
	return h('div', { class: 'cal' }, months, grid, legend);
}

function render(st, content, head) {
	const yr = +st.year || new Date().getFullYear();
	const ysel = h(
		'select',
		{ id: 'f-year', 'aria-label': 'Year' },
		years().map((y) => h('option', { value: y }, String(y))),
	);
	ysel.value = String(yr);
	ysel.addEventListener('change', () => setState({ year: ysel.value, day: '' }));
	head.querySelector('.filters').append(h('label', null, 'Year', ysel));
	const cal = card(`${yr}`, { span: 12, id: 'calendar' });
	cal.tools.append(seg('Metric', METRICS, st.metric, (v) => setState({ metric: v })));
	const dayCard = card(st.day ? f.weekday(st.day) : 'Pick a day', { span: 5, id: 'day' });
	const months = card('By month', { span: 7, id: 'months' });
	content.append(cal.el, months.el, dayCard.el);
	const data = () => get('calendar', { year: yr, sport: st.sport, metric: st.metric });
	panel(cal.body, async () => {
		const r = await data();
		const summary = h(
			'p',
			{ class: 'muted', id: 'cal-summary' },
			`${valueText(r.metric, r.total)} on ${f.num(r.active_days)} active days`,
		);
		cal.body.replaceChildren(summary, heatmap(r, st));
		if (!r.days.length)
			cal.body.append(h('div', { class: 'state empty' }, `No ${f.sportNoun(st.sport)} in ${yr}.`));
	});
	panel(months.body, async () => {
		const r = await data();
		if (!r.days.length) throw new Empty(`No ${f.sportNoun(st.sport)} in ${yr}.`);
		const tot = new Array(12).fill(0);
		for (const d of r.days) tot[+d.date.slice(5, 7) - 1] += d.value;
		const conv = (v) =>
			r.metric === 'time'
				? +(v / 3600).toFixed(1)
				: r.metric === 'load'
					? Math.round(v)
					: +f.distValue(v).toFixed(1);
		const unit = r.metric === 'time' ? 'h' : r.metric === 'load' ? 'load' : f.distUnit();
		chartIn(
			months,
			'months',
			{
				type: 'bar',
				data: {
					labels: tot.map((_, i) => new Date(yr, i, 1).toLocaleDateString(undefined, { month: 'short' })),
					datasets: [
						{
							label: `${METRICS.find((m) => m.value === r.metric).label} (${unit})`,
							data: tot.map(conv),
							backgroundColor: st.sport === 'all' ? colors().accent : sportColor(st.sport),
							borderRadius: 3,
						},
					],
				},
				options: { scales: { x: { grid: { display: false } } }, plugins: { legend: { display: false } } },
			},
			{ label: `Monthly ${r.metric} in ${yr} (${unit})` },
		);
	});
	panel(dayCard.body, async () => {
		if (!st.day) throw new Empty('Click a day in the calendar to see its activities.');
		const r = await get('activities', { sport: st.sport, from: st.day, to: st.day, limit: 20 });
		if (!r.activities.length) throw new Empty(`No ${f.sportNoun(st.sport)} on ${f.date(st.day)}: a rest day.`);
		dayCard.body.replaceChildren(
			table(
				[
					{
						label: 'Activity',
						value: (a) => h('a', { href: `/activity.html?id=${a.id}` }, a.name || a.sport),
					},
					{ label: 'Sport', value: (a) => sportCell(a.sport_group, a.sport) },
					{ label: 'Distance', num: true, value: (a) => (a.distance ? f.dist(a.distance, 1) : '–') },
					{ label: 'Time', num: true, value: (a) => f.duration(a.moving_time) },
				],
				r.activities,
				{ cls: 'day-activities' },
			),
		);
	});
}

boot({
	id: 'calendar',
	title: 'Calendar',
	filters: ['sport'],
	state: { year: '', metric: 'distance', day: '' },
	render,
});
