namespace Feeds.Data.Migrations;

/// <summary>One step of a schema's history: its version (the order it runs in), what it does, and its statements.</summary>
public sealed record Migration(int Version, string Name, string Sql);
