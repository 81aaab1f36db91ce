// settings.js: the Settings page: effective-dated FTP, CP, W′, threshold HR, max/resting HR, threshold pace and weight (entered, from Strava, estimated or from the model); units; privacy zones and the archive (privacycard.js)
import { boot, rerender } from '../app.js';
import { get, put, clearCache } from '../api.js';
import { h, card, panel, Empty, table, seg } from '../ui.js';
import * as f from '../fmt.js';
import { privacyCards } from './privacycard.js';

const LABELS = {
	ftp: 'FTP',
	cp: 'Critical power (CP)',
	w_prime: 'W′ (work above CP)',
	threshold_hr: 'Threshold heart rate',
	max_hr: 'Maximum heart rate',
	resting_hr: 'Resting heart rate',
	threshold_pace: 'Threshold pace',
	weight: 'Weight',
	sex: 'Sex',
	units: 'Units',
};
const LB = 0.45359237;

/** A stored value as the user reads it (pace in their unit, weight in kg or lb). */
function show(name, v) {
	if (v === null || v === undefined) return '–';
	if (name === 'threshold_pace') {
		const sKm = +v;
		return `${f.paceClock(f.getUnits() === 'imperial' ? sKm * 1.609344 : sKm)} ${f.paceUnit()}`;
	}
	if (name === 'weight') return f.getUnits() === 'imperial' ? `${f.num(+v / LB, 1)} lb` : `${f.num(+v, 1)} kg`;
	if (name === 'ftp' || name === 'cp') return `${v} W`;
	if (name === 'w_prime') return `${f.num(+v)} J`;
	if (name.endsWith('_hr')) return `${v} bpm`;
	return String(v);
}

/** The typed value as the API stores it, or throws a message. */
function parse(name, text, known) {
	const t = text.trim();
	if (known.type === 'enum') return t;
	let v;
	if (name === 'threshold_pace') {
		const m = /^(\d{1,2}):([0-5]\d)$/.exec(t);
		if (!m) throw new Error(`Type the pace as m:ss per ${f.distUnit()}, e.g. 4:45.`);
		v = +m[1] * 60 + +m[2];
		if (f.getUnits() === 'imperial') v = Math.round(v / 1.609344);
	} else {
		v = Number(t.replace(',', '.'));
		if (!Number.isFinite(v)) throw new Error('Type a number.');
		if (name === 'weight' && f.getUnits() === 'imperial') v = +(v * LB).toFixed(1);
		if (known.type === 'integer') v = Math.round(v);
	}
	if (known.range && (v < known.range[0] || v > known.range[1]))
		throw new Error(`Out of range (${known.range[0]}–${known.range[1]} ${known.unit || ''}).`);
	return v;
}

function render(st, content) {
	const force = card('In force today', { span: 6, id: 'in-force' });
	const form = card('Add a change', { span: 6, id: 'change' });
	const units = card('Units', { span: 6, id: 'units' });
	const hist = card('History', { span: 12, id: 'history' });
	content.append(force.el, form.el, units.el, hist.el);
	privacyCards(content);
	const data = () => get('settings');
	panel(force.body, async () => {
		const r = await data();
		const rows = Object.entries(r.in_force || {}).filter(([n]) => n !== 'units');
		if (!rows.length)
			throw new Empty('No settings yet: Cairn estimates them from your activities after the first sync.');
		force.body.replaceChildren(
			table(
				[
					{ label: 'Setting', value: ([n]) => LABELS[n] || n },
					{ label: 'Value', num: true, value: ([n, s]) => show(n, s.value) },
					{
						label: 'Since',
						value: ([, s]) => (s.effective_from <= '1970-01-01' ? 'always' : f.date(s.effective_from)),
					},
					{ label: 'Source', value: ([, s]) => s.source },
				],
				rows,
				{ cls: 'in-force' },
			),
		);
	});
	panel(form.body, async () => {
		const r = await data();
		const known = (r.known || []).filter((k) => k.name !== 'units');
		const sel = h(
			'select',
			{ id: 's-name', name: 'name' },
			known.map((k) => h('option', { value: k.name }, LABELS[k.name] || k.name)),
		);
		const val = h('input', {
			id: 's-value',
			name: 'value',
			required: true,
			autocomplete: 'off',
			inputmode: 'decimal',
		});
		const unit = h('span', { class: 'muted', id: 's-unit' });
		const eff = h('input', {
			id: 's-from',
			name: 'effective_from',
			type: 'date',
			value: f.isoDay(new Date()),
			required: true,
		});
		const msg = h('p', { class: 'msg', id: 's-msg', role: 'status' });
		const sync = () => {
			const k = known.find((x) => x.name === sel.value);
			unit.textContent =
				sel.value === 'threshold_pace'
					? `min${f.paceUnit()}`
					: sel.value === 'weight'
						? f.getUnits() === 'imperial'
							? 'lb'
							: 'kg'
						: k && k.unit
							? k.unit
							: '';
			val.placeholder = sel.value === 'threshold_pace' ? '4:45' : k && k.enum ? k.enum.join(' or ') : '';
		};
		sel.addEventListener('change', sync);
		sync();
		const submit = async (ev) => {
			ev.preventDefault();
			msg.className = 'msg';
			const k = known.find((x) => x.name === sel.value);
			let v;
			try {
				v = parse(sel.value, val.value, k);
			} catch (e) {
				msg.className = 'msg error';
				msg.textContent = e.message;
				return;
			}
			try {
				const res = await put('settings', { name: sel.value, value: v, effective_from: eff.value });
				clearCache();
				msg.className = 'msg ok';
				msg.textContent = `Saved ${LABELS[sel.value] || sel.value} from ${f.date(res.setting ? res.setting.effective_from : eff.value)}; metrics from that day on are being recomputed.`;
				setTimeout(() => rerender(), 1200);
			} catch (e) {
				msg.className = 'msg error';
				msg.textContent = `Not saved: ${e.message}`;
			}
		};
		form.body.replaceChildren(
			h(
				'form',
				{ id: 'settings-form', onsubmit: submit },
				h(
					'div',
					{ class: 'form-row' },
					h('label', null, 'Setting', sel),
					h('label', null, 'Value', h('span', { class: 'filters' }, val, unit)),
					h('label', null, 'Applies from', eff),
					h('button', { type: 'submit', class: 'primary' }, 'Save'),
				),
				msg,
				h(
					'p',
					{ class: 'muted' },
					'A change applies from its date on: earlier activities keep the values in force when they were done.',
				),
			),
		);
	});
	panel(units.body, async () => {
		units.body.replaceChildren(
			seg(
				'Units',
				[
					{ value: 'metric', label: 'Metric (km, m, min/km)' },
					{ value: 'imperial', label: 'Imperial (mi, ft, min/mi)' },
				],
				f.getUnits(),
				async (v) => {
					f.setUnits(v);
					for (const b of document.querySelectorAll('.units button'))
						b.setAttribute('aria-pressed', String(b.dataset.units === v));
					try {
						await put('settings', { name: 'units', value: v });
					} catch (e) {
						/* the local choice still applies */
					}
					rerender();
				},
			),
			h('p', { class: 'muted' }, 'Also switchable from the km / mi buttons at the top of every page.'),
		);
	});
	panel(hist.body, async () => {
		const r = await data();
		if (!r.settings.length)
			throw new Empty('No changes entered yet: the values in force come from Strava or are estimated.');
		hist.body.replaceChildren(
			table(
				[
					{ label: 'Setting', value: (s) => LABELS[s.name] || s.name },
					{ label: 'Value', num: true, value: (s) => show(s.name, s.value) },
					{ label: 'From', value: (s) => f.date(s.effective_from) },
					{ label: 'Source', value: (s) => s.source },
					{ label: 'Entered', value: (s) => (s.set_at ? f.dateTime(s.set_at) : '–') },
				],
				[...r.settings].sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1)),
				{ cls: 'history' },
			),
		);
	});
}

boot({ id: 'settings', title: 'Settings', render });
