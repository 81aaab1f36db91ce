// zones.js: the Zones page: time in power, HR or pace zones, in total and per week or month
import { boot, setState } from '../app.js';
import { get } from '../api.js';
import { card, panel, Empty, seg } from '../ui.js';
import { chartIn, colors } from '../charts.js';
import * as f from '../fmt.js';
import { periodRange, periodLabel } from '../state.js';
import { zoneChart, zoneColor, zoneBounds } from './zonechart.js';

const KINDS = [
	{ value: 'hr', label: 'Heart rate' },
	{ value: 'power', label: 'Power' },
	{ value: 'pace', label: 'Pace' },
];
const GROUPS = [
	{ value: 'week', label: 'Weekly' },
	{ value: 'month', label: 'Monthly' },
];

function render(st, content) {
	const r = periodRange(st.period);
	const kindLabel = KINDS.find((k) => k.value === st.kind).label;
	const total = card(`${kindLabel} zones · ${periodLabel(st.period)}`, { span: 5, id: 'zones-total' });
	const per = card(`${GROUPS.find((g) => g.value === st.group).label} time in zones`, {
		span: 7,
		id: 'zones-periods',
	});
	total.tools.append(seg('Zone kind', KINDS, st.kind, (v) => setState({ kind: v })));
	per.tools.append(seg('Grouping', GROUPS, st.group, (v) => setState({ group: v })));
	content.append(total.el, per.el);
	const data = () => get('zones', { kind: st.kind, sport: st.sport, from: r.from, to: r.to, group: st.group });
	const check = async () => {
		const z = await data();
		if (!z.total_seconds)
			throw new Empty(
				`No ${kindLabel.toLowerCase()} zone data for ${f.sportNoun(st.sport)} in ${periodLabel(st.period)}.`,
			);
		return z;
	};
	panel(total.body, async () => {
		const z = await check();
		zoneChart(total, 'zones', st.kind, z.zones);
	});
	panel(per.body, async () => {
		const z = await check();
		const labels = z.periods.map((p) => (st.group === 'month' ? f.monthYear(p.start) : f.dateShort(p.start)));
		chartIn(
			per,
			'zones-periods',
			{
				type: 'bar',
				data: {
					labels,
					datasets: z.zones.map((zn, i) => ({
						label: `Z${zn.zone} ${zoneBounds(st.kind, zn)}`,
						data: z.periods.map((p) => +((p.seconds[i] || 0) / 3600).toFixed(2)),
						backgroundColor: zoneColor(i),
					})),
				},
				options: {
					scales: {
						x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
						y: { stacked: true, title: { display: true, text: 'hours' }, grid: { color: colors().grid } },
					},
					plugins: { legend: { position: 'bottom' } },
				},
			},
			{ label: `Hours in each ${kindLabel.toLowerCase()} zone per ${st.group}`, size: 'tall' },
		);
	});
}

boot({ id: 'zones', title: 'Zones', filters: ['sport', 'period'], state: { kind: 'hr', group: 'week' }, render });
