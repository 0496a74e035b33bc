using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Feeds.Server.Tests.Posts;

public sealed class ReliabilityTests
{
    /// <summary>Acknowledged posts the burst must have before the kill, so that the kill lands in the middle of it.</summary>
    private const int MinimumBurst = 100;

    [Fact]
    public async Task Eight_concurrent_clients_store_all_two_thousand_posts_without_an_error()
    {
        using var server = new FeedsServer();
        var failures = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            using var http = server.CreateAuthorizedClient();
            for (var i = 0; i < 250; i++)
            {
                var response = await http.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid($"Client {client} post {i}", $"client-{client}", "load"));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));

        Assert.Empty(failures);
        Assert.Equal(2000, await server.CreateAuthorizedClient().CountAsync("tag=load"));
    }

    [Fact]
    public async Task Every_acknowledged_post_survives_a_sigkill_in_the_middle_of_a_burst()
    {
        var dataDirectory = TempDirectory.Create();
        var acknowledged = new ConcurrentBag<string>();
        using (var server = await ServerProcess.StartAsync(dataDirectory))
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                using var http = server.CreateAuthorizedClient();
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid($"Burst {writer}-{i}", "burst"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add((await response.ReadJsonAsync()).GetProperty("id").GetString()!);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();

            // Kill once the burst is well under way, however long a loaded machine takes to get there.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (acknowledged.Count <= MinimumBurst && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count > MinimumBurst, $"the burst only got {acknowledged.Count} posts in before the kill");

        using var restarted = await ServerProcess.StartAsync(dataDirectory);
        using var client = restarted.CreateAuthorizedClient();
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/posts/{id}")).StatusCode);
        }

        if (!TestDatabase.IsPostgres)
        {
            // PostgreSQL keeps its own files whole; a SQLite file is the service's to keep whole.
            await using var connection = await TestDatabase.OpenAsync(dataDirectory);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Fuzzed_fields_are_stored_exactly_or_refused_with_a_problem_never_a_server_error()
    {
        using var server = new FeedsServer();
        using var http = server.CreateAuthorizedClient();
        var random = new Random(20261126);
        var stored = 0;

        for (var i = 0; i < 300; i++)
        {
            var title = Fuzz.Text(random, i % 50 == 0 ? 1_048_576 : random.Next(0, 600));
            var commentary = Fuzz.Text(random, random.Next(0, 2000));
            var tags = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Fuzz.Text(random, random.Next(0, 30))).ToArray();
            var url = random.Next(4) == 0 ? Fuzz.Text(random, 40) : $"https://example.com/{Uri.EscapeDataString(Fuzz.Text(random, 10).Replace('\uD800', 'x'))}";
            var json = Fuzz.Json(new Dictionary<string, object> { ["url"] = url, ["title"] = title, ["commentary"] = commentary, ["tags"] = tags });
            // Expect: 100-continue lets the server refuse an oversized body before it is sent, as real clients do.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
                Headers = { ExpectContinue = true },
            };

            var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is 201 or (>= 400 and < 500), $"request {i} answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                continue;
            }

            stored++;
            var id = (await response.ReadJsonAsync()).GetProperty("id").GetString();
            var post = await http.GetFromJsonAsync<JsonElement>($"/api/posts/{id}");
            Assert.Equal(title, post.GetProperty("title").GetString());
            Assert.Equal(commentary, post.GetProperty("commentary").GetString());
            Assert.Equal(url, post.GetProperty("url").GetString());
        }

        Assert.True(stored > 20, $"only {stored} fuzzed posts were accepted: the generator is too hostile to test round trips");
    }

    [Fact]
    public async Task Fuzzed_merge_patches_are_applied_exactly_or_refused_with_a_problem_never_a_server_error()
    {
        using var server = new FeedsServer();
        using var http = server.CreateAuthorizedClient();
        var random = new Random(20261202);
        var id = (await http.CreateAsync(new { url = "https://example.com/fuzzed", title = "Fuzzed", commentary = "Start", tags = new[] { "fuzz" }, via = new { url = "https://example.org/", title = "Via" } }))
            .GetProperty("id").GetString();
        var path = $"/api/posts/{id}";
        var current = await http.GetStringAsync(path);
        var applied = 0;

        for (var i = 0; i < 2000; i++)
        {
            var patch = Fuzz.MergePatch(random);
            using var content = new ByteArrayContent(patch.Body);
            content.Headers.ContentType = new("application/merge-patch+json");
            var response = await http.PatchAsync(path, content);
            var status = (int)response.StatusCode;
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(status is 200 or (>= 400 and < 500), $"patch {i} answered {status}: {answer}");
            var stored = await http.GetStringAsync(path);
            if (status != 200)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(current == stored, $"refused patch {i} changed the post: {answer}");
                continue;
            }

            Assert.False(patch.Unreadable, $"patch {i} carried a repeated property or bytes that are not UTF-8, and was applied: {Encoding.UTF8.GetString(patch.Body)}");
            applied++;
            var before = JsonDocument.Parse(current).RootElement;
            var after = JsonDocument.Parse(stored).RootElement;
            foreach (var field in (string[])["url", "title", "commentary"])
            {
                // Commentary of nothing but white space is no commentary.
                var expected = patch.Strings.TryGetValue(field, out var given) ? (string.IsNullOrWhiteSpace(given) ? "" : given) : before.GetProperty(field).GetString();
                Assert.Equal(expected, after.GetProperty(field).GetString());
            }

            foreach (var field in (string[])["tags", "via"])
            {
                if (!patch.Fields.Contains(field))
                {
                    Assert.Equal(before.GetProperty(field).GetRawText(), after.GetProperty(field).GetRawText());
                }
            }

            current = stored;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{applied} of 2,000 fuzzed merge patches applied, the rest refused");
        Assert.True(applied > 100, $"only {applied} fuzzed patches were applied: the generator is too hostile to test merges");
    }

    private static class Fuzz
    {
        private static readonly string[] Hostile =
        [
            "'; drop table posts; --", "\" or 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "javascript:alert(1)", "]]>", "&amp;&lt;", "\u202Eevil\u202C", "\u200F", "🎉", "👩‍👩‍👧", "日本語", "עברית",
            "\u0000", "\u0007", "\u001B[31m", "\uFFFE", "\uFFFF", "\t", "\r\n", "%00", "{{7*7}}",
        ];

        /// <summary>Half the time text a person could type (injection strings, emoji, RTL), half the time anything.</summary>
        private static readonly string[] Typable = [.. Hostile.Where(h => !h.Any(c => char.IsControl(c) || c is '\uFFFE' or '\uFFFF'))];

        public static string Text(Random random, int length)
        {
            var typable = random.Next(2) == 0;
            var builder = new StringBuilder(length);
            while (builder.Length < length)
            {
                switch (typable ? random.Next(2) switch { 0 => 0, _ => 3 + random.Next(3) } : random.Next(6))
                {
                    case 0:
                        builder.Append(typable ? Typable[random.Next(Typable.Length)] : Hostile[random.Next(Hostile.Length)]);
                        break;
                    case 1:
                        builder.Append((char)random.Next(0xD800, 0xE000));
                        break;
                    case 2:
                        builder.Append((char)random.Next(0, 0x20));
                        break;
                    case 3:
                        builder.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF)));
                        break;
                    default:
                        builder.Append((char)random.Next(0x20, 0x7F));
                        break;
                }
            }

            return builder.ToString();
        }

        /// <summary>A merge patch of a post, as bytes, and what it asks for.</summary>
        /// <param name="Strings">The string fields it sets (null: removes), when each is given once as readable text.</param>
        /// <param name="Unreadable">It repeats a property or carries bytes that are not UTF-8: it must be refused.</param>
        public sealed record Patch(byte[] Body, HashSet<string> Fields, Dictionary<string, string?> Strings, bool Unreadable);

        /// <summary>Stands for bytes that are not UTF-8 in the JSON text (<see cref="Quote"/> escapes every other non-ASCII character).</summary>
        private const char NotUtf8 = '\u0080';

        private static readonly string[] PatchFields = ["url", "title", "commentary", "tags", "via", "status", "publishAt", "tag"];

        public static Patch MergePatch(Random random)
        {
            switch (random.Next(40))
            {
                case 0:
                    return new(Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "null", 1 => "[]", _ => "\"title\"" }), [], [], false);
                case 1:
                    return new(Encoding.UTF8.GetBytes("{}"), [], [], false);
            }

            var fields = new HashSet<string>(StringComparer.Ordinal);
            var strings = new Dictionary<string, string?>(StringComparer.Ordinal);
            var members = new List<string>();
            var unreadable = false;
            foreach (var field in PatchFields.Where(_ => random.Next(3) == 0))
            {
                var value = Value(random, field, out var text);
                if (random.Next(10) == 0)
                {
                    value = value.Insert(value.Length / 2, NotUtf8.ToString());
                    unreadable = true;
                }

                members.Add($"\"{field}\":{value}");
                fields.Add(field);
                if (field is "url" or "title" or "commentary" && !value.Contains(NotUtf8, StringComparison.Ordinal))
                {
                    strings[field] = text;
                }

                if (random.Next(12) == 0)
                {
                    members.Add($"\"{field}\":{Value(random, field, out _)}");
                    unreadable = true;
                }
            }

            var json = "{" + string.Join(',', members.OrderBy(_ => random.Next())) + "}";
            var body = new List<byte>(json.Length + 8);
            foreach (var c in json)
            {
                if (c == NotUtf8)
                {
                    body.AddRange(random.Next(3) switch { 0 => [0xFF], 1 => [0xC3, 0x28], _ => [0xED, 0xA0, 0x80] });
                }
                else
                {
                    body.Add((byte)c);
                }
            }

            return new([.. body], fields, strings, unreadable);
        }

        /// <summary>A JSON value for <paramref name="field"/>: often fitting, sometimes null, now and then of the wrong type.</summary>
        private static string Value(Random random, string field, out string? text)
        {
            text = null;
            if (random.Next(8) == 0)
            {
                return "null";
            }

            if (random.Next(20) == 0)
            {
                return random.Next(2) == 0 ? "42" : "[true]";
            }

            text = field switch
            {
                "url" => random.Next(3) == 0 ? Text(random, 30) : $"https://example.com/{Uri.EscapeDataString(Text(random, 10).Replace('\uD800', 'x'))}",
                "title" or "commentary" => Text(random, random.Next(0, 200)),
                "status" => random.Next(3) switch { 0 => "draft", 1 => "published", _ => Text(random, 8) },
                "publishAt" => random.Next(3) switch { 0 => "2025-06-01T08:30:00Z", 1 => "2099-01-01T00:00:00Z", _ => Text(random, 12) },
                "tag" => Text(random, 5),
                _ => null,
            };

            return field switch
            {
                "tags" => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => Quote(Text(random, random.Next(0, 20))))) + "]",
                "via" => random.Next(4) == 0
                    ? "{\"title\":" + Quote(Text(random, 20)) + "}"
                    : "{\"url\":" + Quote($"https://example.org/{random.Next(100)}") + ",\"title\":" + (random.Next(3) == 0 ? "null" : Quote(Text(random, 20))) + "}",
                _ => Quote(text!),
            };
        }

        /// <summary>JSON with every non-ASCII character escaped, so even unpaired surrogates reach the server as sent.</summary>
        public static string Json(Dictionary<string, object> fields)
        {
            var json = new StringBuilder("{");
            foreach (var (name, value) in fields)
            {
                if (json.Length > 1)
                {
                    json.Append(',');
                }

                json.Append('"').Append(name).Append("\":");
                if (value is string[] items)
                {
                    json.Append('[').AppendJoin(',', items.Select(Quote)).Append(']');
                }
                else
                {
                    json.Append(Quote((string)value));
                }
            }

            return json.Append('}').ToString();
        }

        private static string Quote(string text)
        {
            var builder = new StringBuilder(text.Length + 2).Append('"');
            foreach (var c in text)
            {
                if (c is >= ' ' and <= '~' and not '"' and not '\\')
                {
                    builder.Append(c);
                }
                else
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
