/* imp_sport.c: sport names: file words to Strava sport_type, legacy type, duplicate groups */
#include "imp_activity.h"

#include <ctype.h>   /* tolower, isalnum */
#include <string.h>  /* strcmp */
#include <strings.h> /* strcasecmp */

/* Words seen in TCX Sport, GPX <type>, activities.csv (en, de, fr, es, it). */
static const struct {
	const char *word, *sport;
} imp_words[] = {
    {"ride", "Ride"},
    {"cycling", "Ride"},
    {"biking", "Ride"},
    {"bike", "Ride"},
    {"road_biking", "Ride"},
    {"radfahrt", "Ride"},
    {"velo", "Ride"},
    {"sortieavelo", "Ride"},
    {"ciclismo", "Ride"},
    {"pedalada", "Ride"},
    {"run", "Run"},
    {"running", "Run"},
    {"lauf", "Run"},
    {"course", "Run"},
    {"carrera", "Run"},
    {"corsa", "Run"},
    {"walk", "Walk"},
    {"walking", "Walk"},
    {"spaziergang", "Walk"},
    {"marche", "Walk"},
    {"hike", "Hike"},
    {"hiking", "Hike"},
    {"wanderung", "Hike"},
    {"randonnee", "Hike"},
    {"swim", "Swim"},
    {"swimming", "Swim"},
    {"schwimmen", "Swim"},
    {"natation", "Swim"},
    {"virtualride", "VirtualRide"},
    {"virtualrun", "VirtualRun"},
    {"trailrun", "TrailRun"},
    {"mountainbikeride", "MountainBikeRide"},
    {"mountain_biking", "MountainBikeRide"},
    {"gravelride", "GravelRide"},
    {"ebikeride", "EBikeRide"},
    {"emountainbikeride", "EMountainBikeRide"},
    {"alpineski", "AlpineSki"},
    {"backcountryski", "BackcountrySki"},
    {"nordicski", "NordicSki"},
    {"snowboard", "Snowboard"},
    {"snowshoe", "Snowshoe"},
    {"iceskate", "IceSkate"},
    {"inlineskate", "InlineSkate"},
    {"rollerski", "RollerSki"},
    {"rowing", "Rowing"},
    {"virtualrow", "VirtualRow"},
    {"kayaking", "Kayaking"},
    {"canoeing", "Canoeing"},
    {"standuppaddling", "StandUpPaddling"},
    {"surfing", "Surfing"},
    {"kitesurf", "Kitesurf"},
    {"windsurf", "Windsurf"},
    {"sail", "Sail"},
    {"rockclimbing", "RockClimbing"},
    {"rockclimb", "RockClimbing"},
    {"weighttraining", "WeightTraining"},
    {"workout", "Workout"},
    {"yoga", "Yoga"},
    {"crossfit", "Crossfit"},
    {"elliptical", "Elliptical"},
    {"stairstepper", "StairStepper"},
    {"golf", "Golf"},
    {"soccer", "Soccer"},
    {"tennis", "Tennis"},
    {"pilates", "Pilates"},
    {"hiit", "HighIntensityIntervalTraining"},
    {"highintensityintervaltraining", "HighIntensityIntervalTraining"},
    {"handcycle", "Handcycle"},
    {"wheelchair", "Wheelchair"},
    {"velomobile", "Velomobile"},
    {"skateboard", "Skateboard"},
    {"other", "Workout"},
    /* numeric <type> of older Strava GPX exports */
    {"1", "Ride"},
    {"9", "Run"},
    {"10", "Walk"},
    {"4", "Hike"},
};

const char *
imp_sport_from_word(const char *w)
{
	char k[64];
	size_t i, n = 0;

	if (!w)
		return "";
	for (; *w && n + 1 < sizeof k; w++) {
		unsigned char c = (unsigned char)*w;

		if (c == 0xc3 && (unsigned char)w[1] == 0xa9) { /* é */
			k[n++] = 'e';
			w++;
		} else if (isalnum(c) || c == '_') {
			k[n++] = (char)tolower(c);
		}
	}
	k[n] = '\0';
	if (n == 0)
		return "";
	for (i = 0; i < sizeof imp_words / sizeof imp_words[0]; i++)
		if (strcmp(k, imp_words[i].word) == 0)
			return imp_words[i].sport;
	return "";
}

const char *
imp_legacy_type(const char *sport)
{
	static const struct {
		const char *sport, *type;
	} map[] = {
	    {"TrailRun", "Run"},
	    {"MountainBikeRide", "Ride"},
	    {"GravelRide", "Ride"},
	    {"EMountainBikeRide", "EBikeRide"},
	    {"VirtualRun", "VirtualRun"},
	    {"HighIntensityIntervalTraining", "Workout"},
	    {"Pilates", "Workout"},
	    {"Tennis", "Workout"},
	    {"VirtualRow", "Rowing"},
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(sport, map[i].sport) == 0)
			return map[i].type;
	return sport;
}

const char *
imp_sport_group(const char *sport)
{
	static const struct {
		const char *sport, *group;
	} map[] = {
	    {"Ride", "ride"},
	    {"VirtualRide", "ride"},
	    {"MountainBikeRide", "ride"},
	    {"GravelRide", "ride"},
	    {"EBikeRide", "ride"},
	    {"EMountainBikeRide", "ride"},
	    {"Handcycle", "ride"},
	    {"Velomobile", "ride"},
	    {"Run", "run"},
	    {"TrailRun", "run"},
	    {"VirtualRun", "run"},
	    {"Walk", "foot"},
	    {"Hike", "foot"},
	    {"Swim", "swim"},
	    {"Rowing", "row"},
	    {"VirtualRow", "row"},
	    {"Canoeing", "paddle"},
	    {"Kayaking", "paddle"},
	    {"StandUpPaddling", "paddle"},
	    {"AlpineSki", "ski"},
	    {"BackcountrySki", "ski"},
	    {"NordicSki", "ski"},
	    {"Snowboard", "ski"},
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(sport, map[i].sport) == 0)
			return map[i].group;
	return sport;
}
