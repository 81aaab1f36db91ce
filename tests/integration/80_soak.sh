#!/usr/bin/env bash
# 80_soak.sh: crash consistency inside `make test`: 10 random SIGKILLs each of extract, import and transform (tools/soak.sh)
#
# Small on purpose (1 to 2 minutes on two busy cores): 20 activities on a
# private local Strava, 20 synthetic GPX files; `make soak` runs 200 trials each.
# Wipes the test stack's database before and after (fresh_db).
# Environment: SOAK_TRIALS, SOAK_COUNT, SOAK_FILES, SOAK_SEED as in tools/soak.sh.
source "$(dirname "$0")/lib.sh"

SOAK_TRIALS=${SOAK_TRIALS:-10} SOAK_COUNT=${SOAK_COUNT:-20} SOAK_FILES=${SOAK_FILES:-20} \
	"$CAIRN_ROOT/tools/soak.sh" --in-stack
