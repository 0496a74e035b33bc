namespace Feeds.Core.Webhooks;

/// <summary>
/// Message ids (<c>webhook-id</c>): <c>msg_</c> and 26 Crockford base32 characters of a version 7 UUID.
/// They sort by creation time to the millisecond and are unique, so receivers can use them to
/// de-duplicate retries, and we can use them as the outbox's natural order.
/// </summary>
public static class WebhookMessageId
{
    public const string Prefix = "msg_";
    public const int Length = 30;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset createdAt)
    {
        var bytes = Guid.CreateVersion7(createdAt).ToByteArray(bigEndian: true);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[Length];
        Prefix.CopyTo(chars);
        // 26 characters of 5 bits cover 130 bits; the two leading bits are zero, and a fixed width keeps
        // ordinal string order equal to numeric (and so time) order.
        for (var i = Length - 1; i >= Prefix.Length; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
