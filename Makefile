# `./configure && make` builds; `make check` runs the whole suite (QEMU's habit, meson underneath).
BUILD ?= build

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	./configure --builddir=$(BUILD)

check: all
	python3 tests/run-suite.py --build $(BUILD)

clean:
	ninja -C $(BUILD) clean

.PHONY: all check clean
