using Feeds.Data.Postgres;
using Npgsql;

namespace Feeds.Server.Tests.Data;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Statements_are_prepared_gss_encryption_is_off_and_sessions_are_not_reset_unless_the_connection_string_names_them()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults("Host=db;Database=feeds;Username=feeds;Password=secret"));

        Assert.Equal((64, GssEncryptionMode.Disable, true), (defaulted.MaxAutoPrepare, defaulted.GssEncryptionMode, defaulted.NoResetOnClose));
        Assert.Equal(("db", "feeds", "secret"), (defaulted.Host, defaulted.Database, defaulted.Password));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    public void A_max_auto_prepare_given_is_kept(string given, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults(given)).MaxAutoPrepare);

    [Theory]
    [InlineData("Host=db;GSS Encryption Mode=Prefer", GssEncryptionMode.Prefer)]
    [InlineData("Host=db;gss encryption mode=require", GssEncryptionMode.Require)]
    [InlineData("Host=db;GssEncryptionMode=Require", GssEncryptionMode.Require)]
    public void A_gss_encryption_mode_given_is_kept(string given, GssEncryptionMode expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults(given)).GssEncryptionMode);

    [Theory]
    [InlineData("Host=db;No Reset On Close=false", false)]
    [InlineData("Host=db;NoResetOnClose=false", false)]
    public void A_reset_on_close_given_is_kept(string given, bool expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults(given)).NoResetOnClose);

    [Theory]
    [InlineData("Host")]
    [InlineData("Host=db;No Such Setting=1")]
    public void What_is_not_a_connection_string_npgsql_takes_is_left_for_validation_to_refuse(string given) =>
        Assert.Equal(given, PostgresConnectionString.WithDefaults(given));
}
