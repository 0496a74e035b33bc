using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Feeds.Benchmarks -- --filter '*'` runs every benchmark;
// the load scripts under tests/Feeds.Benchmarks/scripts compare the running service with its anchors.
// `-- webhooks` runs the webhook delivery load script instead (publish latency and a 1,000-endpoint fan-out).
if (args is ["webhooks", ..])
{
    return await Feeds.Benchmarks.Webhooks.WebhookDeliveryBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
