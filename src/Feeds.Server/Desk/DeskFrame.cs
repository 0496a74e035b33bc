namespace Feeds.Server.Desk;

/// <summary>What every desk page is rendered with: the form token of this response and whether the author is signed in.</summary>
/// <param name="TokenField">The antiforgery form field's name.</param>
/// <param name="Token">Its value for this response; the matching cookie is set with it.</param>
public sealed record DeskFrame(string TokenField, string Token, bool SignedIn, string SiteTitle);
