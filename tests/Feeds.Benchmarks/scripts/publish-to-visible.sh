#!/usr/bin/env bash
# Publish -> visible, as the benchmark: the two latency tests at full length, asserting their targets.
# - PublishToVisibleTests: 100 publishes one after another on one in-process server; each is timed from the API's
#   answer until the firehose and its tag feed serve a new ETag holding it. Target: p99 < 1 s over the 200 updates.
# - ClusterTests (the latency test): 100 publishes on node A at an author's pace (0.3 s apart), two node processes over
#   one PostgreSQL database and nginx in front; each timed until node A, node B and the front serve it.
#   Target: p99 <= 250 ms at B and through nginx. Needs PostgreSQL and nginx (the test skips, naming them, without).
# In the suite the same tests run 20 publishes under a 5 s bound (Infrastructure/LatencyRun.cs).
# Usage: tests/Feeds.Benchmarks/scripts/publish-to-visible.sh [PUBLISHES=100]
set -euo pipefail
cd "$(dirname "$0")/../../.."
export FEEDS_PUBLISHES=${1:-100}
dotnet test tests/Feeds.Server.Tests \
  --filter "FullyQualifiedName~PublishToVisibleTests|FullyQualifiedName~ClusterTests.A_post_published_on_one_node" \
  --logger "console;verbosity=detailed"
