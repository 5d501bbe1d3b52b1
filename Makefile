# The README's commands. CMake does the building; this file names the jobs.
BUILD ?= build
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all build run check check-asan check-tsan conformance install clean bench bench-record

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job: boot the default machine and take the tour, then its HighMem part on a 32-bit machine.
run: build
	./$(BUILD)/kmm scenarios/tour.kmm
	./$(BUILD)/kmm -b "profile=i386-highmem mem=2G quiet" scenarios/highmem.kmm

# Every test, then again under AddressSanitizer+UndefinedBehaviorSanitizer.
check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory check-asan

check-asan:
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DKMM_SANITIZER=address >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS)

# The threaded tests under ThreadSanitizer.
check-tsan:
	cmake -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=Debug -DKMM_SANITIZER=thread >/dev/null
	cmake --build $(BUILD)-tsan -j $(JOBS)
	cd $(BUILD)-tsan && ctest --output-on-failure -j $(JOBS) -L threaded

# Linux 6.12's own memblock test suite against kmm's memblock (downloads the kernel source).
conformance:
	tests/conformance/run.sh $(BUILD)

# kmm against glibc, jemalloc, tcmalloc and mimalloc, side by side (bench/README.md).
bench: build
	./$(BUILD)/kmm-bench
	python3 bench/replay_bench.py --build $(BUILD) | tee -a $(BUILD)/bench/RESULTS.md
	python3 bench/programs_bench.py --build $(BUILD) | tee -a $(BUILD)/bench/RESULTS.md
	(echo; cat bench/PROFILE.md) >> $(BUILD)/bench/RESULTS.md

# The same, then its results recorded in bench/RESULTS.md (to commit).
bench-record: bench
	bench/record.sh $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan
