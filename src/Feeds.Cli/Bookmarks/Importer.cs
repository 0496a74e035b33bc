using System.Text.RegularExpressions;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// Sends import items to <c>POST /api/posts/batch</c>, oldest first, in batches of at most <see cref="BatchSize"/> items
/// and <see cref="MaxBatchBytes"/> bytes (the server takes 500 items and 1 MiB). Each batch is stored whole or not at
/// all, and items carry import keys, so stopping anywhere and running again imports exactly the rest. When the server
/// refuses a batch for some of its items, those are reported and left out and the others are sent again.
/// <see cref="InFlight"/> batches are sent at once, so the server reads and renders one while it writes another.
/// </summary>
internal sealed partial class Importer(FeedsClient client, ProgressBar progress)
{
    public const int MaxBatchItems = 500;
    public const int MaxBatchBytes = 900 * 1024;

    public int BatchSize { get; init; } = MaxBatchItems;

    /// <summary>
    /// How many batches may wait for an answer at once. Two keep the server busy on two cores; as batches may then be
    /// stored a little out of order, posts with the same title may number their slugs out of date order across batches
    /// (posts from a Feeds export bring their slugs, so theirs stay as they were).
    /// </summary>
    public int InFlight { get; init; } = 2;

    /// <summary>Called after each stored batch with the number of items done so far.</summary>
    public Action<int>? BatchStored { get; init; }

    public async Task<ImportResult> RunAsync(IEnumerable<ImportItem> items, CancellationToken cancellationToken)
    {
        var result = new ImportResult();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = new List<Task>();
        try
        {
            foreach (var batch in Batches(items))
            {
                if (sending.Count >= InFlight)
                {
                    var finished = await Task.WhenAny(sending);
                    sending.Remove(finished);
                    await finished;
                }

                sending.Add(SendAsync(batch, result, stop.Token));
            }

            await Task.WhenAll(sending);
        }
        catch
        {
            // One batch failed (or Ctrl-C): stop the others and let them end before saying so.
            await stop.CancelAsync();
            await Task.WhenAll(sending).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }

        return result;
    }

    private IEnumerable<List<(ImportItem Item, PostBatchItem Sent)>> Batches(IEnumerable<ImportItem> items)
    {
        var batch = new List<(ImportItem Item, PostBatchItem Sent)>();
        var bytes = 0;
        foreach (var item in items)
        {
            var sent = item.ToBatchItem();
            var size = FeedsClient.SizeOf(sent);
            if (batch.Count > 0 && (batch.Count >= BatchSize || bytes + size + 1 > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add((item, sent));
            bytes += size + 1;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task SendAsync(List<(ImportItem Item, PostBatchItem Sent)> batch, ImportResult result, CancellationToken cancellationToken)
    {
        var pending = batch.ToList();
        while (pending.Count > 0)
        {
            try
            {
                var answer = await client.ImportPostsAsync(new PostBatchRequest([.. pending.Select(p => p.Sent)]), cancellationToken);
                lock (result)
                {
                    result.Created += answer.Created;
                    result.Existing += answer.Existing;
                    result.Done += pending.Count;
                    progress.Report(result.Done + result.Refused.Count);
                    BatchStored?.Invoke(result.Done);
                }

                return;
            }
            catch (CliException e) when (e.HttpStatus == 413 && pending.Count > 1)
            {
                // Too big after all (the server's limit may be lower than ours): halve the batch and go on.
                var half = pending.Count / 2;
                await SendAsync(pending[..half], result, cancellationToken);
                pending = pending[half..];
            }
            catch (CliException e) when (e.HttpStatus is 400 or 413 && ItemErrors(e, pending.Count) is { Count: > 0 } refused)
            {
                lock (result)
                {
                    foreach (var (index, messages) in refused.OrderBy(r => r.Key))
                    {
                        result.Refused.Add(new RefusedItem(pending[index].Item.Position, pending[index].Item.Url, messages));
                    }

                    progress.Report(result.Done + result.Refused.Count);
                }

                pending = [.. pending.Where((_, index) => !refused.ContainsKey(index))];
            }
        }
    }

    /// <summary>The refused items of a 400 answer by their index in the batch; empty when the refusal is not about items.</summary>
    private static Dictionary<int, List<string>> ItemErrors(CliException refusal, int count)
    {
        var byItem = new Dictionary<int, List<string>>();
        if (refusal.HttpStatus == 413)
        {
            byItem[0] = ["too large for one request"];
            return byItem;
        }

        foreach (var (field, messages) in refusal.Problem?.Errors ?? new Dictionary<string, string[]>())
        {
            if (ItemField().Match(field) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, out var index) || index >= count)
            {
                return [];
            }

            var name = match.Groups[2].Value.TrimStart('.');
            var list = byItem.TryGetValue(index, out var existing) ? existing : byItem[index] = [];
            list.AddRange(messages.Select(m => name.Length == 0 ? m : $"{name}: {m}"));
        }

        return byItem;
    }

    [GeneratedRegex(@"^items\[(\d+)\](.*)$")]
    private static partial Regex ItemField();
}

internal sealed class ImportResult
{
    /// <summary>Items the server has answered for (created or existing).</summary>
    public int Done { get; set; }

    public int Created { get; set; }

    public int Existing { get; set; }

    public List<RefusedItem> Refused { get; } = [];
}

internal sealed record RefusedItem(int Position, string Url, List<string> Errors);
