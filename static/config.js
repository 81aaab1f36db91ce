// config.js: site settings for the dashboard that an operator may edit: the map tile server and its attribution
// (an empty url draws routes on a plain background with no tile requests; /api/v1/me `tiles` overrides these)
export default {
	tiles: {
		url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
		attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
		maxZoom: 19,
	},
};
