// login.js: the login page: says why the athlete is here (scope missing, denied, logged out) and offers Connect with Strava
const WHY = {
	scope: [
		'Cairn needs to read all your activities, including private ones.',
		'Please tick “View data about your private activities” on Strava’s page and authorise again.',
	],
	denied: ['Authorisation was cancelled.', 'Connect again whenever you like.'],
	state: ['That login link expired or came from another browser.', 'Please connect again.'],
	exchange: ['Strava did not confirm the authorisation.', 'Please try again in a moment.'],
	logged_out: ['You are logged out.', ''],
	disconnected: ['Cairn is disconnected from your Strava account.', 'Connect again to resume.'],
};
const why = new URLSearchParams(location.search).get('error');
const msg = document.getElementById('why');
if (why && WHY[why]) {
	msg.querySelector('strong').textContent = WHY[why][0];
	msg.querySelector('span').textContent = ' ' + WHY[why][1];
	msg.hidden = false;
}
// After a missing scope, Strava's consent page must be shown again.
if (why === 'scope') document.getElementById('connect').href = '/auth/login?again=1';
