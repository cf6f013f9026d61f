#!/bin/bash -eu
# Build the fuzz targets the OSS-Fuzz way (jansson's test/ossfuzz/ossfuzz.sh:
# oss-fuzz/build.sh only calls this script, so the build logic lives here).
#
# Environment (set by OSS-Fuzz's base-builder; set them yourself to run it
# locally, see docs/fuzzing.md):
#   SRC   where the sources are: $SRC/rebalance (or REBALANCE_SRC), $SRC/libyaml,
#         $SRC/cjson, $SRC/libcyaml, $SRC/lua5.1 (Lua 5.1: the Lua validator)
#   WORK  scratch space (the dependencies are installed into $WORK/prefix)
#   OUT   where the fuzzers, their seed corpora, dictionaries and options go
#   CC, CFLAGS, LIB_FUZZING_ENGINE   compiler, sanitizer and coverage flags, engine
#
# The dependencies are built from source with $CC $CFLAGS as static libraries,
# so that the fuzzer sees their coverage (and MSan their memory): with Debian's
# uninstrumented shared libraries coverage is blind (docs/fuzzing.md).
# A dependency whose source directory is missing is taken from the system
# through pkg-config instead, with a warning (local runs only: libcyaml's
# Debian source cannot be fetched from every mirror; then fuzz_config's
# coverage of libcyaml is blind, the rest is not affected).
REBALANCE_SRC=${REBALANCE_SRC:-$SRC/rebalance}
PREFIX=$WORK/prefix
JOBS=${JOBS:-$(nproc)}
mkdir -p "$PREFIX/lib/pkgconfig" "$PREFIX/include" "$OUT"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

have_src() {
	if [ -d "$SRC/$1" ]; then
		return 0
	fi
	echo "ossfuzz.sh: warning: no $SRC/$1, using the system's $1 (not instrumented)" >&2
	return 1
}

# libyaml: its CMake build (no autotools needed); it installs no .pc file.
if have_src libyaml; then
	cmake -S "$SRC/libyaml" -B "$WORK/build-libyaml" -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DBUILD_SHARED_LIBS=OFF \
		-DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib
	cmake --build "$WORK/build-libyaml" -j "$JOBS"
	cmake --install "$WORK/build-libyaml"
	cat > "$PREFIX/lib/pkgconfig/yaml-0.1.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: LibYAML
Description: Library to parse and emit YAML
Version: 0.2.5
Cflags: -I\${includedir} -DYAML_DECLARE_STATIC
Libs: -L\${libdir} -lyaml
PC
fi

# cJSON: its CMake build, static, without its own warning flags and tests.
if have_src cjson; then
	cmake -S "$SRC/cjson" -B "$WORK/build-cjson" -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DBUILD_SHARED_LIBS=OFF \
		-DBUILD_SHARED_AND_STATIC_LIBS=OFF -DENABLE_CJSON_TEST=OFF \
		-DENABLE_CJSON_UTILS=OFF -DENABLE_CUSTOM_COMPILER_FLAGS=OFF \
		-DENABLE_TARGET_EXPORT=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib
	cmake --build "$WORK/build-cjson" -j "$JOBS"
	cmake --install "$WORK/build-cjson"
fi

# libcyaml: compiled directly (its Makefile also builds a shared library and
# needs extra tools); a static archive plus a .pc file.
if have_src libcyaml; then
	rm -rf "$WORK/build-libcyaml"
	mkdir -p "$WORK/build-libcyaml"
	for c in "$SRC"/libcyaml/src/*.c; do
		# shellcheck disable=SC2086
		$CC $CFLAGS -std=c11 -I"$SRC/libcyaml/include" -I"$PREFIX/include" \
			-DVERSION_MAJOR=1 -DVERSION_MINOR=3 -DVERSION_PATCH=1 -DVERSION_DEVEL=0 \
			-c "$c" -o "$WORK/build-libcyaml/$(basename "$c" .c).o"
	done
	ar rcs "$PREFIX/lib/libcyaml.a" "$WORK"/build-libcyaml/*.o
	cp -r "$SRC/libcyaml/include/cyaml" "$PREFIX/include/"
	cat > "$PREFIX/lib/pkgconfig/libcyaml.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libcyaml
Description: Schema-based YAML parsing and serialisation
Version: 1.3.1
Requires: yaml-0.1
Cflags: -I\${includedir}
Libs: -L\${libdir} -lcyaml
PC
fi

# Lua 5.1: its library sources compiled directly (its Makefile builds the
# interpreter and a shared library too); lua.c and luac.c/print.c are programs.
if have_src lua5.1; then
	rm -rf "$WORK/build-lua5.1"
	mkdir -p "$WORK/build-lua5.1" "$PREFIX/include/lua5.1"
	for c in "$SRC"/lua5.1/src/*.c; do
		case "$(basename "$c")" in lua.c | luac.c | print.c) continue ;; esac
		# shellcheck disable=SC2086
		$CC $CFLAGS -DLUA_USE_POSIX -I"$SRC/lua5.1/src" \
			-c "$c" -o "$WORK/build-lua5.1/$(basename "$c" .c).o"
	done
	ar rcs "$PREFIX/lib/liblua5.1.a" "$WORK"/build-lua5.1/*.o
	cp "$SRC"/lua5.1/src/{lua.h,luaconf.h,lualib.h,lauxlib.h} "$PREFIX/include/lua5.1/"
	cat > "$PREFIX/lib/pkgconfig/lua5.1.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include/lua5.1
Name: Lua
Description: Lua 5.1 language engine
Version: 5.1.5
Cflags: -I\${includedir}
Libs: -L\${libdir} -llua5.1 -lm
PC
fi

# rebalance: only the library and the fuzz targets, linked with the engine.
cmake -S "$REBALANCE_SRC" -B "$WORK/build-rebalance" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DBUILD_SHARED_LIBS=OFF \
	-DREBALANCE_BUILD_TESTS=OFF -DREBALANCE_BUILD_CLI=OFF \
	-DREBALANCE_FUZZ=libfuzzer -DREBALANCE_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
	-DCMAKE_PREFIX_PATH="$PREFIX"
cmake --build "$WORK/build-rebalance" -j "$JOBS" \
	--target fuzz_yaml fuzz_json fuzz_translate fuzz_roundtrip fuzz_config fuzz_engine

# Targets, seed corpora (the corpus plus the regression inputs), dictionary, options.
FUZZ=$REBALANCE_SRC/fuzz
for t in yaml json translate roundtrip config engine; do
	cp "$WORK/build-rebalance/fuzz/fuzz_$t" "$OUT/"
	rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
	(cd "$FUZZ" && zip -q -j -r "$OUT/fuzz_${t}_seed_corpus.zip" "corpus/$t" "regressions/$t")
	cp "$FUZZ/fuzz_$t.options" "$OUT/"
done
cp "$FUZZ/rebalance.dict" "$OUT/"
