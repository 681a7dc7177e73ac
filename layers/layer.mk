# The Makefile of the stack's three layers: layers/<name>/Makefile is a link to this file.
# `sam build` runs `make --makefile layers/<name>/Makefile build-<LogicalId>` in a copy of
# layers/<name>/, ARTIFACTS_DIR naming the layer's build folder (template.yaml: `BuildMethod:
# makefile`; SAM Developer Guide, "Building Lambda layers": the Makefile lies in the layer's
# ContentUri, a Python layer's code goes in python/). A link, not an include: `sam build`'s cache
# (samconfig.toml) hashes the ContentUri folder, links followed, so an edit here rebuilds them.
#
# pip installs for the layers' runtime, python3.13 on arm64, not for the Python running it, so
# any Python 3.11+ with pip builds them (pip install --help):
# - --target: pip takes --platform, --python-version, --implementation and --abi only with it;
#   with them, --only-binary=:all: (pip builds no sdist for another machine);
# - --platform: "use this option multiple times to specify multiple platforms supported by the
#   target interpreter"; pip adds no others for aarch64, so these are the manylinux tags
#   aws-lambda-builders' own python3.13/arm64 build accepts (glibc 2.34); pure-Python wheels
#   (none-any) install as well;
# - --implementation and --abi: explicit, not taken from the Python running pip;
# - --no-compile: no bytecode of the Python running pip in the layer;
# - --no-warn-conflicts: pip checks conflicts against the Python running it, not the target.
# Then python/bin goes: console scripts (jmespath's jp.py), their #! naming the Python running pip.
# Environment markers (`; python_version < "3.10"`) pip evaluates against the Python running it:
# no dependency of the pins has one (extras aside).
PYTHON ?= python3
PLATFORMS := manylinux_2_34_aarch64 manylinux_2_28_aarch64 manylinux_2_17_aarch64 \
	manylinux2014_aarch64

.PHONY: build-SdkLayer build-JsonnetLayer build-YamlLayer
build-SdkLayer build-JsonnetLayer build-YamlLayer:
	$(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is unset: sam build sets it))
	$(PYTHON) -m pip install --quiet --no-compile --no-warn-conflicts \
		--target "$(ARTIFACTS_DIR)/python" --only-binary=:all: \
		--python-version 3.13 --implementation cp --abi cp313 \
		$(addprefix --platform ,$(PLATFORMS)) \
		-r requirements.txt
	rm -rf "$(ARTIFACTS_DIR)/python/bin"
