# Berth build entry points. `make` builds everything; `make test` runs every test suite.
SHELL := /bin/bash
BIN := $(CURDIR)/artifacts/bin
CONFIG ?= Release
DOTNET ?= dotnet
CFLAGS ?= -std=gnu11 -O2 -Wall -Wextra -Werror
AOT_FLAGS := -c $(CONFIG) -r linux-x64 --nologo -v:q -p:PublishAot=true

.PHONY: all deps build launcher reaper init daemon cli managed fixtures demo test test-cgroup2 bench bench-quick bench-deps clean

all: build

build: launcher reaper init daemon cli managed

launcher: $(BIN)/berth-launcher

reaper: $(BIN)/berth-reaper

$(BIN)/berth-reaper: native-interop/reaper/berth-reaper.c
	@mkdir -p $(BIN)
	gcc $(CFLAGS) -static -o $@.new $< && mv -f $@.new $@

$(BIN)/berth-launcher: native-interop/launcher/berth-launcher.c
	@mkdir -p $(BIN)
	gcc $(CFLAGS) -static -o $@.new $< && mv -f $@.new $@

init:
	$(DOTNET) publish src/Berth.Init/Berth.Init.csproj $(AOT_FLAGS) -o artifacts/publish/berth-init
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berth-init/berth-init $(BIN)/berth-init.new && mv -f $(BIN)/berth-init.new $(BIN)/berth-init

# berthd, NativeAOT, next to the helpers it runs (EngineOptions looks for them in its own directory).
daemon:
	$(DOTNET) publish src/Berth.Daemon/Berth.Daemon.csproj $(AOT_FLAGS) -o artifacts/publish/berthd
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berthd/berthd $(BIN)/berthd.new && mv -f $(BIN)/berthd.new $(BIN)/berthd

# berth, the docker-like client (NativeAOT, so that it starts in a few milliseconds).
cli:
	$(DOTNET) publish src/Berth.Cli/Berth.Cli.csproj $(AOT_FLAGS) -o artifacts/publish/berth
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berth/berth $(BIN)/berth.new && mv -f $(BIN)/berth.new $(BIN)/berth

managed:
	$(DOTNET) build Runtime.sln -c $(CONFIG) --nologo -v:q

deps:
	scripts/install-deps.sh

# Berth's main job: build, start berthd, load the sample busybox image, run a container.
demo:
	scripts/demo.sh

# The offline busybox test images (cached in .fixtures/; rebuilt when missing).
fixtures:
	$(DOTNET) run --project tests/Berth.TestImages -c $(CONFIG) --no-build

# Tests run as root (like CI): they create real containers, mounts and cgroups.
test: deps build fixtures
	scripts/run-tests.sh

# The cgroup v2 lane: the cgroup and container tests, prebuilt here, run inside a small pure cgroup-v2 VM (tests/vm/).
# `make test test-cgroup2` builds once for both.
test-cgroup2: deps build fixtures
	tests/vm/test-cgroup2.sh

# Benchmarks side by side with docker (a private dockerd), podman, runc, crun and the floor (bench/, about 20 min):
# writes bench/results/latest.md and latest.png. bench-quick: fewer rounds, no dockerd or podman, ~2 min, writes
# bench/results/raw/quick.md. Both run as root and leave nothing behind (the results file says so).
bench bench-quick: export BERTH_BENCH_MAKE_START := $(shell date +%s)

bench: deps bench-deps build fixtures
	$(DOTNET) run --project bench/Berth.Bench -c $(CONFIG) --no-build -- suite

bench-quick: deps bench-deps build fixtures
	$(DOTNET) run --project bench/Berth.Bench -c $(CONFIG) --no-build -- suite --quick

bench-deps:
	bench/setup.sh

clean:
	rm -rf artifacts
	find . -name bin -o -name obj | grep -E '/(src|tests|native-interop)/' | xargs rm -rf
