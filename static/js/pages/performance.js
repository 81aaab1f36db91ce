// performance.js: the Performance page: the athlete models of a day (CP, W′, eFTP; CS, D′, VDOT, race predictions), their history, and applying them as settings
import { boot, setState, getMe } from '../app.js';
import { get, post } from '../api.js';
import { h, card, panel, Empty, stat, table } from '../ui.js';
import { chartIn, colors, alpha, dayAxis, durationAxis } from '../charts.js';
import * as f from '../fmt.js';

const RACES = [
	{ distance: 5000, label: '5 km' },
	{ distance: 10000, label: '10 km' },
	{ distance: 21097.5, label: 'Half marathon' },
	{ distance: 42195, label: 'Marathon' },
];

/** The window of a day's model in words: "the 90 days up to 5 Dec 2026". */
const windowText = (m) => `the ${f.num(m.window_days || 90)} days up to ${f.date(m.date)}`;

/** Why a window (`win`, in words) has no model, in plain words (reason codes of met_model.h). */
function reasonText(sport, reason, win) {
	const what = sport === 'ride' ? 'rides with power' : 'runs';
	const wp = sport === 'ride' ? 'W′' : 'D′';
	switch (reason) {
		case 'too_few_efforts':
			return `Too few maximal efforts in ${win}: the model needs the best efforts of at least 3 durations between 2 and 20 minutes, the longest at least twice the shortest.`;
		case 'no_efforts_in_range':
			return sport === 'ride'
				? `No ${what} with efforts between 2 and 20 minutes in ${win}.`
				: `No ${what} with efforts between 2 and 20 minutes, or no best effort of 1,500 m or more, in ${win}.`;
		case 'negative_w_prime':
			return `The best efforts of ${win} are about as hard at 20 minutes as at 2 minutes, so ${wp} comes out at zero or below: they were not all-out.`;
		case 'poor_fit':
			return `The best efforts of ${win} do not follow the ${sport === 'ride' ? 'critical-power' : 'critical-speed'} curve (R² below 0.90): they look sub-maximal, as steady ${sport === 'ride' ? 'rides' : 'runs'} without hard 2–20 minute efforts do.`;
		default:
			return `No model for ${win} (${reason}).`;
	}
}

/** A stat with a key the tests can find. */
function keyStat(key, label, value, sub) {
	const el = stat(label, value, sub);
	el.dataset.key = key;
	return el;
}

const kj = (j) => (j === null || j === undefined ? null : j / 1000);
const paceOf = (ms) => f.paceValue(ms);

/** The card body when the day has no model: the reason, and a note when the date is before the sport's first activity. */
async function noModel(body, sport, m) {
	const me = await getMe();
	const first = me && me.counts && me.counts.by_sport && me.counts.by_sport[sport];
	const before =
		first && first.first && m.date < first.first.slice(0, 10)
			? ` Your first ${sport} is on ${f.date(first.first)}.`
			: '';
	body.replaceChildren(
		h(
			'div',
			{ class: 'state empty reason', dataset: { reason: m.reason } },
			h('span', { text: `No model. ${reasonText(sport, m.reason, windowText(m))}${before}` }),
		),
	);
}

const FIT_TICKS = [60, 120, 180, 300, 600, 1200, 1800];

/** Log-spaced durations from a to b (seconds) for drawing a fitted curve. */
function spread(a, b, n = 48) {
	const out = [];
	for (let i = 0; i <= n; i++) out.push(Math.round(a * Math.pow(b / a, i / n)));
	return [...new Set(out)];
}

/** The "Apply as settings" form of a sport: dry run first, then a confirmation, then the real POST. */
function applyForm(sport, m) {
	const id = `apply-${sport}`;
	const eff = h('input', {
		id: `${id}-from`,
		name: 'effective_from',
		type: 'date',
		value: m.date,
		max: f.isoDay(new Date()),
		required: true,
	});
	const msg = h('p', { class: 'msg', id: `${id}-msg`, role: 'status' });
	const confirmBox = h('div', { class: 'confirm hidden', id: `${id}-confirm`, role: 'group' });
	const btn = h('button', { type: 'submit', class: 'primary', id: `${id}-btn` }, 'Apply as settings…');
	const body = { sport, date: m.date };
	let asked = null; /* the effective_from of the dry run being confirmed */
	eff.addEventListener('change', () => confirmBox.classList.add('hidden'));
	const say = (cls, text) => {
		msg.className = `msg ${cls}`;
		msg.textContent = text;
	};
	const confirmRun = async (ev) => {
		const b = ev.target;
		b.disabled = true;
		try {
			const r = await post('model/apply', { ...body, effective_from: asked, dry_run: false });
			confirmBox.classList.add('hidden');
			const rc = r.recompute || {};
			say(
				'ok',
				`Saved ${settingsText(r.settings)} from ${f.date(r.effective_from)}. ` +
					(rc.queued
						? `Recompute queued for ${f.num(rc.activities)} ${rc.activities === 1 ? 'activity' : 'activities'} from ${f.date(rc.from)}.`
						: 'No activity needs recomputing.'),
			);
		} catch (e) {
			say('error', `Not applied: ${e.message}`);
		} finally {
			b.disabled = false;
		}
	};
	const submit = async (ev) => {
		ev.preventDefault();
		say('', '');
		confirmBox.classList.add('hidden');
		btn.disabled = true;
		try {
			asked = eff.value;
			const r = await post('model/apply', { ...body, effective_from: asked, dry_run: true });
			const rc = r.recompute || {};
			const range = rc.activities > 0 && rc.first && rc.last ? ` (${f.date(rc.first)} … ${f.date(rc.last)})` : '';
			confirmBox.replaceChildren(
				h(
					'p',
					{ id: `${id}-question` },
					`Set ${settingsText(r.settings)} from ${f.date(r.effective_from)} and recompute `,
					h('strong', { class: 'count', text: f.num(rc.activities || 0) }),
					` ${rc.activities === 1 ? 'activity' : 'activities'}${range}?`,
				),
				h(
					'div',
					{ class: 'form-row' },
					h('button', { type: 'button', class: 'primary', id: `${id}-yes`, onclick: confirmRun }, 'Confirm'),
					h(
						'button',
						{
							type: 'button',
							id: `${id}-no`,
							onclick: () => {
								confirmBox.classList.add('hidden');
								say('', 'Nothing changed.');
							},
						},
						'Cancel',
					),
				),
			);
			confirmBox.classList.remove('hidden');
		} catch (e) {
			say('error', `Cannot apply: ${e.message}`);
		} finally {
			btn.disabled = false;
		}
	};
	return h(
		'form',
		{ class: 'apply', id, onsubmit: submit },
		h('div', { class: 'form-row' }, h('label', null, 'Effective from', eff), btn),
		confirmBox,
		msg,
	);
}

const SETTING_LABELS = { ftp: 'FTP', cp: 'CP', w_prime: 'W′', threshold_pace: 'threshold pace' };
/** The settings of an apply answer as "FTP 251 W, CP 245 W, W′ 12.3 kJ". */
function settingsText(list) {
	return (list || [])
		.map((s) => {
			const v = +s.value;
			let t = String(s.value);
			if (s.name === 'ftp' || s.name === 'cp') t = `${f.num(v)} W`;
			else if (s.name === 'w_prime') t = `${f.num(v / 1000, 1)} kJ`;
			else if (s.name === 'threshold_pace')
				t = `${f.paceClock(f.getUnits() === 'imperial' ? v * 1.609344 : v)} ${f.paceUnit()}`;
			return `${SETTING_LABELS[s.name] || s.name} ${t}`;
		})
		.join(', ');
}

function rideModel(c, answer) {
	panel(c.body, async () => {
		const m = await answer;
		if (m.reason) return noModel(c.body, 'ride', m);
		c.body.replaceChildren(
			h(
				'div',
				{ class: 'stats' },
				keyStat('cp', 'Critical power', `${f.num(m.cp)} W`, 'CP'),
				keyStat('w_prime', 'W′', `${f.num(kj(m.w_prime), 1)} kJ`, 'work above CP'),
				keyStat('pmax', 'Pmax', `${f.num(m.pmax)} W`, 'best 5 s'),
				keyStat('eftp', 'eFTP', `${f.num(m.eftp)} W`, 'CP + W′/3600 s'),
				keyStat('r2', 'R²', f.num(m.r2, 3), 'fit of P = CP + W′/t'),
				keyStat('efforts', 'Efforts', f.num(m.efforts.length), '2–20 min, best of the window'),
			),
			applyForm('ride', m),
		);
	});
}

function runModel(c, answer) {
	panel(c.body, async () => {
		const m = await answer;
		if (m.reason) return noModel(c.body, 'run', m);
		const byDist = new Map((m.predictions || []).map((p) => [p.distance, p]));
		c.body.replaceChildren(
			h(
				'div',
				{ class: 'stats' },
				keyStat('cs', 'Critical speed', f.pace(m.cs), `${f.num(m.cs, 2)} m/s`),
				keyStat('d_prime', 'D′', `${f.num(m.d_prime)} m`, 'distance above CS'),
				keyStat('vdot', 'VDOT', f.num(m.vdot, 1), 'Daniels–Gilbert'),
				keyStat('r2', 'R²', f.num(m.r2, 3), 'fit of v = CS + D′/t'),
				keyStat('efforts', 'Efforts', f.num(m.efforts.length), '2–20 min, best of the window'),
			),
			table(
				[
					{ label: 'Race', value: (r) => r.label },
					{ label: 'VDOT time', num: true, value: (r) => f.duration(byDist.get(r.distance)?.time) },
					{
						label: 'VDOT pace',
						num: true,
						value: (r) => {
							const p = byDist.get(r.distance);
							return p && p.time ? f.pace(r.distance / p.time) : '–';
						},
					},
					{
						label: 'Riegel time',
						num: true,
						value: (r) => f.duration(byDist.get(r.distance)?.riegel_time),
					},
				],
				RACES,
				{
					caption: 'Race predictions: VDOT equations, and Riegel (t₂ = t₁ · (d₂/d₁)^1.06) beside them',
					cls: 'predictions',
				},
			),
			applyForm('run', m),
		);
	});
}

/** The efforts of the window and, with a model, the fitted curve over their range (log time axis). */
function fitChart(c, sport, answer) {
	panel(c.body, async () => {
		const m = await answer;
		const eff = m.efforts || [];
		if (!eff.length) throw new Empty(`No efforts between 2 and 20 minutes in the window up to ${f.date(m.date)}.`);
		const cc = colors();
		const col = sport === 'ride' ? cc.ride : cc.run;
		const y = (v) => (sport === 'ride' ? v : paceOf(v));
		const ytext = (v) => (sport === 'ride' ? `${f.num(v)} W` : `${f.paceClock(v)} ${f.paceUnit()}`);
		const datasets = [
			{
				type: 'scatter',
				label: 'Best efforts',
				data: eff.map((e) => ({ x: e.duration, y: y(e.value), activity_id: e.activity_id })),
				borderColor: col,
				backgroundColor: alpha(col.startsWith('#') ? col : '#888888', 0.55),
				pointRadius: 3,
				pointHoverRadius: 5,
			},
		];
		if (!m.reason) {
			const a = Math.min(...eff.map((e) => e.duration));
			const b = Math.max(...eff.map((e) => e.duration));
			const k = sport === 'ride' ? m.cp : m.cs;
			const w = sport === 'ride' ? m.w_prime : m.d_prime;
			datasets.push({
				type: 'line',
				label: sport === 'ride' ? 'Fitted P = CP + W′/t' : 'Fitted v = CS + D′/t',
				data: spread(a, b).map((t) => ({ x: t, y: y(k + w / t) })),
				borderColor: cc.fg,
				borderWidth: 2,
				pointRadius: 0,
			});
		}
		chartIn(
			c,
			`${sport}-fit`,
			{
				type: 'scatter',
				data: { datasets },
				options: {
					parsing: false,
					interaction: { mode: 'nearest', intersect: false },
					scales: {
						x: durationAxis({
							title: { display: true, text: 'duration' },
							afterBuildTicks(axis) {
								axis.ticks = FIT_TICKS.filter((v) => v >= axis.min && v <= axis.max).map((value) => ({
									value,
								}));
							},
						}),
						y: {
							reverse: sport === 'run',
							grid: { color: cc.grid },
							title: { display: true, text: sport === 'ride' ? 'W' : `min${f.paceUnit()}` },
							ticks: { callback: (v) => (sport === 'ride' ? f.num(v) : f.paceClock(v)) },
						},
					},
					plugins: {
						legend: { position: 'bottom' },
						tooltip: {
							callbacks: {
								title: (it) => f.durShort(it[0].parsed.x),
								label: (it) => `${it.dataset.label}: ${ytext(it.parsed.y)}`,
							},
						},
					},
					onClick: (ev, els) => {
						const p = els.length && datasets[els[0].datasetIndex].data[els[0].index];
						if (p && p.activity_id) location.assign(`/activity.html?id=${p.activity_id}`);
					},
				},
			},
			{
				label: `${sport === 'ride' ? 'Power' : 'Pace'} of the window's best efforts${m.reason ? '' : ' and the fitted curve'}`,
				cols: [
					{ label: 'Duration', value: (e) => f.durShort(e.duration) },
					{ label: 'Best', num: true, value: (e) => ytext(y(e.value)) },
					{
						label: 'Activity',
						value: (e) => h('a', { href: `/activity.html?id=${e.activity_id}` }, String(e.activity_id)),
					},
				],
				rows: eff,
			},
		);
	});
}

/** The empty state of a history without a single modelled day: how many days, and the most common reason. */
function historyEmpty(sport, days) {
	const what = sport === 'ride' ? 'ride' : 'run';
	if (!days.length) return `No ${what} history yet: the model starts with your first ${what}.`;
	const count = new Map();
	for (const d of days) count.set(d.reason, (count.get(d.reason) || 0) + 1);
	const [top] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
	return `None of the ${f.num(days.length)} days since your first ${what} has a model. Most often: ${reasonText(sport, top, `the window of ${f.num(days[0].window_days)} days`)}`;
}

/**
 * A history chart of one sport's model by day (time axis): `series` [{label, value(day), color, axis, dash, width}]
 * on the `axes` given (left `y`, right second axis); a day without a model is null, so a gap in the line.
 */
function historyChart(c, sport, hist, { series, axes, label, cols, tooltipLabel }) {
	panel(c.body, async () => {
		const r = await hist;
		const n = r.days.filter((d) => !d.reason).length;
		if (!n) throw new Empty(historyEmpty(sport, r.days));
		const cc = colors();
		const tooltip = { title: (it) => f.weekday(f.dayFromNum(it[0].parsed.x)) };
		if (tooltipLabel) tooltip.label = tooltipLabel;
		chartIn(
			c,
			`${sport}-history`,
			{
				type: 'line',
				data: {
					datasets: series.map((x) => ({
						label: x.label,
						data: r.days.map((d) => ({ x: f.dayNum(d.date), y: x.value(d) })),
						borderColor: x.color,
						borderDash: x.dash,
						borderWidth: x.width,
						yAxisID: x.axis,
					})),
				},
				options: {
					parsing: false,
					spanGaps: false,
					elements: { point: { radius: 1 } },
					interaction: { mode: 'index', intersect: false },
					scales: {
						x: dayAxis(),
						y: { position: 'left', grid: { color: cc.grid }, ...axes.y },
						...axes.more,
					},
					plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: tooltip } },
				},
			},
			{
				label: `${label} (${f.num(n)} of ${f.num(r.days.length)} days with a model)`,
				size: 'tall',
				cols: [
					{ label: 'Date', value: (d) => f.date(d.date) },
					...cols.map((x) => ({ label: x.label, num: true, value: (d) => (d.reason ? '–' : x.value(d)) })),
					{ label: 'No model because', value: (d) => d.reason || '' },
				],
				rows: [...r.days].reverse(),
			},
		);
	});
}

const rightAxis = (text) => ({ position: 'right', title: { display: true, text }, grid: { display: false } });

/** Ride history: CP and eFTP (W), W′ (kJ) on a second axis. */
function rideHistory(c, hist) {
	const cc = colors();
	historyChart(c, 'ride', hist, {
		series: [
			{ label: 'CP (W)', value: (d) => d.cp, color: cc.ride, axis: 'y' },
			{ label: 'eFTP (W)', value: (d) => d.eftp, color: cc.accent, dash: [5, 3], axis: 'y' },
			{ label: 'W′ (kJ)', value: (d) => kj(d.w_prime), color: cc.atl, width: 1.25, axis: 'yW' },
		],
		axes: { y: { title: { display: true, text: 'W' } }, more: { yW: rightAxis('kJ') } },
		label: 'Power model by day: CP, eFTP and W′',
		cols: [
			{ label: 'CP', value: (d) => `${f.num(d.cp)} W` },
			{ label: 'eFTP', value: (d) => `${f.num(d.eftp)} W` },
			{ label: 'W′', value: (d) => `${f.num(kj(d.w_prime), 1)} kJ` },
		],
	});
}

/** Run history: CS as pace (reversed axis) and VDOT on a second axis. */
function runHistory(c, hist) {
	const cc = colors();
	historyChart(c, 'run', hist, {
		series: [
			{
				label: `CS (min${f.paceUnit()})`,
				value: (d) => (d.cs === null ? null : paceOf(d.cs)),
				color: cc.run,
				axis: 'y',
			},
			{ label: 'VDOT', value: (d) => d.vdot, color: cc.tsb, width: 1.25, axis: 'yV' },
		],
		axes: {
			y: {
				reverse: true,
				title: { display: true, text: `CS, min${f.paceUnit()}` },
				ticks: { callback: (v) => f.paceClock(v) },
			},
			more: { yV: rightAxis('VDOT') },
		},
		label: 'Speed model by day: critical speed and VDOT',
		cols: [
			{ label: 'CS', value: (d) => f.pace(d.cs) },
			{ label: 'D′', value: (d) => `${f.num(d.d_prime)} m` },
			{ label: 'VDOT', value: (d) => f.num(d.vdot, 1) },
		],
		tooltipLabel: (it) =>
			it.dataset.yAxisID === 'y'
				? `CS: ${f.paceClock(it.parsed.y)} ${f.paceUnit()}`
				: `VDOT: ${f.num(it.parsed.y, 1)}`,
	});
}

function render(st, content, head) {
	const today = f.isoDay(new Date());
	const dsel = h('input', { id: 'f-date', type: 'date', name: 'date', max: today, value: st.date || today });
	dsel.addEventListener('change', () => {
		if (/^\d{4}-\d{2}-\d{2}$/.test(dsel.value)) setState({ date: dsel.value === today ? '' : dsel.value });
	});
	const todayBtn = h(
		'button',
		{ type: 'button', id: 'f-today', disabled: !st.date, onclick: () => setState({ date: '' }) },
		'Today',
	);
	head.append(
		h(
			'div',
			{ class: 'filters', role: 'group', 'aria-label': 'Day' },
			h('label', null, 'Model of', dsel),
			todayBtn,
		),
	);
	const q = st.date ? { date: st.date } : {};
	const rideM = get('model', { sport: 'ride', ...q });
	const runM = get('model', { sport: 'run', ...q });
	const when = st.date ? f.date(st.date) : 'today';
	const ride = card(`Power model · rides · ${when}`, { span: 5, id: 'ride-model' });
	const rideFit = card('Power curve and fit', { span: 7, id: 'ride-fit' });
	const run = card(`Speed model · runs · ${when}`, { span: 5, id: 'run-model' });
	const runFit = card('Pace curve and fit', { span: 7, id: 'run-fit' });
	const rideHist = card('Power model over time', { span: 12, id: 'ride-history' });
	const runHist = card('Run model over time', { span: 12, id: 'run-history' });
	content.append(ride.el, rideFit.el, run.el, runFit.el, rideHist.el, runHist.el);
	rideModel(ride, rideM);
	fitChart(rideFit, 'ride', rideM);
	runModel(run, runM);
	fitChart(runFit, 'run', runM);
	rideHistory(rideHist, get('model/history', { sport: 'ride' }));
	runHistory(runHist, get('model/history', { sport: 'run' }));
}

boot({ id: 'performance', title: 'Performance', filters: [], state: { date: '' }, render });
