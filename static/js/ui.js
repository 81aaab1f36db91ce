// ui.js: DOM helpers: elements without innerHTML, cards, loading / empty / error+retry states, tables, key figures
/** Thrown by a panel's loader when there is nothing to show; its message is the empty state. */
export class Empty extends Error {}

/** An element: h('a', {href, class}, child...). Never sets a style attribute (CSP). */
export function h(tag, attrs, ...kids) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === undefined || v === null || v === false) continue;
			if (k === 'class') el.className = v;
			else if (k === 'text') el.textContent = v;
			else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
			else if (k === 'dataset') Object.assign(el.dataset, v);
			else el.setAttribute(k, v === true ? '' : v);
		}
	}
	for (const c of kids.flat()) {
		if (c === null || c === undefined || c === false) continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

let pending = [];
let readyResolve = null;

/** Starts a render pass: the page is "ready" once every panel of the pass has settled. */
export function beginRender() {
	pending = [];
	document.documentElement.removeAttribute('data-ready');
	window.cairn.ready = new Promise((r) => {
		readyResolve = r;
	});
}
export async function endRender() {
	const mine = pending;
	await Promise.allSettled(mine);
	if (mine !== pending) return;
	await new Promise((r) => requestAnimationFrame(() => r()));
	document.documentElement.setAttribute('data-ready', String(Date.now()));
	if (readyResolve) readyResolve();
}

function loadingEl() {
	return h(
		'div',
		{ class: 'state loading', role: 'status' },
		h('div', { class: 'loading-bar' }),
		h('span', { class: 'muted', text: 'Loading…' }),
	);
}
function emptyEl(msg) {
	return h('div', { class: 'state empty' }, h('span', { text: msg }));
}
function errorEl(err, retry) {
	const btn = h('button', { type: 'button', class: 'retry', onclick: retry }, 'Retry');
	return h(
		'div',
		{ class: 'state error', role: 'alert' },
		h('span', { text: `Could not load this: ${err.message}` }),
		btn,
	);
}

/**
 * Fills `body` through `fn(body)`: a loading state first, then what fn draws,
 * the empty state if fn throws Empty, or the error with a Retry button.
 */
export function panel(body, fn) {
	body.replaceChildren(loadingEl());
	body.setAttribute('aria-busy', 'true');
	const p = (async () => {
		try {
			await fn(body);
		} catch (e) {
			if (e instanceof Empty) {
				body.replaceChildren(emptyEl(e.message));
			} else {
				if (!(e && e.code)) console.warn(e);
				body.replaceChildren(
					errorEl(e, () => {
						beginRender();
						panel(body, fn);
						endRender();
					}),
				);
			}
		} finally {
			body.removeAttribute('aria-busy');
		}
	})();
	pending.push(p);
	return p;
}

/** A card: {el, body, tools}; span is the grid width out of 12. */
export function card(title, { span = 12, id, tools = [] } = {}) {
	const body = h('div', { class: 'card-body' });
	const toolsEl = h('div', { class: 'card-tools' }, ...tools);
	const head = h('div', { class: 'card-head' }, h('h2', { text: title }), toolsEl);
	const el = h('section', { class: `card span-${span}`, id, 'aria-label': title }, head, body);
	return { el, body, tools: toolsEl, head };
}

/** A table from columns [{label, value(row) -> text|Node, num, key}] and rows. */
export function table(cols, rows, { caption, sort, onSort, cls } = {}) {
	const thead = h(
		'thead',
		null,
		h(
			'tr',
			null,
			cols.map((c) => {
				const th = h('th', { class: c.num ? 'num' : null, scope: 'col' });
				if (c.key && onSort) {
					if (sort && sort.key === c.key)
						th.setAttribute('aria-sort', sort.order === 'asc' ? 'ascending' : 'descending');
					th.append(h('button', { type: 'button', class: 'sort', onclick: () => onSort(c.key) }, c.label));
				} else {
					th.textContent = c.label;
				}
				return th;
			}),
		),
	);
	const tbody = h(
		'tbody',
		null,
		rows.map((r) =>
			h(
				'tr',
				null,
				cols.map((c) => {
					const v = c.value(r);
					return h('td', { class: c.num ? 'num' : null }, v instanceof Node ? v : String(v ?? '–'));
				}),
			),
		),
	);
	const t = h('table', { class: cls }, caption ? h('caption', { text: caption }) : null, thead, tbody);
	return h('div', { class: 'tbl-wrap' }, t);
}

/** One key figure. */
export function stat(label, value, sub, subClass) {
	return h(
		'div',
		{ class: 'stat' },
		h('span', { class: 'stat-label', text: label }),
		h('span', { class: 'stat-value', text: value }),
		sub ? h('span', { class: `stat-sub ${subClass || ''}`, text: sub }) : null,
	);
}

/** A segmented control: options [{value, label}], the current value, onChange(value). */
export function seg(label, options, value, onChange) {
	return h(
		'div',
		{ class: 'seg', role: 'group', 'aria-label': label },
		options.map((o) =>
			h(
				'button',
				{
					type: 'button',
					'aria-pressed': String(String(o.value) === String(value)),
					dataset: { value: o.value },
					onclick: () => onChange(o.value),
				},
				o.label,
			),
		),
	);
}

/** A sport name with its colour dot. */
export function sportCell(group, text) {
	return h('span', { class: 'sport-cell' }, h('span', { class: `dot ${group}`, 'aria-hidden': 'true' }), text);
}
