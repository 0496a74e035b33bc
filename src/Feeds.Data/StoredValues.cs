using System.Data;
using System.Globalization;
using Dapper;

namespace Feeds.Data;

/// <summary>
/// How values are stored, the same in every engine: times as fixed-width UTC ISO-8601 text (so text order is time
/// order, and every comparison and <c>substr</c> works alike in SQLite and PostgreSQL), ids as their canonical text
/// form, and flags as the integers 0 and 1. One representation keeps the SQL portable and a copy between engines a
/// copy of values.
/// </summary>
public static class StoredValues
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        foreach (var type in new[] { typeof(Guid), typeof(Guid?), typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(bool), typeof(bool?) })
        {
            SqlMapper.RemoveTypeMap(type);
        }

        SqlMapper.AddTypeHandler(typeof(Guid), new GuidHandler());
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(typeof(bool), new FlagHandler());
    }

    /// <summary>The stored form of a time: <c>2026-11-26T12:00:00.0000000Z</c>.</summary>
    public static string ToText(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// Binds a value in its stored form, and a null with that form's type too: PostgreSQL must know a parameter's type
    /// where the SQL alone does not say it (<c>@Before is null or id &lt; @Before</c>), and Dapper's typed handlers leave a
    /// null untyped.
    /// </summary>
    private abstract class StoredForm<T>(DbType type) : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            parameter.DbType = type;
            parameter.Value = value is T typed ? ToStored(typed) : DBNull.Value;
        }

        public object Parse(Type destinationType, object value) => FromStored(value)!;

        protected abstract object ToStored(T value);

        protected abstract T FromStored(object value);
    }

    private sealed class GuidHandler() : StoredForm<Guid>(DbType.String)
    {
        protected override object ToStored(Guid value) => value.ToString("D");

        protected override Guid FromStored(object value) => value is Guid guid ? guid : Guid.Parse((string)value);
    }

    private sealed class DateTimeOffsetHandler() : StoredForm<DateTimeOffset>(DbType.String)
    {
        protected override object ToStored(DateTimeOffset value) => ToText(value);

        protected override DateTimeOffset FromStored(object value) => ParseTime((string)value);
    }

    private sealed class FlagHandler() : StoredForm<bool>(DbType.Int64)
    {
        protected override object ToStored(bool value) => value ? 1L : 0L;

        protected override bool FromStored(object value) => Convert.ToBoolean(value, CultureInfo.InvariantCulture);
    }
}
