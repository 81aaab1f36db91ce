// fitness.js: the Fitness page: CTL/ATL with daily load, form (TSB), ramp rate, the 14-day projection, drag to zoom, EF and decoupling over time
import { boot, setState, firstDate } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, stat } from '../ui.js';
import { chartIn, colors, alpha, dayAxis, DECIMATE } from '../charts.js';
import * as f from '../fmt.js';
import { periodRange, periodLabel } from '../state.js';

/** The range to ask for: a zoom (from/to) wins over the period; ranges reaching today keep the projection. */
function rangeOf(st) {
	if (st.from && st.to) return { from: st.from, to: st.to, label: `${f.date(st.from)} – ${f.date(st.to)}` };
	const r = periodRange(st.period);
	const today = f.isoDay(new Date());
	const from = r.from || firstDate() || f.isoDay(f.addDays(new Date(), -3650));
	return { from, to: r.to && r.to < today ? r.to : undefined, label: periodLabel(st.period) };
}

/** Drag across a chart to zoom into that range (a plugin: draws the selection). */
function zoomPlugin(onZoom) {
	let start = null;
	let cur = null;
	return {
		id: 'dragzoom',
		afterEvent(chart, args) {
			const e = args.event;
			if (e.type === 'mousedown') {
				start = e.x;
				cur = e.x;
			} else if (e.type === 'mousemove' && start !== null) {
				cur = e.x;
				args.changed = true;
			} else if (e.type === 'mouseup' && start !== null) {
				const a = Math.min(start, e.x);
				const b = Math.max(start, e.x);
				start = null;
				args.changed = true;
				if (b - a > 8) {
					const x = chart.scales.x;
					onZoom(
						f.dayFromNum(Math.round(x.getValueForPixel(a))),
						f.dayFromNum(Math.round(x.getValueForPixel(b))),
					);
				}
			} else if (e.type === 'mouseout') {
				start = null;
				args.changed = true;
			}
		},
		afterDraw(chart) {
			if (start === null || cur === null) return;
			const { top, bottom } = chart.chartArea;
			const ctx = chart.ctx;
			ctx.save();
			ctx.fillStyle = alpha(colors().accent.startsWith('#') ? colors().accent : '#3b5bdb', 0.15);
			ctx.fillRect(Math.min(start, cur), top, Math.abs(cur - start), bottom - top);
			ctx.restore();
		},
	};
}

function render(st, content) {
	const rg = rangeOf(st);
	const main = card(`Fitness and fatigue · ${rg.label}`, { span: 12, id: 'fitness' });
	const now = card('Today', { span: 12, id: 'fitness-now' });
	const form = card('Form', { span: 6, id: 'form' });
	const ramp = card('Ramp rate', { span: 6, id: 'ramp' });
	const prog = card(`Efficiency and decoupling · ${rg.label}`, { span: 12, id: 'progress' });
	content.append(now.el, main.el, form.el, ramp.el, prog.el);
	if (st.from && st.to) {
		main.tools.append(
			h(
				'button',
				{ type: 'button', class: 'reset-zoom', onclick: () => setState({ from: '', to: '' }) },
				'Reset zoom',
			),
		);
	} else {
		main.tools.append(h('span', { class: 'muted' }, 'Drag across the chart to zoom'));
	}
	const data = () => get('fitness', { from: rg.from, to: rg.to });
	const split = async () => {
		const r = await data();
		if (!r.days.length) throw new Empty(`No training load in ${rg.label}.`);
		return { all: r.days, past: r.days.filter((d) => !d.projected), proj: r.days.filter((d) => d.projected) };
	};
	const pt = (k) => (d) => ({ x: f.dayNum(d.date), y: d[k] });
	const tooltip = { callbacks: { title: (it) => f.weekday(f.dayFromNum(it[0].parsed.x)) } };

	panel(now.body, async () => {
		const { past, proj } = await split();
		const last = past[past.length - 1];
		const end = proj.length ? proj[proj.length - 1] : null;
		now.body.replaceChildren(
			h(
				'div',
				{ class: 'stats' },
				stat('Fitness (CTL)', f.num(last.ctl, 1), f.date(last.date)),
				stat('Fatigue (ATL)', f.num(last.atl, 1)),
				stat(
					'Form (TSB)',
					f.num(last.tsb, 1),
					last.tsb > 5
						? 'fresh'
						: last.tsb < -30
							? 'high risk'
							: last.tsb < -10
								? 'optimal training'
								: 'grey zone',
				),
				stat('Ramp rate', f.num(last.ramp, 1), 'CTL change over 7 days', last.ramp > 8 ? 'down' : ''),
				end ? stat('In 14 days', f.num(end.ctl, 1), `form ${f.num(end.tsb, 1)} if you rest`) : null,
			),
		);
	});

	panel(main.body, async () => {
		const { past, proj } = await split();
		const c = colors();
		const join = past.length ? [past[past.length - 1], ...proj] : proj;
		chartIn(
			main,
			'fitness',
			{
				type: 'line',
				data: {
					datasets: [
						{
							label: 'Fitness (CTL)',
							data: past.map(pt('ctl')),
							borderColor: c.ctl,
							backgroundColor: alpha(c.ctl, 0.1),
							fill: 'origin',
							yAxisID: 'y',
						},
						{
							label: 'Fatigue (ATL)',
							data: past.map(pt('atl')),
							borderColor: c.atl,
							borderWidth: 1.25,
							yAxisID: 'y',
						},
						{
							label: 'Fitness, projected',
							data: join.map(pt('ctl')),
							borderColor: c.ctl,
							borderDash: [5, 4],
							yAxisID: 'y',
						},
						{
							label: 'Fatigue, projected',
							data: join.map(pt('atl')),
							borderColor: c.atl,
							borderDash: [5, 4],
							borderWidth: 1.25,
							yAxisID: 'y',
						},
						{
							type: 'bar',
							label: 'Daily load',
							data: past.map(pt('load')),
							backgroundColor: c.load,
							yAxisID: 'yLoad',
							barThickness: 'flex',
							categoryPercentage: 1,
							barPercentage: 1,
						},
					],
				},
				options: {
					parsing: false,
					interaction: { mode: 'index', intersect: false },
					events: ['mousemove', 'mouseout', 'mousedown', 'mouseup', 'click', 'touchstart', 'touchmove'],
					scales: {
						x: dayAxis(),
						y: { position: 'left', title: { display: true, text: 'CTL / ATL' }, grid: { color: c.grid } },
						yLoad: {
							position: 'right',
							beginAtZero: true,
							grid: { display: false },
							title: { display: true, text: 'daily load' },
						},
					},
					plugins: { decimation: DECIMATE, legend: { position: 'bottom' }, tooltip },
				},
				plugins: [zoomPlugin((from, to) => setState({ from, to }))],
			},
			{
				label: `Fitness, fatigue and daily load, ${rg.label}`,
				size: 'tall',
				cols: [
					{ label: 'Date', value: (d) => f.date(d.date) },
					{ label: 'Load', num: true, value: (d) => f.num(d.load, 1) },
					{ label: 'CTL', num: true, value: (d) => f.num(d.ctl, 1) },
					{ label: 'ATL', num: true, value: (d) => f.num(d.atl, 1) },
					{ label: 'TSB', num: true, value: (d) => f.num(d.tsb, 1) },
					{ label: 'Projected', value: (d) => (d.projected ? 'yes' : '') },
				],
				rows: [...past, ...proj].reverse(),
			},
		);
	});

	panel(form.body, async () => {
		const { past, proj } = await split();
		const c = colors();
		chartIn(
			form,
			'form',
			{
				type: 'line',
				data: {
					datasets: [
						{
							label: 'Form (TSB)',
							data: past.map(pt('tsb')),
							borderColor: c.tsb,
							backgroundColor: alpha(c.tsb, 0.15),
							fill: 'origin',
						},
						{
							label: 'Form, projected',
							data: [past[past.length - 1], ...proj].map(pt('tsb')),
							borderColor: c.tsb,
							borderDash: [5, 4],
						},
					],
				},
				options: {
					parsing: false,
					interaction: { mode: 'index', intersect: false },
					scales: { x: dayAxis(), y: { grid: { color: c.grid } } },
					plugins: { decimation: DECIMATE, legend: { display: false }, tooltip },
				},
			},
			{ label: `Form (training stress balance), ${rg.label}` },
		);
	});

	panel(ramp.body, async () => {
		const { past } = await split();
		const c = colors();
		const weekly = past.filter((d, i) => i === past.length - 1 || f.parseDay(d.date).getDay() === 0);
		chartIn(
			ramp,
			'ramp',
			{
				type: 'bar',
				data: {
					datasets: [
						{
							label: 'Ramp rate (CTL/week)',
							data: weekly.map(pt('ramp')),
							backgroundColor: weekly.map((d) =>
								d.ramp > 8 ? c.danger : d.ramp < 0 ? alpha(c.ctl, 0.45) : c.ctl,
							),
						},
					],
				},
				options: {
					parsing: false,
					scales: { x: dayAxis({ offset: true }), y: { grid: { color: c.grid } } },
					plugins: { legend: { display: false }, tooltip },
				},
			},
			{ label: `Weekly ramp rate, ${rg.label}` },
		);
	});
	progressChart(prog, rg);
}

/** EF of rides and runs (left axis) beside aerobic decoupling (right axis, %), one point per activity. */
function progressChart(prog, rg) {
	panel(prog.body, async () => {
		const r = await get('progress', { from: rg.from, to: rg.to });
		const acts = r.activities;
		if (!acts.length) throw new Empty(`No ride or run with an efficiency factor in ${rg.label}.`);
		const c = colors();
		const pts = (grp, k) =>
			acts
				.filter((a) => (!grp || a.sport_group === grp) && a[k] !== null)
				.map((a) => ({ x: f.dayNum(a.date), y: a[k], id: a.activity_id }));
		const dot = (label, data, col, axis, style = 'circle') => ({
			label,
			data,
			yAxisID: axis,
			borderColor: col,
			backgroundColor: alpha(col.startsWith('#') ? col : '#888888', 0.6),
			pointStyle: style,
			pointRadius: 3,
			showLine: false,
		});
		chartIn(
			prog,
			'progress',
			{
				type: 'line',
				data: {
					datasets: [
						dot('EF rides (NP W per bpm)', pts('ride', 'ef'), c.ride, 'y'),
						dot('EF runs (GAP m/min per bpm)', pts('run', 'ef'), c.run, 'y'),
						dot('Decoupling Pa:HR (%)', pts(null, 'decoupling'), c.muted, 'y2', 'triangle'),
					],
				},
				options: {
					parsing: false,
					scales: {
						x: dayAxis(),
						y: { title: { display: true, text: 'EF' }, grid: { color: c.grid } },
						y2: {
							position: 'right',
							title: { display: true, text: 'decoupling %' },
							grid: { display: false },
						},
					},
					plugins: {
						tooltip: { callbacks: { title: (it) => f.date(f.dayFromNum(it[0].parsed.x)) } },
					},
				},
			},
			{
				label: `Efficiency factor and aerobic decoupling per activity, ${rg.label}`,
				cols: [
					{ label: 'Date', value: (a) => f.date(a.date) },
					{ label: 'Sport', value: (a) => a.sport_group },
					{ label: 'EF', num: true, value: (a) => (a.ef === null ? '' : f.num(a.ef, 3)) },
					{
						label: 'Decoupling %',
						num: true,
						value: (a) => (a.decoupling === null ? '' : f.num(a.decoupling, 1)),
					},
				],
				rows: [...acts].reverse(),
			},
		);
	});
}

boot({
	id: 'fitness',
	title: 'Fitness',
	filters: ['period'],
	state: { from: '', to: '' },
	resetOnFilter: { from: '', to: '' },
	render,
});
