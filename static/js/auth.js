// auth.js: accounts on the dashboard (auth_mode strava): who is logged in, CSRF header, Log out and Disconnect
let info = null;
let asked = null;

/**
 * /auth/me once per page view (callers before the answer share its request): {auth_mode, athlete_id?, csrf?};
 * {auth_mode:'strava', out:true} without a session.
 */
export function authInfo() {
	if (!asked)
		asked = (async () => {
			try {
				const res = await fetch('/auth/me', {
					headers: { Accept: 'application/json' },
					credentials: 'same-origin',
				});
				if (res.status === 401) info = { auth_mode: 'strava', out: true };
				else if (res.ok) info = await res.json();
				else info = { auth_mode: 'none' };
			} catch (e) {
				info = { auth_mode: 'none' };
			}
			return info;
		})();
	return asked;
}

/** The header that changes need (PUT, logout, disconnect) in strava mode. */
export function csrfHeaders() {
	return info && info.csrf ? { 'X-CSRF-Token': info.csrf } : {};
}

/** Send the browser to the login page (session missing or expired). */
export function toLogin(reason) {
	location.assign('/login.html' + (reason ? `?error=${encodeURIComponent(reason)}` : ''));
}

async function post(path, body) {
	const res = await fetch(path, {
		method: 'POST',
		credentials: 'same-origin',
		headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...csrfHeaders() },
		body: body ? JSON.stringify(body) : undefined,
	});
	return res.ok;
}

function button(label, cls, onClick) {
	const b = document.createElement('button');
	b.type = 'button';
	b.textContent = label;
	if (cls) b.className = cls;
	b.addEventListener('click', onClick);
	return b;
}

/** The disconnect dialog: confirm, optionally asking for every stored activity to be deleted. */
function disconnectDialog() {
	const d = document.createElement('dialog');
	d.className = 'auth-dialog';
	d.setAttribute('aria-labelledby', 'auth-dlg-title');
	const h = document.createElement('h2');
	h.id = 'auth-dlg-title';
	h.textContent = 'Disconnect from Strava?';
	const p = document.createElement('p');
	p.textContent =
		'Cairn stops fetching your activities and forgets its access to your Strava account. You are logged out.';
	const lab = document.createElement('label');
	const cb = document.createElement('input');
	cb.type = 'checkbox';
	cb.id = 'auth-delete-data';
	lab.append(cb, ' Also delete all my data from Cairn');
	const row = document.createElement('p');
	row.className = 'auth-actions';
	row.append(
		button('Cancel', '', () => d.close()),
		button('Disconnect', 'primary', async (ev) => {
			ev.target.disabled = true;
			const done = await post('/auth/disconnect', { delete_data: cb.checked });
			d.close();
			if (done) toLogin('disconnected');
			else ev.target.disabled = false;
		}),
	);
	d.append(h, p, lab, row);
	document.body.append(d);
	return d;
}

/**
 * Called by the page shell: in strava mode without a session go to the login page (returns false);
 * with one, add Log out and Disconnect to the header. In mode none nothing changes.
 */
export async function authBoot(headerEl) {
	const a = await authInfo();
	if (a.auth_mode !== 'strava') return true;
	if (a.out) {
		toLogin();
		return false;
	}
	if (headerEl) {
		const box = document.createElement('div');
		box.className = 'account';
		box.append(
			button('Log out', '', async () => {
				if (await post('/auth/logout')) toLogin('logged_out');
			}),
			button('Disconnect', '', () => disconnectDialog().showModal()),
		);
		headerEl.append(box);
	}
	return true;
}
