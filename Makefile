# Makefile: builds Cairn's programs into build/bin, runs the local stack, the tests and the benchmarks
#
# Variables:
#   PREFIX, DESTDIR   where `make install` puts things (FHS layout below PREFIX)
#   SANITIZE          e.g. address,undefined: a sanitizer build in build/san/
#   CAIRN_PORT        the local stack's HTTP port (default 8080)
#   FUZZ_SECONDS      how long `make fuzz` runs each target (default 10)
#   FILE, DROP_DEMO   `make import`: what to import; `make import`/`make connect`
#                     DROP_DEMO=1: delete the demo athlete first

PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
CC ?= cc
FUZZ_SECONDS ?= 10
comma := ,

ifeq ($(SANITIZE),)
B := build
OPT := -O2 -D_FORTIFY_SOURCE=2
SANFLAGS :=
else
B := build/san
OPT := -O1
SANFLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

PKGS := libmariadb jansson libcurl libarchive expat zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wpointer-arith -Wvla -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -fstack-protector-strong -fPIE \
	-Ilib $(PKG_CFLAGS) -DCAIRN_PREFIX='"$(PREFIX)"' $(SANFLAGS) $(CFLAGS)
LDFLAGS ?=
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(SANFLAGS) $(LDFLAGS)
LIBS := $(PKG_LIBS) -lfcgi -lm -lpthread

# program name : source folder
PROGDIRS := migrate:etl/migrate extract:etl/extract import:etl/import \
	transform:etl/transform api:cgi-bin
PROGS := $(foreach p,$(PROGDIRS),$(B)/bin/cairn-$(word 1,$(subst :, ,$(p))))

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
LIBCAIRN := $(B)/obj/lib/libcairn.a

# Everything of a folder but main.c goes into its archive.
dir_src = $(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
dir_lib = $(B)/obj/$(1)/lib.a
ALL_DIRS := $(foreach p,$(PROGDIRS),$(word 2,$(subst :, ,$(p))))
ALL_DIR_LIBS := $(foreach d,$(ALL_DIRS),$(call dir_lib,$(d)))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all clean install test check demo start stop status bench fuzz valgrind \
	soak vendor deps check-format format lint-js import connect

all: $(PROGS) $(B)/bin/cairn-spool $(B)/bin/cairn-fakestrava vendor

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCAIRN): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

define prog_rules
$(B)/obj/$(2)/lib.a: $$(patsubst %.c,$(B)/obj/%.o,$$(call dir_src,$(2)))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^ && ranlib $$@

$(B)/bin/cairn-$(1): $(B)/obj/$(2)/main.o $(B)/obj/$(2)/lib.a $(LIBCAIRN)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach p,$(PROGDIRS),$(eval $(call prog_rules,$(word 1,$(subst :, ,$(p))),$(word 2,$(subst :, ,$(p))))))

# The Data page's runner (cairn-spool.service) is a script: copied beside the
# programs, as installed.
$(B)/bin/cairn-spool: tools/spool_run.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@

# The local Strava is Python (standard library only): a wrapper runs it in place.
$(B)/bin/cairn-fakestrava: tests/fakestrava/cairn-fakestrava.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\n# cairn-fakestrava: the local Strava (tests/fakestrava/)\nexec python3 "%s/tests/fakestrava/cairn-fakestrava.py" "$$@"\n' "$(CURDIR)" > $@
	chmod 755 $@

# Unit tests link the program archives named on a `links:` line of the test
# source (e.g. `/* links: etl/migrate */`), else every program archive
# (archives pull only what is used).
test_dirs = $(or $(shell sed -n 's|.*links: *\([^*]*\)\*/.*|\1|p' tests/unit/$(1).c 2>/dev/null),$(ALL_DIRS))
.SECONDEXPANSION:
$(B)/tests/%: tests/unit/%.c $$(foreach d,$$(call test_dirs,$$*),$$(call dir_lib,$$(d))) $(LIBCAIRN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(foreach d,$(call test_dirs,$*),-I$(d)) \
		$(ALL_LDFLAGS) -o $@ $< $(foreach d,$(call test_dirs,$*),$(call dir_lib,$(d))) $(LIBCAIRN) $(LIBS)

units: $(UNIT_BIN)

# Chart.js and Leaflet, pinned in package-lock.json, copied into static/vendor/.
vendor: static/vendor/.stamp
static/vendor/.stamp: package-lock.json
	@test -d node_modules/chart.js || npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/leaflet
	cp node_modules/chart.js/dist/chart.umd.js static/vendor/chart.umd.js
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/
	cp -r node_modules/leaflet/dist/images static/vendor/leaflet/
	touch $@

deps:
	tools/deps.sh

start: all
	tools/stack.sh start

stop:
	tools/stack.sh stop

status:
	tools/stack.sh status

demo: deps
	$(MAKE) all
	tools/stack.sh demo

# A person's own data (tools/own.sh, docs/EXTRACT.md "Your own data"):
# FILE= an export ZIP, folder or FIT/GPX/TCX file; DROP_DEMO=1 deletes the
# demo athlete first.
import: deps
	$(MAKE) all
	DROP_DEMO="$(DROP_DEMO)" tools/own.sh import "$(FILE)"

connect: deps
	$(MAKE) all
	DROP_DEMO="$(DROP_DEMO)" tools/own.sh connect

# The fast tier, before every commit: build, static checks, unit tests, API
# cases and a smoke test on a small private stack (tools/check.sh).
check: deps
	tools/check.sh

test: deps
	tools/test.sh

bench: deps
	$(MAKE) all
	tools/bench.sh

soak: deps
	$(MAKE) all
	tools/soak.sh

valgrind: units
	tools/valgrind.sh $(UNIT_BIN)

# libFuzzer targets: tests/fuzz/fuzz_<name>.c with seeds in tests/fuzz/corpus/<name>/.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Ilib $(PKG_CFLAGS) \
	$(foreach d,$(ALL_DIRS),-I$(d)) -fsanitize=fuzzer,address,undefined
FUZZ_LIB_SRC := $(LIB_SRC) $(foreach d,$(ALL_DIRS),$(call dir_src,$(d)))

# The sources under test are compiled once (instrumented, without libFuzzer's
# main) into one archive; each target links what it uses from it.
FUZZ_OBJ := $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(subst fuzzer$(comma),fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) -MMD -MP -c -o $@ $<

build/fuzz/libfuzz.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c build/fuzz/libfuzz.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< build/fuzz/libfuzz.a $(LIBS)

fuzz: deps $(FUZZ_BIN)
	tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

C_FORMATTED = lib/*.[ch] etl/*/*.[ch] cgi-bin/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c

# One format for C (.clang-format) and JavaScript (.prettierrc.json).
format:
	clang-format -i $(C_FORMATTED)
	tools/lint_js.sh --fix

check-format:
	clang-format --dry-run --Werror $(C_FORMATTED)

lint-js:
	tools/lint_js.sh

# Mutable globals in the objects of etl/ and cgi-bin/ (tools/check_globals.sh),
# built at -O0 (whatever CFLAGS says) into build/globals/: at -O2 GCC moves a
# static it never sees written into read-only data, where a missing const
# does not show.
.PHONY: check-globals
check-globals:
	$(MAKE) B=build/globals CFLAGS=-O0 SANITIZE= $(foreach d,$(ALL_DIRS),build/globals/obj/$(d)/lib.a build/globals/obj/$(d)/main.o)
	tools/check_globals.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cairn/sql \
		$(DESTDIR)$(PREFIX)/share/cairn/www $(DESTDIR)$(PREFIX)/share/cairn/nginx \
		$(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(SYSCONFDIR)/cairn
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(B)/bin/cairn-spool $(DESTDIR)$(PREFIX)/bin/
	install -m 644 sql/*.sql $(DESTDIR)$(PREFIX)/share/cairn/sql/
	cp -r static/. $(DESTDIR)$(PREFIX)/share/cairn/www/
	install -m 644 nginx/* $(DESTDIR)$(PREFIX)/share/cairn/nginx/
	for u in systemd/*.service systemd/*.socket systemd/*.timer systemd/*.path; do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' $$u > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$u); done
	test -e $(DESTDIR)$(SYSCONFDIR)/cairn/cairn.conf || \
		install -m 640 docs/cairn.conf.example $(DESTDIR)$(SYSCONFDIR)/cairn/cairn.conf

clean:
	rm -rf build static/vendor

-include $(shell find build -name '*.d' 2>/dev/null)
