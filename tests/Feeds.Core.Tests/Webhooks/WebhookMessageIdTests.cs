using Feeds.Core.Webhooks;

namespace Feeds.Core.Tests.Webhooks;

public sealed class WebhookMessageIdTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_is_msg_and_26_crockford_base32_characters() =>
        Assert.Matches("^msg_[0-9A-HJKMNP-TV-Z]{26}$", WebhookMessageId.New(Start));

    [Fact]
    public void Ids_are_unique() =>
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(_ => WebhookMessageId.New(Start)).Distinct().Count());

    [Fact]
    public void Ids_sort_by_creation_time()
    {
        var ids = Enumerable.Range(0, 500).Select(i => WebhookMessageId.New(Start.AddMilliseconds(i * 7))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }
}
