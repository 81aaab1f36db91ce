// privacycard.js: the Settings page's privacy zones (list, add by lat/lng/radius, remove, route trim) and the "Download all my data" archive link
import { rerender } from '../app.js';
import { get, put, apiUrl } from '../api.js';
import { h, card, panel, table } from '../ui.js';
import * as f from '../fmt.js';

/** Save zones and trim as the state now held (st, updated once stored); shows the outcome in msg. */
async function save(st, zones, trim, msg) {
	msg.className = 'msg';
	try {
		await put('privacy', { zones, trim });
		st.zones = zones;
		st.trim = trim;
		msg.className = 'msg ok';
		msg.textContent =
			'Saved: every map is being rebuilt without those points; it shows after the next transform run.';
		setTimeout(() => rerender(), 1200);
	} catch (e) {
		msg.className = 'msg error';
		msg.textContent = `Not saved: ${e.message}`;
	}
}

/** The number typed into input, or throws a message naming the field. */
function number(input, label, lo, hi) {
	const v = Number(input.value.trim().replace(',', '.'));
	if (input.value.trim() === '' || !Number.isFinite(v) || v < lo || v > hi)
		throw new Error(`${label} must be a number between ${lo} and ${hi}.`);
	return v;
}

/** Append the privacy and "your data" cards to content. */
export function privacyCards(content) {
	const zc = card('Privacy zones', { span: 6, id: 'privacy' });
	const dc = card('Your data', { span: 6, id: 'your-data' });
	content.append(zc.el, dc.el);
	panel(zc.body, async () => {
		const r = await get('privacy');
		const lim = r.limits;
		const zones = r.zones.map((z) => ({ lat: z.lat, lng: z.lng, radius: z.radius }));
		/* what is stored: a save before the next render must not undo another */
		const st = { zones, trim: r.trim };
		const msg = h('p', { class: 'msg', id: 'p-msg', role: 'status' });
		const list = zones.length
			? table(
					[
						{ label: 'Centre', value: (z) => `${z.lat.toFixed(5)}, ${z.lng.toFixed(5)}` },
						{ label: 'Radius', num: true, value: (z) => `${f.num(z.radius)} m` },
						{
							label: '',
							value: (z) =>
								h(
									'button',
									{
										type: 'button',
										class: 'p-remove',
										onclick: () =>
											save(
												st,
												st.zones.filter((x) => x !== z),
												st.trim,
												msg,
											),
									},
									'Remove',
								),
						},
					],
					zones,
					{ cls: 'privacy-zones' },
				)
			: h('p', { class: 'muted' }, 'No zones: every map shows whole routes.');
		const lat = h('input', {
			id: 'p-lat',
			name: 'lat',
			inputmode: 'decimal',
			autocomplete: 'off',
			placeholder: '51.50000',
		});
		const lng = h('input', {
			id: 'p-lng',
			name: 'lng',
			inputmode: 'decimal',
			autocomplete: 'off',
			placeholder: '-0.10000',
		});
		const rad = h('input', {
			id: 'p-radius',
			name: 'radius',
			inputmode: 'numeric',
			autocomplete: 'off',
			value: '300',
		});
		const trim = h('input', {
			id: 'p-trim',
			name: 'trim',
			inputmode: 'numeric',
			autocomplete: 'off',
			value: String(r.trim),
		});
		const add = async (ev) => {
			ev.preventDefault();
			let z;
			try {
				z = {
					lat: number(lat, 'Latitude', -90, 90),
					lng: number(lng, 'Longitude', -180, 180),
					radius: number(rad, 'The radius', lim.radius_min, lim.radius_max),
				};
				if (st.zones.length >= lim.zones) throw new Error(`At most ${lim.zones} zones.`);
			} catch (e) {
				msg.className = 'msg error';
				msg.textContent = e.message;
				return;
			}
			await save(st, [...st.zones, z], st.trim, msg);
		};
		const setTrim = async (ev) => {
			ev.preventDefault();
			let t;
			try {
				t = Math.round(number(trim, 'The trim', 0, lim.trim_max));
			} catch (e) {
				msg.className = 'msg error';
				msg.textContent = e.message;
				return;
			}
			await save(st, st.zones, t, msg);
		};
		zc.body.replaceChildren(
			list,
			h(
				'form',
				{ id: 'privacy-form', onsubmit: add },
				h(
					'div',
					{ class: 'form-row' },
					h('label', null, 'Latitude', lat),
					h('label', null, 'Longitude', lng),
					h('label', null, 'Radius (m)', rad),
					h('button', { type: 'submit', class: 'primary' }, 'Add zone'),
				),
			),
			h(
				'form',
				{ id: 'trim-form', onsubmit: setTrim },
				h(
					'div',
					{ class: 'form-row' },
					h('label', null, 'Trim each route’s start and end (m)', trim),
					h('button', { type: 'submit' }, 'Save trim'),
				),
			),
			msg,
			h(
				'p',
				{ class: 'muted' },
				`Maps, route streams, the heatmap and GPX/TCX downloads leave out every point inside a zone ` +
					`(${lim.radius_min}–${f.num(lim.radius_max)} m, at most ${lim.zones}) and the first and last ` +
					`metres of every route (0–${f.num(lim.trim_max)} m, default 0), for past activities too.`,
			),
		);
	});
	panel(dc.body, async () => {
		dc.body.replaceChildren(
			h(
				'p',
				null,
				h('a', { href: apiUrl('export/archive'), id: 'archive-link', download: '' }, 'Download all my data'),
			),
			h(
				'p',
				{ class: 'muted' },
				'One ZIP file: every activity (CSV and GPX), your settings and their history, privacy zones, ' +
					'models, and the records as they were fetched from Strava.',
			),
		);
	});
}
