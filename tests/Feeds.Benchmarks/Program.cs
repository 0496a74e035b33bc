using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Feeds.Benchmarks -- --filter '*'` runs every benchmark;
// the load scripts under tests/Feeds.Benchmarks/scripts compare the running service with its anchors.
// `-- parse-corpus DIR ROUNDS` times the feed parser for scripts/parse-vs-feedparser.sh.
if (args is ["parse-corpus", var directory, var rounds])
{
    return Feeds.Benchmarks.FeedCorpus.Time(directory, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
}

// `-- import [N] [batch size] [batches at once]` imports N generated bookmarks with the feeds tool into an in-process server.
if (args is ["import", ..])
{
    return await Feeds.Benchmarks.Import.ImportBenchmark.RunAsync(args[1..]);
}

// `-- bookmarks N FILE` writes the import benchmark's file of N bookmarks, for scripts/import-processes.sh.
if (args is ["bookmarks", var bookmarkCount, var bookmarkFile])
{
    Feeds.Benchmarks.Import.BookmarkFile.Write(bookmarkFile, int.Parse(bookmarkCount, System.Globalization.CultureInfo.InvariantCulture), "");
    return 0;
}

// `-- webhooks` runs the webhook delivery load script instead (publish latency and a 1,000-endpoint fan-out).
if (args is ["webhooks", ..])
{
    return await Feeds.Benchmarks.Webhooks.WebhookDeliveryBenchmark.RunAsync(args[1..]);
}

// `-- websub [publishes] [subscribers]` runs the WebSub distribution load script (publish latency beside webhooks, a 1,000-subscriber fan-out).
if (args is ["websub", ..])
{
    return await Feeds.Benchmarks.WebSub.WebSubDistributionBenchmark.RunAsync(args[1..]);
}

// `-- activitypub [publishes] [followers]` runs the ActivityPub delivery load script (publish latency beside webhooks, a 1,000-follower fan-out).
if (args is ["activitypub", ..])
{
    return await Feeds.Benchmarks.ActivityPub.ActivityPubDeliveryBenchmark.RunAsync(args[1..]);
}

// `-- scale [posts] [tags] [seconds]` times a full rebuild and single publishes over 100,000 posts and 2,000 tags.
if (args is ["scale", ..])
{
    return await Feeds.Benchmarks.Publishing.ScaleBenchmark.RunAsync(args[1..]);
}

// `-- poll-round [sources]` times one polling round over 1,000 sources and feed serving while it runs.
if (args is ["poll-round", ..])
{
    return await Feeds.Benchmarks.Sources.PollRoundBenchmark.RunAsync(args[1..]);
}

// `-- hostile-memory [settle seconds]` follows the server's resident memory through four hostile upstream feeds and after them.
if (args is ["hostile-memory", ..])
{
    return await Feeds.Benchmarks.Sources.HostileMemoryBenchmark.RunAsync(args[1..]);
}

// `-- render-vs-django TOOLS_DIR [rounds]` times rendering in rounds interleaved with Django's, for scripts/render-vs-django.sh.
if (args is ["render-vs-django", ..])
{
    return await Feeds.Benchmarks.RenderVsDjango.RunAsync(args[1..]);
}

// `-- pages [rounds] [seconds] [posts]` times the Razor pages against the string-built pages they replaced, side by side.
if (args is ["pages", ..])
{
    return await Feeds.Benchmarks.Pages.PagesVsStrings.RunAsync(args[1..]);
}

// `-- desk [posts] [drafts] [requests] [rounds]` times the desk's pages at 100,000 posts and 10,000 drafts against the home page.
if (args is ["desk", ..])
{
    return await Feeds.Benchmarks.Desk.DeskBenchmark.RunAsync(args[1..]);
}

// `-- search [posts] [queries]` times imports with and without the search index, 1,000 mixed searches against LIKE, and a rebuild.
if (args is ["search", ..])
{
    return await Feeds.Benchmarks.Search.SearchBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
