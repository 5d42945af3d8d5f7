# The two commands of the README:
#   make run    builds the release binary and serves the bundled seed data (ARGS="--port 9000" adds flags)
#   make test   runs every test: layering, every Swift unit and live-server test under ThreadSanitizer
#               and again under AddressSanitizer, 30 s of each fuzzer, then the Python clients
#               against the release binary
# Both install what is missing (apt packages, the Python tools) first.
# Not in make test: make bench, make soak (5 minutes), make fuzz (longer fuzzing), make docker-test.

SWIFT ?= swift
ARGS ?=
FUZZ_SECONDS ?= 300

.PHONY: docker-test run build release test layering swift-test sanitize sanitize-thread sanitize-address fuzz fuzz-smoke python-test bench soak bench-instructions clean

run: release
	.build/release/paystack-mock $(ARGS)

release:
	@scripts/ensure-deps.sh build
	$(SWIFT) build -c release --static-swift-stdlib --product paystack-mock

build:
	@scripts/ensure-deps.sh build
	$(SWIFT) build --build-tests

test:
	@scripts/ensure-deps.sh test
	@scripts/check-layering.sh
	$(MAKE) --no-print-directory release
	$(MAKE) --no-print-directory sanitize
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory python-test

layering:
	@scripts/check-layering.sh

# The Swift tests without sanitizers (make test runs them sanitized instead, twice).
swift-test: build
	PAYSTACK_MOCK_RELEASE_BINARY=$(CURDIR)/.build/release/paystack-mock $(SWIFT) test --skip-build

# Every Swift test, with the servers they start built the same way; a report stops the run. Line
# tables are all a report needs, and cost far less to build and link than full debug information.
SANITIZE_BUILD = PAYSTACK_MOCK_SANITIZE=1 $(SWIFT) build --build-tests -Xswiftc -gline-tables-only

sanitize: sanitize-thread sanitize-address

sanitize-thread:
	$(SANITIZE_BUILD) --sanitize=thread --scratch-path .build-tsan
	PAYSTACK_MOCK_SANITIZE=1 TSAN_OPTIONS=halt_on_error=1 PAYSTACK_MOCK_BINARY=$(CURDIR)/.build-tsan/debug/paystack-mock \
		$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

# Leaks are checked in the servers (at exit), not in the test runner (XCTest's own allocations).
sanitize-address:
	$(SANITIZE_BUILD) --sanitize=address --scratch-path .build-asan
	PAYSTACK_MOCK_SANITIZE=1 ASAN_OPTIONS=detect_leaks=0 PAYSTACK_MOCK_SERVER_ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
		PAYSTACK_MOCK_BINARY=$(CURDIR)/.build-asan/debug/paystack-mock \
		$(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan

fuzz-smoke:
	scripts/fuzz.sh 30

fuzz:
	@scripts/ensure-deps.sh build
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The SDKs, MCP client, browser and schemathesis against the binary users run.
python-test: release
	@scripts/python-env.sh
	PAYSTACK_MOCK_BINARY=$(CURDIR)/.build/release/paystack-mock .venv/bin/python -m pytest -q Tests/python

bench:
	@scripts/ensure-deps.sh bench
	bench/run.sh $(BENCH_ARGS)

# Instructions per request under callgrind: not moved by the machine's noise (COMPARE=path adds a build).
bench-instructions:
	@scripts/ensure-deps.sh bench
	$(MAKE) --no-print-directory release
	$(MAKE) --no-print-directory bench/evhttp-baseline
	python3 bench/instructions.py $(if $(COMPARE),--compare $(COMPARE))

bench/evhttp-baseline: bench/evhttp_baseline.c
	gcc -O2 -o $@ $< $$(pkg-config --cflags --libs libevent libevent_pthreads)

soak:
	@scripts/ensure-deps.sh bench
	$(MAKE) --no-print-directory release
	python3 bench/soak.py

# The image and the compose stacks, built and run for real (docker, else podman); minutes.
docker-test:
	scripts/docker-test.sh

clean:
	rm -rf .build .build-tsan .build-asan .build-fuzz .venv bench/out
