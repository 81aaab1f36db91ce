// activity.js: the Activity page: route map, stream charts on one axis with hover marking the map (grade-adjusted pace beside pace for runs, power with the estimate dashed, W′ balance under it), laps and intervals whose picked span is shaded on the charts and drawn on the map, metrics, zones, power curve, best efforts
import { boot, setState } from '../app.js';
import { apiUrl } from '../api.js';
import { detail as fetchDetail, streams as fetchStreams } from './activityfetch.js';
import { h, card, panel, Empty, stat, seg, table, sportCell } from '../ui.js';
import { chartIn, colors, alpha, sportColor, durationAxis, niceStep } from '../charts.js';
import { makeMap, decodePolyline } from '../map.js';
import * as f from '../fmt.js';
import { zoneChart } from './zonechart.js';
import { effortLabel, meanMax } from './shared.js';

const CHANNELS = [
	{ key: 'altitude', title: 'Elevation', color: 'all', fill: true },
	{ key: 'velocity_smooth', title: 'Speed', color: 'accent' },
	{ key: 'heartrate', title: 'Heart rate', color: 'atl', unit: 'bpm' },
	{ key: 'watts', title: 'Power', color: 'ride', unit: 'W' },
	{ key: 'wbal', title: 'W′ balance', color: 'ctl', unit: 'kJ' },
	{ key: 'cadence', title: 'Cadence', color: 'other', unit: 'rpm' },
];

/** The Escape listener of the current render pass (aborted by the next). */
let keysOff = null;

/** Converts one stream value for display (units, pace). */
function conv(key, v, group) {
	if (v === null || v === undefined) return null;
	if (key === 'altitude') return +f.elevValue(v).toFixed(1);
	if (key === 'velocity_smooth') {
		if (group === 'run' || group === 'swim') {
			const p = f.paceValue(v);
			return p && p < 1800 ? Math.round(p) : null;
		}
		return +f.speedValue(v).toFixed(1);
	}
	if (key === 'wbal') return +(v / 1000).toFixed(2);
	return v;
}
function channelMeta(ch, group) {
	if (ch.key === 'altitude') return { title: 'Elevation', unit: f.elevUnit() };
	if (ch.key === 'velocity_smooth')
		return group === 'run' || group === 'swim'
			? { title: 'Pace', unit: `min${f.paceUnit()}`, pace: true }
			: { title: 'Speed', unit: f.speedUnit() };
	if (ch.key === 'cadence') return { title: 'Cadence', unit: 'rpm' };
	return { title: ch.title, unit: ch.unit };
}

/** Axis bounds that ignore the few outliers of speed (stops, GPS jumps): 1st to 99th percentile, padded. */
function robust(data, key) {
	if (key !== 'velocity_smooth') return {};
	const v = data
		.map((p) => p.y)
		.filter((y) => y !== null && Number.isFinite(y))
		.sort((a, b) => a - b);
	if (v.length < 20) return {};
	const lo = v[Math.floor(v.length * 0.01)];
	const hi = v[Math.floor(v.length * 0.99)];
	const pad = (hi - lo) * 0.15 || 1;
	return { min: Math.max(0, Math.floor(lo - pad)), max: Math.ceil(hi + pad) };
}

/** Draws a vertical line at the hovered point. */
const crosshair = {
	id: 'crosshair',
	afterDatasetsDraw(chart) {
		const act = chart.getActiveElements();
		if (!act.length) return;
		const x = act[0].element.x;
		const { top, bottom } = chart.chartArea;
		const ctx = chart.ctx;
		ctx.save();
		ctx.strokeStyle = colors().muted;
		ctx.lineWidth = 1;
		ctx.beginPath();
		ctx.moveTo(x, top);
		ctx.lineTo(x, bottom);
		ctx.stroke();
		ctx.restore();
	},
};

/** Shades the chosen lap or interval ({from, to} on the chart's x axis, chart.$span) over the plot area. */
const spanBox = {
	id: 'spanBox',
	beforeDatasetsDraw(chart) {
		const s = chart.$span;
		if (!s) return;
		const { left, right, top, bottom } = chart.chartArea;
		const x = chart.scales.x;
		const x0 = Math.max(left, x.getPixelForValue(s.from));
		const x1 = Math.min(right, Math.max(x0 + 1, x.getPixelForValue(s.to)));
		if (x0 >= right) return;
		const ctx = chart.ctx;
		ctx.save();
		ctx.fillStyle = s.fill;
		ctx.fillRect(x0, top, x1 - x0, bottom - top);
		ctx.strokeStyle = s.edge;
		ctx.lineWidth = 1;
		ctx.strokeRect(x0 + 0.5, top + 0.5, x1 - x0 - 1, bottom - top - 1);
		ctx.restore();
	},
};

/** The value of `ys` at time `t` (seconds), interpolated between the samples of `times` (ascending). */
function atTime(times, ys, t) {
	let lo = 0;
	let hi = times.length - 1;
	if (t <= times[lo]) return ys[lo];
	if (t >= times[hi]) return ys[hi];
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (times[mid] <= t) lo = mid;
		else hi = mid;
	}
	const a = ys[lo];
	const b = ys[hi];
	if (a === null || b === null) return a ?? b;
	return a + ((b - a) * (t - times[lo])) / (times[hi] - times[lo]);
}

/** The route points of the samples within [from, to] seconds, as runs without gaps: [[[lat, lng], ...], ...]. */
function routeSpan(times, latlng, from, to) {
	const segs = [];
	let cur = [];
	for (let i = 0; i < times.length; i++) {
		if (times[i] < from || times[i] > to) continue;
		if (latlng[i]) cur.push(latlng[i]);
		else if (cur.length) {
			segs.push(cur);
			cur = [];
		}
	}
	if (cur.length) segs.push(cur);
	return segs;
}

const BASIS = { power: 'FTP', speed: 'threshold pace', hr: 'threshold HR' };

/** The columns of a laps or intervals table: those the rows have figures for, pace or speed by sport. */
function spanCols(a, rows, kind, pick) {
	const g = a.sport_group;
	const has = (k) => rows.some((r) => r[k] !== null && r[k] !== undefined);
	const both = (x, y, d = 0) => (y === null || y === undefined ? f.num(x, d) : `${f.num(x, d)} / ${f.num(y, d)}`);
	const cols = [
		{
			label: '#',
			value: (r) =>
				h(
					'button',
					{
						type: 'button',
						class: 'span-pick',
						'aria-pressed': 'false',
						'aria-label': `${kind === 'laps' ? 'Lap' : 'Interval'} ${r.n}: show on the charts and map`,
						onclick: (ev) => {
							ev.stopPropagation();
							pick(r);
						},
					},
					String(r.n),
				),
		},
		{ label: 'Start', num: true, value: (r) => f.duration(r.start_offset) },
		{ label: 'Time', num: true, value: (r) => f.duration(r.elapsed) },
		{ label: 'Distance', num: true, value: (r) => f.dist(r.distance, 2) },
		{
			label: g === 'run' || g === 'swim' ? 'Pace' : 'Speed',
			num: true,
			value: (r) => f.speedFor(g, r.avg_speed),
		},
	];
	if (g === 'run' && has('gap')) cols.push({ label: 'GAP', num: true, value: (r) => f.speedFor(g, r.gap) });
	if (has('avg_hr')) cols.push({ label: 'HR avg / max', num: true, value: (r) => both(r.avg_hr, r.max_hr) });
	if (has('avg_power'))
		cols.push({
			label: a.power_estimated ? 'Power avg / NP (est.)' : 'Power avg / NP',
			num: true,
			value: (r) =>
				r.avg_power === null ? '–' : `${both(r.avg_power, r.np)} W${a.power_estimated ? ' est.' : ''}`,
		});
	cols.push({ label: 'Climb', num: true, value: (r) => f.elev(r.elevation_gain) });
	if (kind === 'intervals')
		cols.push({
			label: 'Intensity',
			num: true,
			value: (r) =>
				r.intensity === null || r.intensity === undefined
					? '–'
					: `${f.num(r.intensity * 100)} % ${BASIS[r.basis] || ''}`.trim(),
		});
	return cols;
}

function metrics(a) {
	const g = a.sport_group;
	const items = [
		stat('Distance', a.distance ? f.dist(a.distance, 2) : '–'),
		stat(
			'Moving time',
			f.duration(a.moving_time),
			a.elapsed_time && a.elapsed_time !== a.moving_time ? `${f.duration(a.elapsed_time)} elapsed` : '',
		),
		stat(
			g === 'run' || g === 'swim' ? 'Pace' : 'Speed',
			f.speedFor(g, a.avg_speed),
			a.max_speed ? `max ${f.speedFor(g, a.max_speed)}` : '',
		),
		stat('Climbing', f.elev(a.elevation_gain)),
	];
	if (a.gap !== null && a.gap !== undefined) items.push(stat('GAP', f.speedFor(g, a.gap), 'grade-adjusted pace'));
	if (a.avg_hr) items.push(stat('Heart rate', `${f.num(a.avg_hr)} bpm`, a.max_hr ? `max ${f.num(a.max_hr)}` : ''));
	if (a.avg_power)
		items.push(
			stat(
				a.power_estimated ? 'Power (estimated)' : 'Power',
				`${f.num(a.avg_power)} W`,
				a.np ? `NP ${f.num(a.np)} W` : '',
			),
		);
	if (a.est_avg_power !== null && a.est_avg_power !== undefined && !a.power_estimated)
		items.push(stat('Estimated power', `${f.num(a.est_avg_power)} W`, a.est_np ? `NP ${f.num(a.est_np)} W` : ''));
	if (a.wbal_min !== null && a.wbal_min !== undefined)
		items.push(stat('Lowest W′ balance', `${f.num(a.wbal_min / 1000, 1)} kJ`));
	if (a.ef !== null && a.ef !== undefined)
		items.push(stat('Efficiency factor', f.num(a.ef, 2), g === 'run' ? 'GAP m/min per bpm' : 'NP per bpm'));
	if (a.intensity) items.push(stat('Intensity', f.num(a.intensity, 2), a.vi ? `VI ${f.num(a.vi, 2)}` : ''));
	if (a.load !== null && a.load !== undefined)
		items.push(stat('Load', f.num(a.load), a.load_kind ? `from ${a.load_kind}` : ''));
	if (a.avg_cadence) items.push(stat('Cadence', f.num(a.avg_cadence)));
	if (a.kilojoules) items.push(stat('Energy', `${f.num(a.kilojoules)} kJ`));
	if (a.decoupling !== null && a.decoupling !== undefined)
		items.push(stat('Decoupling', `${f.num(a.decoupling, 1)} %`, 'Pa:HR'));
	if (a.trimp) items.push(stat('TRIMP', f.num(a.trimp)));
	return h('div', { class: 'stats' }, items);
}

async function drawMap(mapCard, a, streams) {
	const el = h('div', { class: 'map', id: 'route-map', role: 'region', 'aria-label': 'Route map', tabindex: '0' });
	mapCard.body.replaceChildren(el);
	let pts = streams && streams.latlng ? streams.latlng : null;
	if (!pts || !pts.some(Boolean)) pts = a.summary_polyline ? decodePolyline(a.summary_polyline) : null;
	if (!pts || !pts.some(Boolean)) throw new Empty('This activity has no route (indoor or manual).');
	const L = window.L;
	const map = await makeMap(el);
	const segs = [];
	let cur = [];
	for (const p of pts) {
		if (p) cur.push(p);
		else if (cur.length) {
			segs.push(cur);
			cur = [];
		}
	}
	if (cur.length) segs.push(cur);
	const line = L.polyline(segs, { color: sportColor(a.sport_group), weight: 4, opacity: 0.9 }).addTo(map);
	map.fitBounds(line.getBounds(), { padding: [16, 16] });
	const first = pts.find(Boolean);
	const marker = L.circleMarker(first, {
		radius: 7,
		color: '#fff',
		weight: 2,
		fillColor: colors().atl,
		fillOpacity: 1,
	}).addTo(map);
	window.cairn.map = map;
	window.cairn.marker = marker;
	return { map, marker, pts, line };
}

/** Download links of the activity's full-resolution streams: GPX when they hold positions, TCX always. */
function downloads(tools, id, s) {
	if (!s) return;
	const link = (fmt, label) =>
		h(
			'a',
			{
				href: apiUrl(`activities/${id}/export`, { format: fmt }),
				download: `cairn-${id}.${fmt}`,
				class: 'csv',
				id: `export-${fmt}`,
			},
			label,
		);
	const links = [];
	if (s.keys.includes('latlng')) links.push(link('gpx', 'Download GPX'));
	links.push(link('tcx', 'Download TCX'));
	tools.replaceChildren(...links);
}

function render(st, content, head) {
	const id = st.id;
	if (!/^-?\d+$/.test(id)) {
		const c = card('Activity', { span: 12 });
		content.append(c.el);
		panel(c.body, async () => {
			throw new Empty('No activity chosen: open one from the Activities page.');
		});
		return;
	}
	const detail = () => fetchDetail(id);
	const strm = () => fetchStreams(id);
	const sum = card('Summary', { span: 12, id: 'summary' });
	const mapCard = card('Route', { span: 7, id: 'route' });
	const zonesCard = card('Zones', { span: 5, id: 'zones' });
	const lapsCard = card('Laps', { span: 12, id: 'laps' });
	content.append(sum.el, mapCard.el, zonesCard.el, lapsCard.el);
	strm().then(
		(s) => downloads(sum.tools, id, s),
		() => {},
	);
	panel(sum.body, async () => {
		const { activity: a } = await detail();
		head.querySelector('h1').textContent = a.name || a.sport;
		document.title = `${a.name || a.sport} · Cairn`;
		sum.head
			.querySelector('h2')
			.replaceChildren(sportCell(a.sport_group, `${a.sport} · ${f.dateTime(a.start_local)}`));
		sum.body.replaceChildren(metrics(a));
	});
	let mapReady = null;
	panel(mapCard.body, async () => {
		const [{ activity: a }, s] = await Promise.all([detail(), strm()]);
		mapReady = await drawMap(mapCard, a, s && s.streams);
	});
	panel(zonesCard.body, async () => {
		const { zones } = await detail();
		const kinds = ['power', 'hr', 'pace'].filter((k) => zones && zones[k] && zones[k].some((z) => z.seconds));
		if (!kinds.length) throw new Empty('No zone data for this activity.');
		zonesCard.body.replaceChildren();
		for (const k of kinds) {
			const sub = { body: h('div'), tools: h('div', { class: 'card-tools' }) };
			zonesCard.body.append(
				h(
					'div',
					{ class: 'card-head' },
					h('h3', { class: 'muted', text: k === 'hr' ? 'Heart rate' : k === 'power' ? 'Power' : 'Pace' }),
					sub.tools,
				),
				sub.body,
			);
			zoneChart(sub, `zones-${k}`, k, zones[k]);
		}
	});

	// Stream charts, one per channel, on one x axis.
	const xSel = h(
		'div',
		{ class: 'card-tools' },
		seg(
			'X axis',
			[
				{ value: 'time', label: 'Time' },
				{ value: 'distance', label: 'Distance' },
			],
			st.x,
			(v) => setState({ x: v }),
		),
	);
	const streamsHost = h('div', { class: 'span-12 grid', id: 'streams' });
	const bottom = h('div', { class: 'span-12 grid', id: 'activity-bottom' });
	content.append(h('div', { class: 'span-12 page-head' }, h('h2', { text: 'Streams' }), xSel), streamsHost, bottom);
	const charts = [];
	const streamsDone = (async () => {
		let s;
		try {
			s = await strm();
		} catch (e) {
			s = null;
		}
		const { activity: a } = await detail().catch(() => ({ activity: {} }));
		const g = a.sport_group;
		if (!s || !s.streams) {
			const c = card('Streams', { span: 12, id: 'streams-none' });
			streamsHost.append(c.el);
			panel(c.body, async () => {
				await strm();
				throw new Empty('This activity has no recorded streams.');
			});
			return;
		}
		window.cairn.streams = s;
		const xs =
			st.x === 'distance' && s.streams.distance
				? s.streams.distance.map((d) => (d === null ? null : +f.distValue(d).toFixed(3)))
				: s.streams.time || s.streams.distance.map((_, i) => i);
		const byDist = st.x === 'distance' && s.streams.distance;
		const has = (ys) => ys && ys.some((v) => v !== null && v !== 0);
		const draws = [];
		for (const ch of CHANNELS) {
			const est = ch.key === 'watts' && has(s.streams.est_watts) ? s.streams.est_watts : null;
			let ys = s.streams[ch.key];
			if (!has(ys)) ys = null;
			if (!ys && !est) continue;
			const meta = channelMeta(ch, g);
			const c = card(`${meta.title} (${meta.unit})`, { span: 12, id: `stream-${ch.key}` });
			streamsHost.append(c.el);
			const col = colors()[ch.color] || colors().accent;
			// A ride without a meter draws its estimate alone (dashed): every series is data[0]'s length.
			const data = (ys || est).map((v, i) => ({ x: xs[i], y: ys ? conv(ch.key, v, g) : null }));
			const datasets = [
				{
					label: meta.title,
					data,
					borderColor: col,
					backgroundColor: alpha(col.startsWith('#') ? col : '#888888', 0.18),
					fill: !!ch.fill,
					borderWidth: 1.5,
					spanGaps: true,
				},
			];
			if (est)
				datasets.push({
					label: 'Estimated power',
					data: est.map((v, i) => ({ x: xs[i], y: v })),
					borderColor: colors().muted,
					borderDash: [6, 4],
					borderWidth: 1.5,
					pointRadius: 0,
					fill: false,
					spanGaps: true,
				});
			// Runs: grade-adjusted pace beside pace, on the same axis.
			const gap =
				ch.key === 'velocity_smooth' && s.streams.gap
					? s.streams.gap.map((v, i) => ({ x: xs[i], y: conv(ch.key, v, g) }))
					: null;
			if (gap)
				datasets.push({
					label: 'GAP',
					data: gap,
					borderColor: colors().tsb,
					borderDash: [5, 3],
					fill: false,
					borderWidth: 1.5,
					spanGaps: true,
				});
			draws.push(() => {
				const chart = chartIn(
					c,
					ch.key === 'heartrate' ? 'hr' : ch.key,
					{
						type: 'line',
						data: { datasets },
						options: {
							parsing: false,
							interaction: { mode: 'index', intersect: false },
							scales: {
								x: {
									type: 'linear',
									min: xs[0],
									max: xs[xs.length - 1],
									grid: { display: false },
									afterBuildTicks: (ax) => {
										const step = byDist
											? niceStep(ax.max - ax.min, 6, [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100])
											: niceStep(ax.max - ax.min);
										const t = [];
										for (let v = Math.ceil(ax.min / step) * step; v <= ax.max + 1e-9; v += step)
											t.push({ value: +v.toFixed(3) });
										ax.ticks = t;
									},
									ticks: {
										maxRotation: 0,
										autoSkip: false,
										callback: (v) =>
											byDist
												? `${f.num(v, v < 10 && v % 1 ? 1 : 0)} ${f.distUnit()}`
												: f.duration(v),
									},
								},
								y: {
									reverse: !!meta.pace,
									grid: { color: colors().grid },
									...robust(data, ch.key),
									ticks: {
										callback: (v) =>
											meta.pace ? f.paceClock(v) : f.num(v, ch.key === 'wbal' ? 1 : 0),
									},
								},
							},
							plugins: {
								legend: { display: !!est || !!gap, labels: { boxHeight: 1 } },
								tooltip: {
									callbacks: {
										title: (it) =>
											byDist
												? `${f.num(it[0].parsed.x, 2)} ${f.distUnit()}`
												: f.duration(it[0].parsed.x),
										label: (it) =>
											`${it.dataset.label}: ${meta.pace ? f.paceClock(it.parsed.y) : f.num(it.parsed.y, 1)} ${meta.unit}`,
									},
								},
							},
							onHover: (ev, els) => {
								if (els.length) hoverAt(els[0].index, chart);
							},
						},
						plugins: [crosshair, spanBox],
					},
					{
						label: `${meta.title} over ${byDist ? 'distance' : 'time'}`,
						size: 'short',
						cols: [
							{
								label: byDist ? f.distUnit() : 'Time',
								value: (p) => (byDist ? f.num(p.x, 2) : f.duration(p.x)),
							},
							{
								label: meta.unit,
								num: true,
								value: (p) => (meta.pace ? f.paceClock(p.y) : f.num(p.y, 1)),
							},
							...(gap
								? [
										{
											label: `GAP ${meta.unit}`,
											num: true,
											value: (p) => (meta.pace ? f.paceClock(p.gap) : f.num(p.gap, 1)),
										},
									]
								: []),
						],
						rows: data
							.map((p, i) => (gap ? { ...p, gap: gap[i].y } : p))
							.filter((_, i) => i % Math.max(1, Math.floor(data.length / 200)) === 0),
					},
				);
				chart.canvas.addEventListener('mouseleave', () => clearHover());
				charts.push(chart);
			});
		}
		// Every card is in the page before the first chart measures its box: one layout, not one per chart.
		for (const draw of draws) draw();
		if (!charts.length) {
			const c = card('Streams', { span: 12, id: 'streams-none' });
			streamsHost.append(c.el);
			panel(c.body, async () => {
				throw new Empty('This activity has no chartable streams.');
			});
		}
		// The activity's own power curve, from its stream.
		if (s.streams.watts && s.streams.time) {
			const pc = card('Power curve of this activity', { span: 6, id: 'own-curve' });
			bottom.prepend(pc.el);
			panel(pc.body, async () => {
				const pts = (a.curves && a.curves.power) || meanMax(s.streams.time, s.streams.watts);
				if (!pts.length) throw new Empty('No power data.');
				chartIn(
					pc,
					'own-curve',
					{
						type: 'line',
						data: {
							datasets: [
								{
									label: 'Best average power',
									data: pts.map((p) => ({ x: p.duration, y: p.value })),
									borderColor: sportColor('ride'),
									pointRadius: 2,
								},
							],
						},
						options: {
							parsing: false,
							scales: { x: durationAxis(), y: { title: { display: true, text: 'W' } } },
							plugins: { legend: { display: false } },
						},
					},
					{ label: 'Best average power for each duration in this activity' },
				);
			});
		}
	})();
	const hoverAt = (i, src) => {
		for (const c of charts) {
			if (c === src) continue;
			c.setActiveElements([{ datasetIndex: 0, index: i }]);
			c.tooltip.setActiveElements([{ datasetIndex: 0, index: i }], { x: 0, y: 0 });
			c.update('none');
		}
		const s = window.cairn.streams;
		if (mapReady && s && s.streams.latlng && s.streams.latlng[i]) {
			mapReady.marker.setLatLng(s.streams.latlng[i]);
			window.cairn.markerIndex = i;
		}
	};
	const clearHover = () => {
		for (const c of charts) {
			c.setActiveElements([]);
			c.tooltip.setActiveElements([], { x: 0, y: 0 });
			c.update('none');
		}
	};
	const effCard = card('Best efforts', { span: 6, id: 'efforts' });
	bottom.append(effCard.el);
	panel(effCard.body, async () => {
		const { activity: a, best_efforts: eff } = await detail();
		if (!eff || !eff.length) throw new Empty('No best efforts in this activity.');
		effCard.body.replaceChildren(
			table(
				[
					{ label: 'Distance', value: (e) => effortLabel(e.distance) },
					{ label: 'Time', num: true, value: (e) => f.duration(e.elapsed) },
					{
						label: a.sport_group === 'ride' ? 'Speed' : 'Pace',
						num: true,
						value: (e) => f.speedFor(a.sport_group, e.distance / e.elapsed),
					},
					{ label: 'Starts at', num: true, value: (e) => f.duration(e.start_offset) },
					{ label: 'Rank', num: true, value: (e) => (e.rank === 1 ? 'PR' : e.rank ? `#${e.rank}` : '') },
				],
				eff,
				{ cls: 'efforts' },
			),
		);
	});
	panel(h('div'), () => streamsDone);

	// Laps and intervals: a row picked shades its span on every stream chart and draws it on the map.
	let picked = null;
	let spanLayer = null;
	const showSpan = (sel) => {
		picked = sel;
		const s = window.cairn.streams && window.cairn.streams.streams;
		const byDist = st.x === 'distance' && s && s.distance;
		const onAxis = (t) => (byDist ? f.distValue(atTime(s.time, s.distance, t)) : t);
		const col = colors().atl;
		for (const c of charts) {
			c.$span =
				sel && s
					? { from: onAxis(sel.from), to: onAxis(sel.to), fill: alpha(col, 0.14), edge: alpha(col, 0.6) }
					: null;
			c.update('none');
		}
		let points = 0;
		if (spanLayer) spanLayer.remove();
		spanLayer = null;
		if (mapReady && sel && s && s.latlng && s.time) {
			const segs = routeSpan(s.time, s.latlng, sel.from, sel.to);
			points = segs.reduce((n, x) => n + x.length, 0);
			if (points) {
				spanLayer = window.L.polyline(segs, { color: col, weight: 6, opacity: 1 }).addTo(mapReady.map);
				mapReady.map.fitBounds(spanLayer.getBounds(), { padding: [24, 24], maxZoom: 17 });
			}
		} else if (mapReady && !sel) mapReady.map.fitBounds(mapReady.line.getBounds(), { padding: [16, 16] });
		window.cairn.spanLayer = spanLayer;
		window.cairn.span = sel ? { ...sel, points } : null;
	};
	let unpick = () => showSpan(null);
	// A chart drawn after the pick shades it too.
	streamsDone.then(() => picked && showSpan(picked));
	if (keysOff) keysOff.abort();
	keysOff = new AbortController();
	document.addEventListener(
		'keydown',
		(ev) => {
			if (ev.key === 'Escape' && picked) unpick();
		},
		{ signal: keysOff.signal },
	);
	panel(lapsCard.body, async () => {
		const d = await detail();
		const a = d.activity;
		const sets = { laps: d.laps || [], intervals: d.intervals || [] };
		if (!sets.laps.length && !sets.intervals.length) throw new Empty('No laps or intervals in this activity.');
		let kind = sets.laps.length ? 'laps' : 'intervals';
		const pick = (r) => {
			const same = picked && picked.kind === kind && picked.n === r.n;
			// Offsets count from the streams' first sample.
			const t0 = (window.cairn.streams && window.cairn.streams.streams.time[0]) || 0;
			const from = t0 + r.start_offset;
			showSpan(same ? null : { kind, n: r.n, from, to: from + r.elapsed });
			mark();
		};
		const mark = () => {
			for (const tr of lapsCard.body.querySelectorAll('tbody tr')) {
				const on = !!picked && picked.kind === kind && picked.n === +tr.dataset.n;
				tr.classList.toggle('picked', on);
				tr.querySelector('button.span-pick').setAttribute('aria-pressed', String(on));
			}
		};
		unpick = () => {
			showSpan(null);
			mark();
		};
		const draw = () => {
			const rows = sets[kind].map((r, i) => ({ ...r, n: i + 1 }));
			const auto = kind === 'laps' && rows.every((r) => r.source === 'split');
			lapsCard.head.querySelector('h2').textContent = kind === 'laps' ? (auto ? 'Splits' : 'Laps') : 'Intervals';
			const tbl = table(spanCols(a, rows, kind, pick), rows, {
				cls: `spans ${kind}`,
				caption: auto ? 'Automatic splits (no laps recorded)' : null,
			});
			tbl.querySelectorAll('tbody tr').forEach((tr, i) => {
				tr.dataset.n = String(rows[i].n);
				tr.addEventListener('click', () => pick(rows[i]));
			});
			lapsCard.body.replaceChildren(tbl);
			mark();
			if (sets.intervals.length)
				lapsCard.tools.replaceChildren(
					seg(
						'Laps or intervals',
						[
							{ value: 'laps', label: `Laps (${sets.laps.length})` },
							{ value: 'intervals', label: `Intervals (${sets.intervals.length})` },
						],
						kind,
						(v) => {
							if (v === kind) return;
							kind = v;
							if (picked) showSpan(null);
							draw();
						},
					),
				);
		};
		draw();
	});
}

boot({ id: 'activity', title: 'Activity', state: { id: '', x: 'time' }, render });
