// charts.js: Chart.js helpers: theme colours, a chart card with its table view, day and log-duration axes, the registry window.cairn.charts
import { h, table } from './ui.js';
import { dayFromNum, dateShort, monthYear, durShort, num } from './fmt.js';

const Chart = window.Chart;

let themed = null;

/** Theme colours read from the CSS variables (light or dark); read once per render pass (applyDefaults forgets them). */
export function colors() {
	if (themed) return { ...themed };
	const cs = getComputedStyle(document.documentElement);
	const v = (n) => cs.getPropertyValue(`--${n}`).trim();
	const c = {};
	for (const n of [
		'fg',
		'muted',
		'grid',
		'line',
		'surface',
		'accent',
		'ride',
		'run',
		'swim',
		'other',
		'all',
		'ctl',
		'atl',
		'tsb',
		'load',
		'danger',
		'ok',
	])
		c[n] = v(n);
	themed = c;
	return { ...c };
}
export function sportColor(g) {
	const c = colors();
	return c[g] || c.all;
}
/** A colour with alpha, from #rrggbb. */
export function alpha(hex, a) {
	const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	if (!m) return hex;
	return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${a})`;
}

/** Global Chart.js defaults: no animation (drawn at once), theme font and colours. */
export function applyDefaults() {
	themed = null;
	const c = colors();
	Chart.defaults.animation = false;
	Chart.defaults.responsive = true;
	Chart.defaults.maintainAspectRatio = false;
	Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
	Chart.defaults.font.size = 12;
	Chart.defaults.color = c.muted;
	Chart.defaults.borderColor = c.grid;
	Chart.defaults.plugins.legend.labels.boxWidth = 10;
	Chart.defaults.plugins.legend.labels.boxHeight = 10;
	Chart.defaults.plugins.legend.labels.color = c.fg;
	Chart.defaults.plugins.tooltip.backgroundColor = c.surface;
	Chart.defaults.plugins.tooltip.titleColor = c.fg;
	Chart.defaults.plugins.tooltip.bodyColor = c.fg;
	Chart.defaults.plugins.tooltip.borderColor = c.line;
	Chart.defaults.plugins.tooltip.borderWidth = 1;
	Chart.defaults.elements.point.radius = 0;
	Chart.defaults.elements.point.hoverRadius = 4;
	Chart.defaults.elements.line.borderWidth = 2;
}

/** Destroys every registered chart (before a re-render). */
export function destroyAll() {
	const reg = window.cairn.charts;
	for (const k of Object.keys(reg)) {
		reg[k].destroy();
		delete reg[k];
	}
}

/**
 * Draws a chart into a card: a canvas with a text label, a "Table" toggle in the
 * card's tools showing the same numbers as a table (cols/rows given or built from
 * the chart's labels and datasets). Registered as window.cairn.charts[id].
 */
export function chartIn(cardObj, id, config, { label, cols, rows, size = '', before } = {}) {
	const canvas = h('canvas', { role: 'img', 'aria-label': label || id, id: `chart-${id}` });
	const box = h('div', { class: `chart-box ${size}` }, canvas);
	const tv = h('div', { class: 'table-view hidden', id: `table-${id}` });
	const btn = h(
		'button',
		{
			type: 'button',
			class: 'table-toggle',
			'aria-pressed': 'false',
			'aria-controls': `table-${id}`,
			dataset: { chart: id },
		},
		'Table',
	);
	btn.addEventListener('click', () => {
		const show = tv.classList.contains('hidden');
		if (show && !tv.firstChild) tv.append(buildTable(chart, cols, rows, label));
		tv.classList.toggle('hidden', !show);
		box.classList.toggle('hidden', show);
		btn.setAttribute('aria-pressed', String(show));
		btn.textContent = show ? 'Chart' : 'Table';
	});
	cardObj.tools.append(btn);
	cardObj.body.replaceChildren(...(before ? [before] : []), box, tv);
	const chart = new Chart(canvas, config);
	window.cairn.charts[id] = chart;
	return chart;
}

function buildTable(chart, cols, rows, label) {
	if (cols && rows) return table(cols, rows, { caption: label });
	const ds = chart.data.datasets;
	const labels = chart.data.labels || [];
	const xScale = chart.scales.x;
	const fmtX = (x) =>
		xScale && xScale.options.ticks.callback && typeof x === 'number'
			? xScale.options.ticks.callback.call(xScale, x, 0, [])
			: x;
	const n = Math.max(labels.length, ...ds.map((d) => (d._data || d.data).length));
	const out = [];
	for (let i = 0; i < n; i++) {
		const first = (ds[0]._data || ds[0].data)[i];
		const x = labels.length ? labels[i] : first && typeof first === 'object' ? fmtX(first.x) : i;
		out.push({
			x,
			ys: ds.map((d) => {
				const p = (d._data || d.data)[i];
				return p && typeof p === 'object' ? p.y : p;
			}),
		});
	}
	const c = [
		{ label: '', value: (r) => r.x },
		...ds.map((d, j) => ({
			label: d.label,
			num: true,
			value: (r) =>
				r.ys[j] === null || r.ys[j] === undefined ? '–' : num(r.ys[j], Math.abs(r.ys[j]) < 10 ? 1 : 0),
		})),
	];
	return table(c, out, { caption: label });
}

/** A linear x axis over day numbers (days since 1970) with date ticks. */
export function dayAxis(extra = {}) {
	return {
		type: 'linear',
		grid: { display: false },
		ticks: {
			maxRotation: 0,
			autoSkipPadding: 18,
			callback(v) {
				const span = (this.max ?? 0) - (this.min ?? 0);
				const d = dayFromNum(Math.round(v));
				return span > 200 ? monthYear(d) : dateShort(d);
			},
		},
		...extra,
	};
}

const NICE = [1, 5, 15, 60, 300, 1200, 3600, 7200, 14400, 36000, 86400];
/** A logarithmic x axis over durations in seconds, ticked at round durations. */
export function durationAxis(extra = {}) {
	return {
		type: 'logarithmic',
		grid: { color: colors().grid },
		afterBuildTicks(axis) {
			axis.ticks = NICE.filter((v) => v >= axis.min && v <= axis.max).map((value) => ({ value }));
		},
		ticks: { maxRotation: 0, autoSkip: false, callback: (v) => durShort(v) },
		...extra,
	};
}

/** A tick step for a linear axis of seconds (or another unit): a round number giving about `n` ticks. */
export function niceStep(span, n = 6, steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200]) {
	const want = span / n;
	return steps.find((s) => s >= want) || steps[steps.length - 1];
}

/** Big line series decimate on the canvas (LTTB) while the dataset keeps every point. */
export const DECIMATE = { enabled: true, algorithm: 'lttb', samples: 700, threshold: 900 };

/** The numbers a chart holds (undecimated): [{label, data:[...]}]. */
export function chartNumbers(id) {
	const c = window.cairn.charts[id];
	if (!c) return null;
	return {
		labels: c.data.labels || null,
		datasets: c.data.datasets.map((d) => ({ label: d.label, data: d._data || d.data })),
	};
}
