using System.Buffers;

namespace Feeds.Outbound;

/// <summary>
/// A response body in an array rented from a pool, given back on <see cref="Dispose"/>: bodies of up to
/// 10 MiB would otherwise each be a new large-object-heap array that lives until a full collection. Dispose it
/// once the body is read (parsed, hashed), and keep nothing that points into it.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private readonly int _length;
    private byte[]? _array;

    internal PooledBody(ArrayPool<byte> pool, byte[] array, int length)
    {
        _pool = pool;
        _array = array;
        _length = length;
    }

    public int Length => _length;

    /// <exception cref="ObjectDisposedException">The body was given back.</exception>
    public ReadOnlyMemory<byte> Memory => (Volatile.Read(ref _array) ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, _length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Gives the array back to its pool; only the first call does.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            _pool.Return(array);
        }
    }
}
