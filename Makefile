# cinemateca: the two commands a new user types are `make demo` and
# `make check`. Everything else is a building block of those.

BUILD ?= build
ASAN_BUILD ?= build-asan
DEMO_DIR ?= $(HOME)/.local/share/cinemateca/demo
LISTEN ?= 127.0.0.1:8420

.PHONY: all setup build demo check test unit integration asan fuzz bench clean format

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --werror

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	scripts/demo.sh "$(BUILD)/src/cli/cinemateca" "$(DEMO_DIR)" "$(LISTEN)"

check: setup
	scripts/check.sh

test: check

# Formats every C file with the committed .clang-format (make check
# fails on a file that is not).
format: setup
	scripts/format.sh

fuzz:
	SETUP_EXTRA="clang libclang-rt-14-dev" scripts/setup.sh
	scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
