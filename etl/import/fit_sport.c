/* fit_sport.c: FIT sport and sub_sport enums to Strava sport_type */
#include "fit.h"

#include <stddef.h> /* NULL */

const char *
fit_sport(unsigned sport, unsigned sub, int *trainer)
{
	static const char *const by_sport[] = {
	    [0] = "Workout",      [1] = "Run",
	    [2] = "Ride",         [4] = "Workout",
	    [5] = "Swim",         [7] = "Soccer",
	    [8] = "Tennis",       [10] = "Workout",
	    [11] = "Walk",        [12] = "NordicSki",
	    [13] = "AlpineSki",   [14] = "Snowboard",
	    [15] = "Rowing",      [16] = "Hike",
	    [17] = "Hike",        [19] = "Canoeing",
	    [21] = "EBikeRide",   [25] = "Golf",
	    [30] = "InlineSkate", [31] = "RockClimbing",
	    [32] = "Sail",        [33] = "IceSkate",
	    [35] = "Snowshoe",    [37] = "StandUpPaddling",
	    [38] = "Surfing",     [41] = "Kayaking",
	    [43] = "Windsurf",    [44] = "Kitesurf",
	};
	const char *s = NULL;

	*trainer = 0;
	switch (sport) {
	case 1: /* running */
		if (sub == 3)
			return "TrailRun";
		if (sub == 58)
			return "VirtualRun";
		if (sub == 1 || sub == 45) /* treadmill, indoor */
			*trainer = 1;
		return "Run";
	case 2: /* cycling */
		if (sub == 58)
			return "VirtualRide";
		if (sub == 8 || sub == 9) /* mountain, downhill */
			return "MountainBikeRide";
		if (sub == 46)
			return "GravelRide";
		if (sub == 28)
			return "EMountainBikeRide";
		if (sub == 6 || sub == 10) /* indoor cycling, spin */
			*trainer = 1;
		return "Ride";
	case 4: /* fitness equipment */
		if (sub == 15)
			return "Elliptical";
		if (sub == 16)
			return "StairStepper";
		if (sub == 14) {
			*trainer = 1;
			return "Rowing";
		}
		return "Workout";
	case 10: /* training */
		if (sub == 20)
			return "WeightTraining";
		if (sub == 43)
			return "Yoga";
		if (sub == 44)
			return "Pilates";
		return "Workout";
	case 12: /* cross-country skiing */
		if (sub == 42)
			return "BackcountrySki";
		return "NordicSki";
	}
	if (sport < sizeof by_sport / sizeof by_sport[0])
		s = by_sport[sport];
	return s ? s : "Workout";
}
