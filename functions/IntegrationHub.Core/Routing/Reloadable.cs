namespace IntegrationHub.Core.Routing;

/// <summary>
/// A value that can be replaced while the hub runs (reference data reloaded from disk); readers
/// always see one whole value.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class Reloadable<T>(T initial)
    where T : class
{
    private T current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>The value now.</summary>
    public T Current => Volatile.Read(ref current);

    /// <summary>Replaces the value.</summary>
    public void Replace(T next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref current, next);
    }
}
