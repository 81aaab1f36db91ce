// curves.js: the Curves page: power, HR and pace curves (with grade-adjusted pace dashed beside pace) on a log time axis, all-time / this year / 90 days / a chosen year overlaid
import { boot, setState, years } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, seg, table } from '../ui.js';
import { chartIn, durationAxis, colors, alpha } from '../charts.js';
import * as f from '../fmt.js';

const KINDS = [
	{ value: 'power', label: 'Power' },
	{ value: 'hr', label: 'Heart rate' },
	{ value: 'pace', label: 'Pace' },
];

function yOf(kind, v) {
	if (kind === 'pace') {
		const p = f.paceValue(v);
		return p ? Math.round(p) : null;
	}
	return v;
}
function yText(kind, v) {
	if (kind === 'pace') return `${f.paceClock(v)} ${f.paceUnit()}`;
	return kind === 'hr' ? `${f.num(v)} bpm` : `${f.num(v)} W`;
}

function render(st, content, head) {
	const now = new Date().getFullYear();
	const ysel = h(
		'select',
		{ id: 'f-year', 'aria-label': 'Compare with year' },
		h('option', { value: '' }, 'No year'),
		years().map((y) => h('option', { value: y }, String(y))),
	);
	ysel.value = st.year;
	ysel.addEventListener('change', () => setState({ year: ysel.value }));
	head.querySelector('.filters').append(h('label', null, 'Compare', ysel));
	// Curves compare like with like: "all sports" means rides for power, runs for pace and heart rate.
	const natural = { power: 'ride', pace: 'run', hr: 'run' }[st.kind];
	const sport = st.sport === 'all' || (st.kind === 'pace' && st.sport === 'ride') ? natural : st.sport;
	const c = card(
		`${KINDS.find((k) => k.value === st.kind).label} curve${sport !== 'all' ? ` · ${f.sportLabel(sport)}` : ''}`,
		{ span: 12, id: 'curve' },
	);
	c.tools.append(seg('Curve', KINDS, st.kind, (v) => setState({ kind: v })));
	content.append(c.el);
	const cc = colors();
	const periods = [
		{ period: 'all', label: 'All time', color: cc.fg, width: 2.5 },
		{ period: `year:${now}`, label: String(now), color: cc.accent, width: 2 },
		{ period: 'days:90', label: 'Last 90 days', color: cc.atl, width: 2 },
	];
	if (st.year && +st.year !== now)
		periods.push({ period: `year:${st.year}`, label: String(st.year), color: cc.tsb, width: 2 });
	panel(c.body, async () => {
		// Pace: each period's grade-adjusted curve too (runs only have one), dashed in the period's colour.
		const lines =
			st.kind === 'pace'
				? periods.flatMap((p) => [
						{ ...p, kind: 'pace' },
						{ ...p, kind: 'gap', label: `${p.label} · GAP`, dash: [5, 3] },
					])
				: periods.map((p) => ({ ...p, kind: st.kind }));
		const all = await Promise.all(lines.map((p) => get(`curves/${p.kind}`, { period: p.period, sport })));
		const res = all.filter((r, i) => lines[i].kind === st.kind || r.points.length);
		const shown = lines.filter((l, i) => l.kind === st.kind || all[i].points.length);
		if (!res.some((r) => r.points.length))
			throw new Empty(`No ${st.kind === 'hr' ? 'heart-rate' : st.kind} data for ${f.sportNoun(sport)} yet.`);
		const datasets = res.map((r, i) => ({
			label: shown[i].label,
			data: r.points.map((p) => ({
				x: p.duration,
				y: yOf(st.kind, p.value),
				activity_id: p.activity_id,
				date: p.date,
				name: p.name,
			})),
			borderColor: shown[i].color,
			backgroundColor: alpha(shown[i].color.startsWith('#') ? shown[i].color : '#888888', 0.6),
			borderWidth: shown[i].width,
			borderDash: shown[i].dash || [],
			pointRadius: 2,
			pointHoverRadius: 5,
			parsing: false,
		}));
		const chart = chartIn(
			c,
			'curve',
			{
				type: 'line',
				data: { datasets },
				options: {
					parsing: false,
					interaction: { mode: 'nearest', intersect: false, axis: 'x' },
					scales: {
						x: durationAxis({ title: { display: true, text: 'duration' } }),
						y: {
							reverse: st.kind === 'pace',
							grid: { color: cc.grid },
							title: {
								display: true,
								text: st.kind === 'pace' ? `min${f.paceUnit()}` : st.kind === 'hr' ? 'bpm' : 'W',
							},
							ticks: { callback: (v) => (st.kind === 'pace' ? f.paceClock(v) : f.num(v)) },
						},
					},
					plugins: {
						legend: { position: 'bottom' },
						tooltip: {
							callbacks: {
								title: (it) => f.durShort(it[0].parsed.x),
								label: (it) => `${it.dataset.label}: ${yText(st.kind, it.parsed.y)}`,
								afterLabel: (it) => `${it.raw.name || 'activity'}, ${f.date(it.raw.date)}`,
							},
						},
					},
					onClick: (ev, els) => {
						if (els.length)
							location.assign(
								`/activity.html?id=${datasets[els[0].datasetIndex].data[els[0].index].activity_id}`,
							);
					},
					onHover: (ev, els) => {
						ev.native.target.classList.toggle('clickable', els.length > 0);
					},
				},
			},
			{
				label: `${st.kind} curve: best value for each duration`,
				size: 'tall',
				cols: [
					{ label: 'Duration', value: (r) => f.durShort(r.duration) },
					...res.map((r, i) => ({
						label: shown[i].label,
						num: true,
						value: (row) => {
							const p = r.points.find((q) => q.duration === row.duration);
							return p
								? h(
										'a',
										{
											href: `/activity.html?id=${p.activity_id}`,
											title: `${p.name || ''} ${f.date(p.date)}`,
										},
										yText(st.kind, yOf(st.kind, p.value)),
									)
								: '–';
						},
					})),
				],
				rows: [...new Set(res.flatMap((r) => r.points.map((p) => p.duration)))]
					.sort((a, b) => a - b)
					.map((d) => ({ duration: d })),
			},
		);
		void chart;
	});
	const note = card('Best efforts behind the curve', { span: 12, id: 'curve-list' });
	content.append(note.el);
	panel(note.body, async () => {
		const r = await get(`curves/${st.kind}`, { period: 'all', sport });
		if (!r.points.length) throw new Empty('No curve yet.');
		// The standard durations, exact points of every curve (docs/METRICS.md).
		const keyD = [5, 15, 30, 60, 300, 600, 1200, 3600];
		const rows = r.points.filter((p) => keyD.includes(p.duration));
		note.body.replaceChildren(
			table(
				[
					{ label: 'Duration', value: (p) => f.durShort(p.duration) },
					{ label: 'Best', num: true, value: (p) => yText(st.kind, yOf(st.kind, p.value)) },
					{
						label: 'Activity',
						value: (p) =>
							h('a', { href: `/activity.html?id=${p.activity_id}` }, p.name || String(p.activity_id)),
					},
					{ label: 'Date', value: (p) => f.date(p.date) },
				],
				rows.length ? rows : r.points.slice(0, 8),
			),
		);
	});
}

boot({ id: 'curves', title: 'Curves', filters: ['sport'], state: { kind: 'power', year: '' }, render });
