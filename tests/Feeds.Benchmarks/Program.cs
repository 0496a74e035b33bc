using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Feeds.Benchmarks -- --filter '*'` runs every benchmark;
// the load scripts under tests/Feeds.Benchmarks/scripts compare the running service with its anchors.
// `-- parse-corpus DIR ROUNDS` times the feed parser for scripts/parse-vs-feedparser.sh.
if (args is ["parse-corpus", var directory, var rounds])
{
    return Feeds.Benchmarks.FeedCorpus.Time(directory, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
