#!/usr/bin/env bash
# Installs the Debian packages the integration tests use (real headless Chromium for maps).
# Idempotent: does nothing when they are already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Neo4j tests: the launcher in tests/neo4j-launcher is a Maven project run on JDK 17
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)            # tests/test_rdf_peers.py
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)  # tests/test_rdf_peers.py (isql-vt too)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
