// data.js: the Data page: the Strava connection and its last sync, Sync now, the rate budget and next timer run, uploads of FIT/GPX/TCX files and export ZIPs with their progress
import { boot } from '../app.js';
import { get, fresh, post, upload, ApiError } from '../api.js';
import { h, card, panel, Empty, table } from '../ui.js';
import * as f from '../fmt.js';

const POLL_MS = 1000;
const ACCEPT = '.fit,.gpx,.tcx,.gz,.zip';
const STATE_TEXT = {
	ok: 'Connected',
	needs_reauth: 'Needs re-authorisation: log in with Strava again',
	rate_limited: 'Rate-limited: Strava’s request budget is spent for now',
	not_connected: 'Not connected',
};
const ENDED = new Set(['done', 'failed']);

/** What a run or an upload brought: "3 added, 1 skipped". */
function counts(o) {
	const parts = [];
	for (const [k, label] of [
		['added', 'added'],
		['changed', 'changed'],
		['merged', 'merged'],
		['skipped', 'skipped'],
		['failed', 'failed'],
		['deleted', 'deleted'],
	])
		if (o[k]) parts.push(`${f.num(o[k])} ${label}`);
	return parts.length ? parts.join(', ') : 'nothing new';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The message of a failed request, with what a 413 from nginx means. */
function why(e) {
	if (e instanceof ApiError && e.status === 413) return 'The file is larger than the upload limit (upload_max_mb).';
	return e.message;
}

function stravaBody(s) {
	const st = s.strava;
	const last = st.last_sync;
	const dl = h(
		'dl',
		{ class: 'facts' },
		h('dt', null, 'State'),
		h('dd', { id: 'strava-state', dataset: { state: st.state } }, STATE_TEXT[st.state] || st.state),
		h('dt', null, 'Scopes'),
		h('dd', null, st.scopes.length ? st.scopes.join(', ') : '–'),
		h('dt', null, 'Last sync'),
		h(
			'dd',
			{ id: 'last-sync', dataset: { run: last ? String(last.id) : '' } },
			last ? f.instant(last.finished_at || last.started_at) : 'never',
		),
	);
	if (last)
		dl.append(
			h('dt', null, 'Outcome'),
			h('dd', { id: 'last-sync-outcome' }, `${last.status}: ${counts(last)}`),
			h('dt', null, 'Started'),
			h('dd', null, f.instant(last.started_at)),
		);
	dl.append(h('dt', null, 'Last success'), h('dd', null, f.instant(st.last_success_at)));
	if (st.last_result) dl.append(h('dt', null, 'Last result'), h('dd', { class: 'muted' }, st.last_result));
	return dl;
}

function budgetBody(s) {
	const b = s.budget;
	const t = s.timer;
	const dl = h('dl', { class: 'facts' });
	if (b) {
		dl.append(
			h('dt', null, `This ${Math.round(b.window.seconds / 60)}-minute window`),
			h(
				'dd',
				{ id: 'budget-window' },
				`${f.num(b.window.left)} of ${f.num(b.window.limit)} requests left, until ${f.instant(b.window.resets_at)}`,
			),
			h('dt', null, 'Today'),
			h(
				'dd',
				{ id: 'budget-day' },
				`${f.num(b.day.left)} of ${f.num(b.day.limit)} requests left, until ${f.instant(b.day.resets_at)}`,
			),
		);
	} else {
		dl.append(h('dt', null, 'Budget'), h('dd', null, 'No request to Strava yet.'));
	}
	dl.append(
		h('dt', null, 'Next timer run'),
		h(
			'dd',
			{ id: 'next-run' },
			t.interval_minutes
				? `between ${f.instant(t.next_after)} and ${f.instant(t.next_before)} (every ${f.num(t.interval_minutes)} min)`
				: 'no sync timer here: use Sync now',
		),
	);
	return dl;
}

function uploadsTable(rows) {
	return table(
		[
			{ label: 'File', value: (u) => u.name },
			{ label: 'Uploaded', value: (u) => f.instant(u.created_at) },
			{ label: 'Status', value: (u) => h('span', { class: `status-${u.status}` }, u.status) },
			{ label: 'Brought', value: (u) => (ENDED.has(u.status) ? counts(u) : '–') },
			{ label: 'Message', value: (u) => u.message || '' },
		],
		rows,
		{ cls: 'uploads', caption: 'Files uploaded here, newest first' },
	);
}

function importsTable(rows) {
	return table(
		[
			{ label: 'Started', value: (r) => f.instant(r.started_at) },
			{ label: 'Finished', value: (r) => f.instant(r.finished_at) },
			{ label: 'Outcome', value: (r) => r.status },
			{ label: 'Brought', value: (r) => counts(r) },
		],
		rows,
		{ cls: 'imports', caption: 'Imports from the command line (make import, cairn-import)' },
	);
}

/** Polls /sources until the sync request `id` ended; shows each state on `line`. */
async function followSync(id, line, onDone) {
	for (;;) {
		const s = await fresh('sources');
		const r = s.strava.sync_request;
		const status = r && r.id === id ? r.status : 'done';
		line.textContent = `Sync ${status}${r && r.message ? `: ${r.message}` : ''}`;
		line.dataset.status = status;
		if (ENDED.has(status)) return onDone(s);
		await sleep(POLL_MS);
	}
}

/** Polls uploads/{id} until it ended; shows its progress in `row`. */
async function followUpload(u, row, onDone) {
	for (;;) {
		const label = ENDED.has(u.status) ? `${u.status}: ${counts(u)}` : `${u.status}…`;
		row.replaceChildren(
			h('span', { class: 'name' }, u.name),
			' – ',
			h('span', { class: `status-${u.status}`, dataset: { status: u.status } }, label),
			u.message ? h('span', { class: 'muted' }, ` ${u.message}`) : null,
		);
		row.dataset.status = u.status;
		if (ENDED.has(u.status)) return onDone();
		await sleep(POLL_MS);
		u = (await fresh(`uploads/${u.id}`)).upload;
	}
}

function render(st, content) {
	const strava = card('Strava', { span: 6, id: 'strava' });
	const budget = card('Rate budget and timer', { span: 6, id: 'budget' });
	const up = card('Upload files', { span: 12, id: 'upload' });
	const hist = card('Uploads and imports', { span: 12, id: 'history' });
	content.append(strava.el, budget.el, up.el, hist.el);
	const data = () => get('sources');

	const syncLine = h('p', { id: 'sync-status', class: 'muted', role: 'status' });
	const syncBtn = h('button', { type: 'button', id: 'sync-now' }, 'Sync now');
	const drawStrava = (s) =>
		strava.body.replaceChildren(stravaBody(s), h('div', { class: 'actions' }, syncBtn, syncLine));
	const drawHistory = (s) => {
		const parts = [
			s.uploads.length ? uploadsTable(s.uploads) : h('p', { class: 'muted' }, 'No file uploaded here yet.'),
		];
		if (s.imports.length) parts.push(importsTable(s.imports));
		hist.body.replaceChildren(...parts);
	};
	syncBtn.addEventListener('click', async () => {
		syncBtn.disabled = true;
		try {
			const r = await post('sync', {});
			syncLine.textContent = `Sync ${r.sync.status}`;
			syncLine.dataset.status = r.sync.status;
			await followSync(r.sync.id, syncLine, (s) => {
				drawStrava(s);
				drawHistory(s);
				budget.body.replaceChildren(budgetBody(s));
			});
		} catch (e) {
			syncLine.textContent = `Sync not queued: ${why(e)}`;
			syncLine.dataset.status = 'error';
		} finally {
			syncBtn.disabled = false;
		}
	});

	panel(strava.body, async () => {
		const s = await data();
		drawStrava(s);
		const r = s.strava.sync_request;
		if (r && !ENDED.has(r.status)) {
			syncLine.textContent = `Sync ${r.status}`;
			followSync(r.id, syncLine, drawStrava).catch(() => {});
		}
	});
	panel(budget.body, async () => {
		budget.body.replaceChildren(budgetBody(await data()));
	});
	panel(hist.body, async () => {
		const s = await data();
		if (!s.uploads.length && !s.imports.length)
			throw new Empty(
				'Nothing uploaded or imported yet: add files above, or run make import FILE=… on the server.',
			);
		drawHistory(s);
	});

	const list = h('ul', { id: 'upload-list', class: 'uploads-progress' });
	const input = h('input', { type: 'file', id: 'upload-file', multiple: true, accept: ACCEPT });
	const drop = h(
		'label',
		{ class: 'dropzone', for: 'upload-file' },
		h('span', null, 'Drop FIT, GPX or TCX files (each maybe .gz) or Strava’s export ZIP here, or choose them: '),
		input,
	);
	const send = async (files) => {
		for (const file of files) {
			const row = h('li', null, h('span', { class: 'name' }, file.name), ' – uploading…');
			list.prepend(row);
			try {
				const r = await upload(file);
				followUpload(r.upload, row, async () => drawHistory(await fresh('sources'))).catch((e) => {
					row.append(` (${why(e)})`);
				});
			} catch (e) {
				row.replaceChildren(
					h('span', { class: 'name' }, file.name),
					' – ',
					h('span', { class: 'status-failed' }, `refused: ${why(e)}`),
				);
				row.dataset.status = 'refused';
			}
		}
	};
	input.addEventListener('change', () => {
		send([...input.files]);
		input.value = '';
	});
	drop.addEventListener('dragover', (e) => {
		e.preventDefault();
		drop.classList.add('over');
	});
	drop.addEventListener('dragleave', () => drop.classList.remove('over'));
	drop.addEventListener('drop', (e) => {
		e.preventDefault();
		drop.classList.remove('over');
		send([...e.dataTransfer.files]);
	});
	up.body.replaceChildren(
		drop,
		h('p', { class: 'muted' }, 'Each file is queued for cairn-import; its progress and outcome show below.'),
		list,
	);
}

boot({ id: 'data', title: 'Data', render });
