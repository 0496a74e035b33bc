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

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count > 50, $"the burst only got {acknowledged.Count} posts in before the kill");

        using var restarted = await ServerProcess.StartAsync(dataDirectory);
        using var client = restarted.CreateAuthorizedClient();
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/posts/{id}")).StatusCode);
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "feeds.db")}");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", await check.ExecuteScalarAsync());
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
