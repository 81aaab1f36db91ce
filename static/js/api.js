// api.js: the fetch layer over /api/v1/: JSON with the API's error shape, one request per URL per page view
import { csrfHeaders, toLogin } from './auth.js';

const BASE = '/api/v1/';
const cache = new Map();

/** An error answer of the API ({"error":{"code","message","param"}}) or a network failure. */
export class ApiError extends Error {
	constructor(status, code, message, param) {
		super(message || code || `HTTP ${status}`);
		this.status = status;
		this.code = code || 'http_error';
		this.param = param || null;
	}
}

/** The URL of a route with its parameters (empty or null values are left out). */
export function apiUrl(path, params = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) {
		if (v === undefined || v === null || v === '' || (v === 'all' && k === 'sport')) continue;
		q.set(k, v);
	}
	const s = q.toString();
	return BASE + path + (s ? `?${s}` : '');
}

async function fetchJson(url, init) {
	let res;
	try {
		res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', ...init });
	} catch (e) {
		throw new ApiError(0, 'network', 'The server cannot be reached.');
	}
	let body;
	const text = await res.text();
	try {
		body = text ? JSON.parse(text) : null;
	} catch (e) {
		body = null;
	}
	if (!res.ok) {
		const er = body && body.error ? body.error : {};
		if (res.status === 401 && er.code === 'login_required') toLogin(); /* session expired */
		throw new ApiError(res.status, er.code, er.message || `The server answered ${res.status}.`, er.param);
	}
	if (body === null) throw new ApiError(res.status, 'bad_json', 'The server answered something that is not JSON.');
	return body;
}

/** GET a route; the same URL is fetched once per page view (a failure is forgotten so retry fetches again). */
export function get(path, params) {
	const url = apiUrl(path, params);
	if (!cache.has(url)) {
		const p = fetchJson(url);
		cache.set(url, p);
		p.catch(() => cache.delete(url));
	}
	return cache.get(url);
}

/** Sends JSON with a method that changes something (session and CSRF header as PUT needs); clears the cache. */
async function send(method, path, body) {
	const r = await fetchJson(BASE + path, {
		method,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...csrfHeaders() },
		body: JSON.stringify(body),
	});
	cache.clear();
	return r;
}

/** PUT JSON to a route; clears the cache (settings change what other routes answer). */
export function put(path, body) {
	return send('PUT', path, body);
}

/** POST JSON to a route (e.g. model/apply); clears the cache like put. */
export function post(path, body) {
	return send('POST', path, body);
}

/** GET a route afresh, past the page view's cache (polling a queued upload or sync). */
export function fresh(path, params) {
	return fetchJson(apiUrl(path, params));
}

/** POST a file as application/octet-stream to uploads?name=...; clears the cache. */
export async function upload(file) {
	const r = await fetchJson(apiUrl('uploads', { name: file.name }), {
		method: 'POST',
		headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', ...csrfHeaders() },
		body: file,
	});
	cache.clear();
	return r;
}

/** Forget every cached answer (after a units switch nothing changes; after a settings PUT everything may). */
export function clearCache() {
	cache.clear();
}
