using System.Net;
using System.Text;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Http;

/// <summary>Requests the endpoints cannot even bind are refused with a problem naming the field, like any other bad input.</summary>
public sealed class BindingProblemTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/api/posts?limit=abc", "limit", "\"abc\" is not a whole number.")]
    [InlineData("/api/posts?sourceId=twelve", "sourceId", "\"twelve\" is not a whole number.")]
    public async Task A_query_value_of_the_wrong_type_is_refused_naming_its_parameter(string path, string field, string message)
    {
        var response = await fixture.Author.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("POST", "/api/posts", "null")]
    [InlineData("POST", "/api/posts", "")]
    [InlineData("PUT", "/api/posts/01954f00-3ad0-7bed-bd64-f14cdea295b4", "null")]
    [InlineData("PATCH", "/api/posts/01954f00-3ad0-7bed-bd64-f14cdea295b4", "null")]
    [InlineData("POST", "/api/webhooks", "null")]
    public async Task A_missing_or_null_body_is_refused_asking_for_a_json_object(string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var response = await fixture.Author.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal("is required: send a JSON object.", errors.GetProperty("body")[0].GetString());
    }
}
