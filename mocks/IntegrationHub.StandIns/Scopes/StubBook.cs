using IntegrationHub.StandIns.Http;

namespace IntegrationHub.StandIns.Scopes;

/// <summary>
/// The answers scopes have put in front of the stand-ins, and how many uses each has left. A request
/// claims a use when it arrives (not when its answer is sent), so a retry sent while a slow answer
/// is still waiting already gets the next one.
/// </summary>
internal sealed class StubBook
{
    private readonly Lock gate = new();
    private readonly List<Stub> stubs = [];

    public void Add(Stub stub)
    {
        lock (gate)
        {
            stubs.Add(stub);
        }
    }

    /// <summary>Removes a scope's stubs; their mappings are returned, for the server to delete.</summary>
    public IReadOnlyList<Guid> RemoveScope(string scope) => Remove(s => s.Scope == scope);

    /// <summary>Removes every stub; their mappings are returned.</summary>
    public IReadOnlyList<Guid> Clear() => Remove(_ => true);

    private List<Guid> Remove(Predicate<Stub> which)
    {
        lock (gate)
        {
            var removed = stubs.FindAll(which).Select(s => s.Mapping).ToList();
            stubs.RemoveAll(which);
            return removed;
        }
    }

    /// <summary>The newest stub of the request's scope for its method and path with a use left, which is then used; or null.</summary>
    public Stub? Claim(LoggedRequest request, string? scope)
    {
        if (scope is null)
        {
            return null;
        }

        lock (gate)
        {
            for (var i = stubs.Count - 1; i >= 0; i--)
            {
                var stub = stubs[i];
                if (stub.Scope == scope && stub.Path == request.Path && string.Equals(stub.Method, request.Method, StringComparison.OrdinalIgnoreCase) && stub.TryUse())
                {
                    return stub;
                }
            }
        }

        return null;
    }
}

/// <summary>One scope's answer for a method and path, <see cref="Remaining"/> more times (null: every time).</summary>
internal sealed class Stub(string scope, string method, string path, Guid mapping, int? times)
{
    public string Scope { get; } = scope;

    public string Method { get; } = method;

    public string Path { get; } = path;

    /// <summary>The WireMock.Net mapping that answers for it.</summary>
    public Guid Mapping { get; } = mapping;

    public int? Remaining { get; private set; } = times;

    /// <summary>Takes one use; false when none is left. Called under the book's lock.</summary>
    public bool TryUse()
    {
        if (Remaining is null)
        {
            return true;
        }

        if (Remaining == 0)
        {
            return false;
        }

        Remaining--;
        return true;
    }
}
