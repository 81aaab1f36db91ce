// gear.js: the Gear page: bikes and shoes with their distance, time, activities and dates in use
import { boot } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty, table } from '../ui.js';
import { chartIn, colors } from '../charts.js';
import * as f from '../fmt.js';

function render(st, content) {
	const chartCard = card('Distance per item', { span: 12, id: 'gear-chart' });
	const list = card('Gear', { span: 12, id: 'gear' });
	content.append(chartCard.el, list.el);
	const data = () => get('gear');
	panel(list.body, async () => {
		const r = await data();
		if (!r.gear.length)
			throw new Empty('No gear yet: add bikes and shoes on Strava and they show up here after the next sync.');
		list.body.replaceChildren(
			table(
				[
					{
						label: 'Name',
						value: (g) =>
							h(
								'a',
								{ href: `/activities.html?gear=${encodeURIComponent(g.id)}&period=all&sport=all` },
								g.name || g.id,
							),
					},
					{ label: 'Kind', value: (g) => (g.kind || '–') + (g.retired ? ' (retired)' : '') },
					{ label: 'Distance', num: true, value: (g) => f.dist(g.distance, 0) },
					{ label: 'Time', num: true, value: (g) => f.hours(g.moving_time) },
					{ label: 'Activities', num: true, value: (g) => f.num(g.count) },
					{ label: 'First used', value: (g) => f.date(g.first_date) },
					{ label: 'Last used', value: (g) => f.date(g.last_date) },
				],
				r.gear,
				{ cls: 'gear' },
			),
		);
	});
	panel(chartCard.body, async () => {
		const r = await data();
		if (!r.gear.length) throw new Empty('No gear yet.');
		const c = colors();
		chartIn(
			chartCard,
			'gear',
			{
				type: 'bar',
				data: {
					labels: r.gear.map((g) => g.name || g.id),
					datasets: [
						{
							label: `Distance (${f.distUnit()})`,
							data: r.gear.map((g) => +f.distValue(g.distance).toFixed(1)),
							backgroundColor: r.gear.map((g) =>
								g.retired ? c.line : g.kind === 'shoe' ? c.run : c.ride,
							),
							borderRadius: 3,
						},
					],
				},
				options: {
					indexAxis: 'y',
					scales: { y: { grid: { display: false } }, x: { title: { display: true, text: f.distUnit() } } },
					plugins: { legend: { display: false } },
				},
			},
			{ label: `Distance per piece of gear in ${f.distUnit()}`, size: 'short' },
		);
	});
}

boot({ id: 'gear', title: 'Gear', render });
