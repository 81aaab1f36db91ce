// records.js: the Records page: best efforts by distance with the history of PRs, and Eddington numbers with days per distance
import { boot, setState, years } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, table, seg, stat } from '../ui.js';
import { chartIn, colors, sportColor, dayAxis } from '../charts.js';
import * as f from '../fmt.js';
import { effortLabel } from './shared.js';

function render(st, content, head) {
	const ysel = h(
		'select',
		{ id: 'f-year', 'aria-label': 'Records of' },
		h('option', { value: '' }, 'All time'),
		years().map((y) => h('option', { value: y }, String(y))),
	);
	ysel.value = st.year;
	ysel.addEventListener('change', () => setState({ year: ysel.value }));
	head.querySelector('.filters').append(h('label', null, 'Records of', ysel));
	const scope = st.year ? st.year : 'all time';
	const rec = card(`Best efforts · ${scope}`, { span: 7, id: 'records' });
	const hist = card('PR history', { span: 5, id: 'pr-history' });
	content.append(rec.el, hist.el);
	const data = () => get('records', { sport: st.sport, year: st.year || undefined });
	panel(rec.body, async () => {
		const r = await data();
		if (!r.records.length) throw new Empty(`No best efforts for ${f.sportNoun(st.sport)} in ${scope}.`);
		const groups = [...new Set(r.records.map((x) => x.sport_group))];
		rec.body.replaceChildren(
			...groups.map((g) => {
				const rows = r.records.filter((x) => x.sport_group === g);
				return h(
					'div',
					null,
					groups.length > 1 ? h('h3', { class: 'muted', text: f.sportLabel(g) }) : null,
					table(
						[
							{ label: 'Distance', value: (x) => effortLabel(x.distance) },
							{ label: '#', num: true, value: (x) => String(x.rank) },
							{ label: 'Time', num: true, value: (x) => f.duration(x.elapsed) },
							{
								label: g === 'ride' ? 'Speed' : 'Pace',
								num: true,
								value: (x) => f.speedFor(g, x.distance / x.elapsed),
							},
							{
								label: 'Activity',
								value: (x) =>
									h(
										'a',
										{ href: `/activity.html?id=${x.activity_id}` },
										x.name || String(x.activity_id),
									),
							},
							{ label: 'Date', value: (x) => f.date(x.date) },
						],
						rows,
						{ cls: `records records-${g}` },
					),
				);
			}),
		);
	});
	panel(hist.body, async () => {
		const r = await data();
		// Paces of rides and runs do not share an axis: "all sports" shows the runs.
		const all = r.pr_events || [];
		const ev =
			st.sport === 'all' && all.some((e) => e.sport_group === 'run')
				? all.filter((e) => e.sport_group === 'run')
				: all;
		if (!ev.length) throw new Empty('No personal records yet.');
		const dists = [...new Set(ev.map((e) => `${e.sport_group}:${e.distance}`))];
		const palette = ['#1971c2', '#e8590c', '#2b8a3e', '#9c36b5', '#c92a2a', '#0c8599', '#f08c00', '#5c940d'];
		chartIn(
			hist,
			'pr-history',
			{
				type: 'line',
				data: {
					datasets: dists.map((k, i) => {
						const [g, d] = k.split(':');
						const pts = ev
							.filter((e) => e.sport_group === g && e.distance === +d)
							.sort((a, b) => (a.date < b.date ? -1 : 1));
						return {
							label: `${f.sportLabel(g, false)} ${effortLabel(+d)}`,
							data: pts.map((e) => ({
								x: f.dayNum(e.date),
								y: +f.paceValue(e.distance / e.elapsed).toFixed(0),
								elapsed: e.elapsed,
							})),
							borderColor: palette[i % palette.length],
							backgroundColor: palette[i % palette.length],
							stepped: 'before',
							pointRadius: 3,
						};
					}),
				},
				options: {
					parsing: false,
					scales: {
						x: dayAxis(),
						y: {
							reverse: true,
							title: { display: true, text: `pace, min${f.paceUnit()}` },
							ticks: { callback: (v) => f.paceClock(v) },
							grid: { color: colors().grid },
						},
					},
					plugins: {
						legend: { position: 'bottom' },
						tooltip: {
							callbacks: {
								title: (it) => f.date(f.dayFromNum(it[0].parsed.x)),
								label: (it) =>
									`${it.dataset.label}: ${f.duration(it.raw.elapsed)} (${f.paceClock(it.parsed.y)} ${f.paceUnit()})`,
							},
						},
					},
				},
			},
			{
				label: 'Each improvement of a personal record, as pace',
				size: 'tall',
				cols: [
					{ label: 'Date', value: (e) => f.date(e.date) },
					{
						label: 'Distance',
						value: (e) => `${f.sportLabel(e.sport_group, false)} ${effortLabel(e.distance)}`,
					},
					{ label: 'Time', num: true, value: (e) => f.duration(e.elapsed) },
				],
				rows: ev,
			},
		);
	});

	// Eddington: rides and runs, km and miles.
	const ed = card('Eddington number', { span: 12, id: 'eddington' });
	ed.tools.append(
		seg(
			'Eddington sport',
			[
				{ value: 'ride', label: 'Rides' },
				{ value: 'run', label: 'Runs' },
			],
			st.ed,
			(v) => setState({ ed: v }),
		),
	);
	content.append(ed.el);
	panel(ed.body, async () => {
		const [km, mi] = await Promise.all(['km', 'mi'].map((u) => get('eddington', { sport: st.ed, unit: u })));
		const main = f.getUnits() === 'imperial' ? mi : km;
		const stats = h(
			'div',
			{ class: 'stats' },
			stat(
				`E (${f.sportLabel(st.ed).toLowerCase()}, km)`,
				f.num(km.e),
				`${f.num(km.next_needed)} more days of ${km.e + 1} km for ${km.e + 1}`,
			),
			stat(
				`E (${f.sportLabel(st.ed).toLowerCase()}, miles)`,
				f.num(mi.e),
				`${f.num(mi.next_needed)} more days of ${mi.e + 1} mi for ${mi.e + 1}`,
			),
		);
		if (!main.histogram.length) {
			ed.body.replaceChildren(stats);
			throw new Empty(`No ${f.sportNoun(st.ed)} yet.`);
		}
		const n = main.histogram.length;
		const col = sportColor(st.ed);
		chartIn(
			ed,
			'eddington',
			{
				type: 'bar',
				data: {
					labels: main.histogram.map((_, i) => String(i + 1)),
					datasets: [
						{
							label: `Days of at least n ${main.unit}`,
							data: main.histogram,
							backgroundColor: main.histogram.map((v, i) => (i + 1 <= main.e ? col : colors().line)),
							borderRadius: 2,
						},
						{
							type: 'line',
							label: 'n days',
							data: main.histogram.map((_, i) => i + 1),
							borderColor: colors().muted,
							borderDash: [4, 4],
							borderWidth: 1,
							pointRadius: 0,
						},
					],
				},
				options: {
					scales: {
						x: {
							title: { display: true, text: `n (${main.unit})` },
							grid: { display: false },
							ticks: { autoSkipPadding: 10, maxRotation: 0 },
						},
						y: {
							type: 'logarithmic',
							title: { display: true, text: 'days' },
							grid: { color: colors().grid },
						},
					},
					plugins: { legend: { position: 'bottom' } },
				},
			},
			{ label: `Days with at least n ${main.unit} of ${f.sportNoun(st.ed)}, for n = 1 to ${n}`, before: stats },
		);
	});
}

boot({ id: 'records', title: 'Records', filters: ['sport'], state: { year: '', ed: 'ride' }, render });
