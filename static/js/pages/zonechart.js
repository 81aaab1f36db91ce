// zonechart.js: a horizontal bar chart of time in zones (power, HR or pace), with zone bounds in the labels
import { chartIn, colors } from '../charts.js';
import * as f from '../fmt.js';

const ZC = ['#74c0fc', '#69db7c', '#ffd43b', '#ffa94d', '#ff6b6b', '#e64980', '#9c36b5'];

/** The text of a zone's bounds in the unit of its kind. */
export function zoneBounds(kind, z) {
	const lo = z.low ? z.low : null;
	const hi = z.high ? z.high : null;
	if (kind === 'pace') {
		if (lo === null) return hi ? `slower than ${f.pace(hi)}` : '';
		if (hi === null) return `faster than ${f.pace(lo)}`;
		return `${f.pace(lo)} – ${f.pace(hi)}`;
	}
	const unit = kind === 'power' ? ' W' : ' bpm';
	if (lo === null) return hi ? `< ${f.num(hi)}${unit}` : '';
	if (hi === null) return `> ${f.num(lo)}${unit}`;
	return `${f.num(lo)}–${f.num(hi)}${unit}`;
}
export function zoneColor(i) {
	return ZC[i % ZC.length];
}

/** Draws zones [{zone, seconds, low, high}] into cardObj as minutes per zone. */
export function zoneChart(cardObj, id, kind, zones) {
	const total = zones.reduce((s, z) => s + z.seconds, 0) || 1;
	return chartIn(
		cardObj,
		id,
		{
			type: 'bar',
			data: {
				labels: zones.map((z) => `Z${z.zone} ${zoneBounds(kind, z)}`),
				datasets: [
					{
						label: 'Minutes',
						data: zones.map((z) => +(z.seconds / 60).toFixed(1)),
						backgroundColor: zones.map((_, i) => zoneColor(i)),
						borderRadius: 3,
					},
				],
			},
			options: {
				indexAxis: 'y',
				scales: {
					x: { grid: { color: colors().grid }, title: { display: true, text: 'minutes' } },
					y: { grid: { display: false }, ticks: { autoSkip: false } },
				},
				plugins: {
					legend: { display: false },
					tooltip: {
						callbacks: {
							label: (it) =>
								`${f.duration(zones[it.dataIndex].seconds)} (${f.num((100 * zones[it.dataIndex].seconds) / total)} %)`,
						},
					},
				},
			},
		},
		{
			label: `Time in ${kind} zones`,
			size: 'short',
			cols: [
				{ label: 'Zone', value: (z) => `Z${z.zone}` },
				{ label: 'Range', value: (z) => zoneBounds(kind, z) },
				{ label: 'Time', num: true, value: (z) => f.duration(z.seconds) },
				{ label: 'Share', num: true, value: (z) => `${f.num((100 * z.seconds) / total)} %` },
			],
			rows: zones,
		},
	);
}
