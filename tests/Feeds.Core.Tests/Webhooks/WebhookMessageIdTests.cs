using Feeds.Core.Webhooks;

namespace Feeds.Core.Tests.Webhooks;

public sealed class WebhookMessageIdTests
{
    [Fact]
    public void An_id_is_msg_and_26_crockford_base32_characters() =>
        Assert.Matches("^msg_[0-9A-HJKMNP-TV-Z]{26}$", WebhookMessageId.New());

    [Fact]
    public void Ids_are_unique() =>
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(_ => WebhookMessageId.New()).Distinct().Count());

    [Fact]
    public void Ids_sort_by_creation_time()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 500).Select(i => WebhookMessageId.New(start.AddMilliseconds(i * 7))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }
}
