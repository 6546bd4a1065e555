# Backsight: `make run` starts the app on the built-in demo sandbox, `make test` runs every test.
# Both first make sure the system packages that Fyne's GLFW driver needs are installed.

GO        ?= go
BIN       := bin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/backsight/backsight/internal/buildinfo.Version=$(VERSION)
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
# no_emoji leaves Fyne's 4 MB colour emoji font out: parsed once per text style it held 12 MB
# of the app's heap at rest. Backsight's own text is all in the bundled Noto Sans (a test in
# internal/ui checks it); emoji in user data fall back to the system's fonts.
TAGS      := no_emoji

# Debian/Ubuntu packages: a C compiler and the X11/OpenGL headers for GLFW (cgo).
SYSDEPS      := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
                libxinerama-dev libxi-dev libxxf86vm-dev
BENCHDEPS    := curl gdal-bin time xvfb xdotool mesa-utils
SMOKEDEPS    := xvfb imagemagick xdotool

export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin

.PHONY: all run test build package sandbox bench smoke deps debug release clean vet fmt

all: build

# deps installs the missing packages of $(PKGS) with apt-get (through sudo when not root).
# On a system without apt-get it prints what is needed and stops.
PKGS ?= $(SYSDEPS)
deps:
	@missing=""; \
	for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "Backsight needs these packages (Debian names):$$missing"; \
	  echo "Install their equivalents with your system's package manager, then run make again."; \
	  exit 1; \
	fi; \
	echo "Installing:$$missing"; \
	sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

run: deps build
	./$(BIN)/backsight --demo

test: deps
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) -race ./...

build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)/backsight ./cmd/backsight
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/procore-sandbox ./cmd/procore-sandbox

# release turns off Fyne's thread checker; debug builds keep it on.
release: deps
	$(GO) build -tags migrated_fynedo,$(TAGS) -trimpath -ldflags "-s -w $(LDFLAGS)" -o $(BIN)/backsight ./cmd/backsight

# package builds a Linux package (tar.xz with the .desktop file and icon) from FyneApp.toml.
# fyne package writes cmd/backsight/fyne_metadata_init.go while it runs; an interrupted run left
# it behind, and its build tags broke the nogui test build of make test.
package: deps
	cd cmd/backsight && trap 'rm -f fyne_metadata_init.go' EXIT INT TERM && \
	  $(GO) run $(FYNE_TOOL) package -os linux -release \
	  -icon ../../assets/icon.png -tags migrated_fynedo,$(TAGS)
	mkdir -p dist && mv cmd/backsight/*.tar.xz dist/
	@ls -l dist

sandbox:
	CGO_ENABLED=0 $(GO) run ./cmd/procore-sandbox --seed demo

bench:
	$(MAKE) deps PKGS="$(SYSDEPS) $(BENCHDEPS)"
	$(MAKE) build
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -benchtime 1x ./...
	@failed=""; for s in bench/*.sh; do \
	  case "$$(basename $$s)" in lib_*) continue ;; esac; \
	  echo "== $$s"; bash "$$s" || failed="$$failed $$s"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench: missed its target:$$failed"; exit 1; fi

smoke:
	$(MAKE) deps PKGS="$(SYSDEPS) $(SMOKEDEPS)"
	$(MAKE) build
	bash .ci/smoke

vet:
	$(GO) vet -tags $(TAGS) ./...

fmt:
	gofmt -l -w .

clean:
	rm -rf $(BIN) dist
