# exodisc — `make demo` runs the built-in example study, `make test` runs lint, types and tests.
# Both create .venv when it is missing and install what they need (Python >= 3.11 and pip only).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_OUT ?= exodisc-demo

.PHONY: docs demo test test-bare test-slurm lint typecheck pytest install system-deps clean system-deps-reads demo-reads

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages used by some tests, best effort, as root: chromium renders report.html offline;
# Bioconductor's GO.db / org.Hs.eg.db are the offline GO source the enrichment tests compare with.
DEB_TEST_PACKAGES := chromium r-bioc-go.db r-bioc-org.hs.eg.db
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
		&& ! dpkg -s $(DEB_TEST_PACKAGES) >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(DEB_TEST_PACKAGES) >/dev/null) \
		|| echo "note: could not install $(DEB_TEST_PACKAGES); tests that need them are skipped"; \
	fi

# Debian tools of the reads stage (issue 20): aligners, counters, trimmers, SLURM for its test.
DEB_READS_PACKAGES := hisat2 subread samtools bowtie cutadapt fastp rna-star bedtools salmon gffread slurm-wlm munge
system-deps-reads:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
		&& ! dpkg -s $(DEB_READS_PACKAGES) >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(DEB_READS_PACKAGES) >/dev/null) \
		|| echo "note: could not install $(DEB_READS_PACKAGES); the reads tests are skipped"; \
	fi

# The reads stage on the synthetic genome: FASTQ -> counts -> the DE sections of a study.
demo-reads: install system-deps-reads
	$(BIN)/exodisc demo-reads -o $(DEMO_OUT)-reads --force

demo: install
	$(BIN)/exodisc demo -o $(DEMO_OUT) --force

docs: install
	$(BIN)/exodisc reference -o docs/study-file.md

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install system-deps system-deps-reads
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# The suite as a bare clone sees it (../shared hidden): every test that reads real data, and the
# end-to-end demo runs. Tests that need a file whose licence forbids shipping it are skipped,
# each naming the file and the reason (tests/data/WITHHELD.tsv).
test-bare: install system-deps system-deps-reads
	EXODISC_NO_SHARED=1 $(BIN)/python -m pytest -q -m "(shared_data or slow) and not slurm"

# The reads workflow on a one-node SLURM cluster started on localhost (root, slurm-wlm, munge).
test-slurm: install system-deps-reads
	EXODISC_SLURM=1 $(BIN)/python -m pytest -q -rs -m slurm

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
