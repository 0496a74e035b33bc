using System.Text;
using Feeds.Core.Syndication;
using Feeds.Core.Text;

namespace Feeds.Core.Tests.Syndication;

public sealed class XmlCharsTests
{
    private static readonly string[] Pieces =
    [
        "\0", "\u0001", "\u0008", "\t", "\n", "\u000B", "\u000C", "\r", "\u000E", "\u001F", " ", "a", "<p>",
        "\uD7FF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "🎉", "\uE000", "\uFFFD", "\uFFFE", "\uFFFF", "日本語",
        "a long run of plain text that fills several vector blocks before anything happens",
    ];

    [Fact]
    public void The_first_illegal_character_is_found_wherever_it_is()
    {
        var random = new Random(4287);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            for (var k = random.Next(0, 12); k > 0; k--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            var value = text.ToString();
            Assert.Equal(FirstIllegal(value), XmlChars.IndexOfIllegal(value));
            Assert.Equal(TextRules.ForXml(value), XmlChars.Clean(value));
        }
    }

    private static int FirstIllegal(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!TextRules.IsXmlSafe(text[i].ToString()))
            {
                return i;
            }
        }

        return -1;
    }
}
