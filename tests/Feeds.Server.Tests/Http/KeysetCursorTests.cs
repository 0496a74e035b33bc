using Feeds.Data;

namespace Feeds.Server.Tests.Http;

/// <summary>The one keyset cursor every paged list hands out: opaque to clients, read back only if it made it.</summary>
public sealed class KeysetCursorTests
{
    [Fact]
    public void A_cursor_reads_back_the_key_it_was_made_from()
    {
        Assert.True(KeysetCursor.TryDecode(KeysetCursor.Encode("638700000000000000", "msg_01"), 2, out var parts));
        Assert.Equal(["638700000000000000", "msg_01"], parts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("msg_01JDQ5ZK6Q6B7H5XG9T3V2N8RW")]
    public void Text_no_cursor_came_from_is_refused(string? text) =>
        Assert.False(KeysetCursor.TryDecode(text, 1, out _));
}
