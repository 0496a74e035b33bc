using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Feeds.Benchmarks -- --filter '*'` runs every benchmark;
// the load scripts under tests/Feeds.Benchmarks/scripts compare the running service with its anchors.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
