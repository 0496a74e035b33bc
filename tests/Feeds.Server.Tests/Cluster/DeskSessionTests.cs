using System.Net;
using Feeds.Server.Tests.Desk;

namespace Feeds.Server.Tests.Cluster;

/// <summary>A desk session is the site's, not a node's: any node reads it, and a changed password ends it on every node.</summary>
public sealed class DeskSessionTests
{
    [Fact]
    public async Task A_session_begun_on_one_node_is_read_by_the_other()
    {
        await using var nodes = await TwoNodes.StartAsync();
        using var browser = new DeskBrowser(nodes.A);
        await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(new Uri(nodes.B.Address, "/desk/drafts"))).StatusCode);
    }

    [Fact]
    public async Task A_password_changed_on_one_node_ends_the_other_sessions_on_every_node()
    {
        await using var nodes = await TwoNodes.StartAsync();
        using var laptop = new DeskBrowser(nodes.A);
        await laptop.SignInAsync();
        // Signed in on B, which has read the password and its stamp: what B holds must not outlive the change on A.
        using var phone = new DeskBrowser(nodes.B);
        await phone.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/desk/drafts")).StatusCode);

        var changed = await laptop.SubmitAsync("/desk/password", "/desk/password",
            ("current", DeskBrowser.Password), ("password", "a brand new password"), ("confirmation", "a brand new password"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/desk/drafts")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Client.GetAsync(new Uri(nodes.A.Address, "/desk/drafts"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Client.GetAsync(new Uri(nodes.B.Address, "/desk/drafts"))).StatusCode);
        using var later = new DeskBrowser(nodes.B);
        await later.SignInAsync("a brand new password");
    }
}
