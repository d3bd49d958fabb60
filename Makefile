# Berth build entry points. `make` builds everything; `make test` runs every test suite.
SHELL := /bin/bash
BIN := $(CURDIR)/artifacts/bin
CONFIG ?= Release
DOTNET ?= dotnet
CFLAGS ?= -std=gnu11 -O2 -Wall -Wextra -Werror
AOT_FLAGS := -c $(CONFIG) -r linux-x64 --nologo -v:q -p:PublishAot=true

.PHONY: all deps build launcher reaper keeper init daemon cli managed fixtures demo install uninstall test test-cgroup2 test-systemd bench bench-quick bench-start bench-deps clean

all: build

# Every step prints one line with its time (scripts/step.sh; full output in artifacts/logs/). A binary is rebuilt only
# when a source of its project or of a project it references changed (stamp files in artifacts/stamps), so `make`
# with nothing changed takes seconds. Installs go through `.new` + rename, so a running berthd is never half-written.
STEP := scripts/step.sh
STAMPS := artifacts/stamps
COMMON := Directory.Build.props Directory.Packages.props global.json
sources = $(shell find $(1) \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/bin/*' -not -path '*/obj/*')
INTEROP_SRC := $(call sources,native-interop/Berth.Interop)
COMMON_SRC := $(call sources,src/Berth.Common)
INITSPEC_SRC := $(call sources,src/Berth.InitSpec)
API_SRC := $(call sources,src/Berth.Api)
HTTP_SRC := $(call sources,src/Berth.Http) $(INTEROP_SRC)
REGISTRY_SRC := $(call sources,src/Berth.Registry)
NETWORK_SRC := $(call sources,src/Berth.Network)
ENGINE_SRC := $(call sources,src/Berth.Engine) $(INTEROP_SRC) $(INITSPEC_SRC) $(NETWORK_SRC) $(COMMON_SRC)
INIT_SRC := $(call sources,src/Berth.Init) $(INTEROP_SRC) $(INITSPEC_SRC)
DAEMON_SRC := $(call sources,src/Berth.Daemon) $(API_SRC) $(ENGINE_SRC) $(HTTP_SRC) $(REGISTRY_SRC)
CLI_SRC := $(call sources,src/Berth.Cli) $(call sources,src/Berth.Compose) $(API_SRC) $(HTTP_SRC) $(COMMON_SRC)
ALL_SRC := $(call sources,src tests bench native-interop)
# The commit the binaries embed (`berth version`): a new commit rebuilds them.
GIT_HEAD := $(shell git rev-parse --short=7 HEAD 2>/dev/null)
$(shell mkdir -p $(STAMPS); [ "$$(cat $(STAMPS)/commit 2>/dev/null)" = "$(GIT_HEAD)" ] || echo "$(GIT_HEAD)" > $(STAMPS)/commit)

build: launcher reaper keeper init daemon cli managed

launcher: $(BIN)/berth-launcher

reaper: $(BIN)/berth-reaper

keeper: $(BIN)/berth-keeper

$(BIN)/berth-keeper: native-interop/keeper/berth-keeper.c
	@mkdir -p $(BIN)
	@$(STEP) keeper "berth-keeper (gcc -static)" gcc $(CFLAGS) -static -o $@.new $<
	@mv -f $@.new $@

$(BIN)/berth-reaper: native-interop/reaper/berth-reaper.c
	@mkdir -p $(BIN)
	@$(STEP) reaper "berth-reaper (gcc -static)" gcc $(CFLAGS) -static -o $@.new $<
	@mv -f $@.new $@

$(BIN)/berth-launcher: native-interop/launcher/berth-launcher.c $(wildcard native-interop/launcher/*.h)
	@mkdir -p $(BIN)
	@$(STEP) launcher "berth-launcher (gcc -static)" gcc $(CFLAGS) -static -o $@.new $<
	@mv -f $@.new $@

init: $(BIN)/berth-init

$(BIN)/berth-init: $(INIT_SRC) $(COMMON) $(STAMPS)/commit
	@$(STEP) init "berth-init (NativeAOT publish)" $(DOTNET) publish src/Berth.Init/Berth.Init.csproj $(AOT_FLAGS) -o artifacts/publish/berth-init
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berth-init/berth-init $@.new && mv -f $@.new $@

# berthd, NativeAOT, next to the helpers it runs (EngineOptions looks for them in its own directory).
daemon: $(BIN)/berthd

$(BIN)/berthd: $(DAEMON_SRC) $(COMMON) $(STAMPS)/commit
	@$(STEP) daemon "berthd (NativeAOT publish)" $(DOTNET) publish src/Berth.Daemon/Berth.Daemon.csproj $(AOT_FLAGS) -o artifacts/publish/berthd
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berthd/berthd $@.new && mv -f $@.new $@

# berth, the docker-like client (NativeAOT, so that it starts in a few milliseconds).
cli: $(BIN)/berth

$(BIN)/berth: $(CLI_SRC) $(COMMON) $(STAMPS)/commit
	@$(STEP) cli "berth (NativeAOT publish)" $(DOTNET) publish src/Berth.Cli/Berth.Cli.csproj $(AOT_FLAGS) -o artifacts/publish/berth
	@mkdir -p $(BIN) && install -m 755 artifacts/publish/berth/berth $@.new && mv -f $@.new $@

# The whole solution (tests, bench), for `make test`.
managed: $(STAMPS)/managed

$(STAMPS)/managed: $(ALL_SRC) $(COMMON) Runtime.sln $(STAMPS)/commit
	@$(STEP) managed "solution (dotnet build Runtime.sln)" $(DOTNET) build Runtime.sln -c $(CONFIG) --nologo -v:q
	@touch $@

# `make install` (as root), as a package would: berth on PATH, berthd with its helpers in one directory (EngineOptions
# finds them next to the resolved berthd) and a berthd link on PATH, the systemd units (berthd.service with ExecStart
# pointing at the installed berthd, berthd.socket), the `berth` group (a sysusers.d entry, created now when installing
# into the running system) and /etc/berth for daemon.json. PREFIX and DESTDIR as usual; units go to
# $(PREFIX)/lib/systemd/system, which systemd searches for /usr and /usr/local.
PREFIX ?= /usr/local
HELPERS := berthd berth-init berth-launcher berth-reaper berth-keeper
LIBEXEC := $(DESTDIR)$(PREFIX)/libexec/berth
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCONFDIR ?= /etc

install: launcher reaper init daemon cli
	@install -d $(DESTDIR)$(PREFIX)/bin $(LIBEXEC) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/berth
	@for f in $(HELPERS); do install -m 755 $(BIN)/$$f $(LIBEXEC)/$$f.new && mv -f $(LIBEXEC)/$$f.new $(LIBEXEC)/$$f; done
	@install -m 755 $(BIN)/berth $(DESTDIR)$(PREFIX)/bin/berth.new && mv -f $(DESTDIR)$(PREFIX)/bin/berth.new $(DESTDIR)$(PREFIX)/bin/berth
	@ln -sfn ../libexec/berth/berthd $(DESTDIR)$(PREFIX)/bin/berthd
	@sed 's|@BINDIR@|$(PREFIX)/libexec/berth|g' samples/systemd/berthd.service > $(DESTDIR)$(UNITDIR)/berthd.service
	@install -m 644 samples/systemd/berthd.socket $(DESTDIR)$(UNITDIR)/berthd.socket
	@chmod 644 $(DESTDIR)$(UNITDIR)/berthd.service
	@printf 'g berth -\n' > $(DESTDIR)$(SYSUSERSDIR)/berth.conf
	@if [ -z "$(DESTDIR)" ]; then \
		getent group berth >/dev/null || groupadd --system berth; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
	fi
	@echo "[make] installed berth and berthd in $(DESTDIR)$(PREFIX)/bin, berthd's helpers in $(LIBEXEC), berthd.service and berthd.socket in $(DESTDIR)$(UNITDIR)"

# Removes what install put there; the `berth` group, /etc/berth and the data root stay (a package keeps them too).
uninstall:
	@rm -f $(DESTDIR)$(PREFIX)/bin/berth $(DESTDIR)$(PREFIX)/bin/berthd
	@rm -f $(addprefix $(LIBEXEC)/,$(HELPERS))
	@rmdir $(LIBEXEC) 2>/dev/null || true
	@rm -f $(DESTDIR)$(UNITDIR)/berthd.service $(DESTDIR)$(UNITDIR)/berthd.socket $(DESTDIR)$(SYSUSERSDIR)/berth.conf
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "[make] removed berth, berthd and its units from $(DESTDIR)$(PREFIX)"

deps:
	scripts/install-deps.sh

# Berth's main job: build, start berthd, load the sample busybox image, run a container.
demo:
	scripts/demo.sh

# The offline busybox test images (cached in .fixtures/; rebuilt when missing).
fixtures: managed
	@$(STEP) fixtures "test images (.fixtures)" $(DOTNET) run --project tests/Berth.TestImages -c $(CONFIG) --no-build

# Tests run as root (like CI): they create real containers, mounts and cgroups.
test: deps build fixtures
	scripts/run-tests.sh

# The cgroup v2 lane: the cgroup and container tests, prebuilt here, run inside a small pure cgroup-v2 VM (tests/vm/).
# `make test test-cgroup2` builds once for both.
test-cgroup2: deps build fixtures
	tests/vm/test-cgroup2.sh

# The systemd lane: a VM with Debian's systemd as PID 1 that installs Berth with `make install` and drives berthd
# through systemctl (socket activation, notify status, reload, restart with a running container, update in the cgroup
# v2 files, the containers' cgroups below the service's, stop). `make test test-cgroup2 test-systemd` builds once.
test-systemd: deps build fixtures
	tests/vm/test-systemd.sh

# Benchmarks side by side with docker (a private dockerd), podman, runc, crun and the floor (bench/, about 20 min):
# writes bench/results/latest.md and latest.png. bench-quick: fewer rounds, no dockerd or podman, ~2 min, writes
# bench/results/raw/quick.md. Both run as root and leave nothing behind (the results file says so).
bench bench-quick bench-start: export BERTH_BENCH_MAKE_START := $(shell date +%s)
# BASELINE=rev: an older build measured beside this one (bench/baseline.sh builds it; a failed build stops the bench).
BENCH_BASELINE = $(if $(BASELINE),bin=$$(bench/baseline.sh $(BASELINE)) && BERTH_BENCH_BASELINE=$$bin ,)

bench: deps bench-deps build fixtures
	$(BENCH_BASELINE)$(DOTNET) run --project bench/Berth.Bench -c $(CONFIG) --no-build -- suite

# Benchmark 1 alone (run --rm beside docker, podman, runc, crun), with BASELINE=rev an older build of Berth beside it:
# `make bench-start BASELINE=009af56` judges a start-latency regression since that commit (bench/results/start.md).
bench-start: deps bench-deps build fixtures
	$(BENCH_BASELINE)$(DOTNET) run --project bench/Berth.Bench -c $(CONFIG) --no-build -- suite --only start

bench-quick: deps bench-deps build fixtures
	$(DOTNET) run --project bench/Berth.Bench -c $(CONFIG) --no-build -- suite --quick

bench-deps:
	bench/setup.sh

clean:
	rm -rf artifacts
	find . -name bin -o -name obj | grep -E '/(src|tests|native-interop)/' | xargs rm -rf
