# The two commands of the README:
#   make run    builds the release binary and serves the bundled seed data (ARGS="--port 9000" adds flags)
#   make test   runs every test: Swift unit and live-server tests, then the Python clients
# Both install what is missing (libevent-dev, python3-venv) through apt-get first.

SWIFT ?= swift
ARGS ?=

.PHONY: run build release test swift-test python-test bench clean

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
	$(MAKE) --no-print-directory swift-test
	$(MAKE) --no-print-directory python-test

swift-test: build
	PAYSTACK_MOCK_RELEASE_BINARY=$(CURDIR)/.build/release/paystack-mock $(SWIFT) test --skip-build

python-test: build
	@scripts/python-env.sh
	PAYSTACK_MOCK_BINARY=$(CURDIR)/.build/debug/paystack-mock .venv/bin/python -m pytest -q Tests/python

bench:
	@scripts/ensure-deps.sh bench
	bench/run.sh

clean:
	rm -rf .build .venv bench/out
