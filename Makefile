# hsmigrate: a plain Makefile. `make` builds build/hsmigrate; `make check`
# installs what is missing, builds with ASan and UBSan, and runs every
# test; `make demo` rehearses a migration against the sandbox portal.

CC ?= cc
PKGS = libcurl jansson sqlite3 libmicrohttpd yaml-0.1 libutf8proc
# Recursive (=) so pkg-config runs after `deps` has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lcsv -lpthread -lm

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wno-unused-parameter -Wformat=2 -Wvla -Wno-format-truncation
BASE_CFLAGS = -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS = $(BASE_CFLAGS) -O2 -g
ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
ASAN_CFLAGS = $(BASE_CFLAGS) -O1 -g $(ASAN_FLAGS)

SRCS := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES := $(UNIT_SRCS:tests/unit/%.c=%)

REL_OBJS := $(SRCS:%.c=build/rel/%.o)
REL_LIB_OBJS := $(LIB_SRCS:%.c=build/rel/%.o)
ASAN_OBJS := $(SRCS:%.c=build/asan/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:%.c=build/asan/%.o)
REL_UNITS := $(UNIT_NAMES:%=build/rel/tests/%)
ASAN_UNITS := $(UNIT_NAMES:%=build/asan/tests/%)

.PHONY: all deps asan check unit e2e contract demo bench format \
        format-check clean

all: build/hsmigrate

deps:
	@scripts/install-deps.sh

build/rel/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c $< -o $@

build/asan/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

build/hsmigrate: $(REL_OBJS)
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/hsmigrate: $(ASAN_OBJS)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS)

asan: build/asan/hsmigrate

build/rel/tests/%: tests/unit/%.c $(REL_LIB_OBJS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -Itests/unit -o $@ $< $(REL_LIB_OBJS) \
	    $(PKG_LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c $(ASAN_LIB_OBJS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -Itests/unit -o $@ $< $(ASAN_LIB_OBJS) \
	    $(PKG_LIBS) -lcmocka

# Unit tests run twice: under ASan/UBSan, and plain under valgrind.
unit: $(ASAN_UNITS) $(REL_UNITS)
	@tests/unit/run.sh $(UNIT_NAMES)

e2e: build/asan/hsmigrate build/hsmigrate
	@HSMIGRATE=$(CURDIR)/build/asan/hsmigrate tests/e2e/run.sh

contract: build/asan/hsmigrate
	@HSMIGRATE=$(CURDIR)/build/asan/hsmigrate tests/contract/run.sh

check: format-check unit e2e contract
	@echo "make check: all suites passed"

demo: build/hsmigrate
	@scripts/demo.sh

bench: build/hsmigrate
	@scripts/bench.sh

format:
	clang-format -i $(SRCS) $(shell find src tests/unit -name '*.h') \
	    $(UNIT_SRCS)

format-check: | deps
	@scripts/format-check.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
