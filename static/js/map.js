// map.js: Leaflet helpers: the configurable tile layer (routes draw on a plain background without it) and polyline decoding
import config from '../config.js';
import { getMe } from './app.js';

/** Tile settings: /api/v1/me's `tiles` if the API gives them, else static/config.js. */
export async function tileConfig() {
	const me = await getMe();
	const t = (me && me.tiles) || {};
	return {
		url: t.url !== undefined ? t.url : config.tiles.url,
		attribution: t.attribution !== undefined ? t.attribution : config.tiles.attribution,
		maxZoom: t.max_zoom || config.tiles.maxZoom || 19,
	};
}

/** A Leaflet map in `el` with the tile layer (if a tile URL is configured). */
export async function makeMap(el, opts = {}) {
	const L = window.L;
	const tc = await tileConfig();
	const map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, scrollWheelZoom: false, ...opts });
	map.attributionControl.setPrefix('Leaflet');
	if (tc.url) {
		L.tileLayer(tc.url, { maxZoom: tc.maxZoom, attribution: tc.attribution, crossOrigin: false }).addTo(map);
	}
	map.on('focus', () => map.scrollWheelZoom.enable());
	map.on('blur', () => map.scrollWheelZoom.disable());
	return map;
}

/** Decodes a Google encoded polyline (precision 5) into [[lat, lng], ...]. */
export function decodePolyline(s, precision = 5) {
	const out = [];
	const factor = 10 ** precision;
	let i = 0;
	let lat = 0;
	let lng = 0;
	while (i < s.length) {
		for (const which of [0, 1]) {
			let shift = 0;
			let result = 0;
			let b;
			do {
				b = s.charCodeAt(i++) - 63;
				result |= (b & 0x1f) << shift;
				shift += 5;
			} while (b >= 0x20 && i < s.length + 1);
			const d = result & 1 ? ~(result >> 1) : result >> 1;
			if (which === 0) lat += d;
			else lng += d;
		}
		out.push([lat / factor, lng / factor]);
	}
	return out;
}
