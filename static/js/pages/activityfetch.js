// activityfetch.js: the Activity page's API requests, started by an async module as soon as it loads (while Chart.js and Leaflet still parse), and the same requests for activity.js
import { get } from '../api.js';
import { authInfo } from '../auth.js';

/** The activity id of the page's URL, or null. */
export function activityId() {
	const id = new URLSearchParams(location.search).get('id');
	return id && /^-?\d+$/.test(id) ? id : null;
}

/** GET /api/v1/activities/{id} (one request per page view: api.js keeps it). */
export function detail(id) {
	return get(`activities/${id}`);
}

/** The chart streams: 1,000 points (LTTB on the server), or null when the activity has none. */
export function streams(id) {
	return get(`activities/${id}/streams`, { points: 1000 }).catch((e) =>
		e.code === 'no_streams' ? null : Promise.reject(e),
	);
}

/*
 * Run once, when activity.html's async <script> loads this module (before the deferred scripts run):
 * every request the page's first render waits for, side by side. Without a session (auth mode strava)
 * the API answers 401 and api.js sends the browser to the login page, as the page shell would.
 * A failure is left for the page to fetch again and show.
 */
const quiet = () => {};
authInfo();
get('me').catch(quiet);
const id = activityId();
if (id) {
	detail(id).catch(quiet);
	streams(id).catch(quiet);
}
