// map.js: the Map page: every route of the chosen sport and period drawn faintly on one map, a heatmap of where you go
import { boot } from '../app.js';
import { get } from '../api.js';
import { h, card, panel, Empty } from '../ui.js';
import { sportColor } from '../charts.js';
import { makeMap, decodePolyline } from '../map.js';
import * as f from '../fmt.js';
import { periodRange, periodLabel } from '../state.js';

function render(st, content) {
	const r = periodRange(st.period);
	const c = card(`Routes · ${periodLabel(st.period)}`, { span: 12, id: 'heatmap' });
	content.append(c.el);
	panel(c.body, async () => {
		const res = await get('heatmap', { sport: st.sport, from: r.from, to: r.to });
		if (!res.routes.length)
			throw new Empty(`No ${f.sportNoun(st.sport)} with a route in ${periodLabel(st.period)}.`);
		const el = h('div', {
			class: 'map tall',
			id: 'routes-map',
			role: 'region',
			'aria-label': `Map of ${res.routes.length} routes`,
			tabindex: '0',
		});
		const counts = {};
		for (const x of res.routes) counts[x.sport_group] = (counts[x.sport_group] || 0) + 1;
		const sum = h(
			'p',
			{ class: 'muted', id: 'route-count' },
			`${res.routes.length} routes: `,
			Object.entries(counts).map(([g, n], i) =>
				h(
					'span',
					null,
					i ? ', ' : '',
					h('span', { class: `dot ${g}`, 'aria-hidden': 'true' }),
					`${n} ${f.sportLabel(g).toLowerCase()}`,
				),
			),
		);
		c.body.replaceChildren(sum, el);
		const L = window.L;
		const map = await makeMap(el);
		const renderer = L.canvas({ padding: 0.2 });
		const opacity = res.routes.length > 400 ? 0.25 : res.routes.length > 100 ? 0.4 : 0.6;
		const layers = res.routes.map((x) =>
			L.polyline(decodePolyline(x.polyline), {
				renderer,
				color: sportColor(x.sport_group),
				weight: 2,
				opacity,
				interactive: false,
			}),
		);
		const group = L.featureGroup(layers).addTo(map);
		map.fitBounds(group.getBounds(), { padding: [12, 12] });
		window.cairn.map = map;
		window.cairn.routes = layers.length;
	});
}

boot({ id: 'map', title: 'Map', filters: ['sport', 'period'], render });
