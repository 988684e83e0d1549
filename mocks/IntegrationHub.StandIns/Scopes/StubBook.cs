using System.Collections.Concurrent;

namespace IntegrationHub.StandIns.Scopes;

/// <summary>
/// The answers put in front of the stand-ins' own (a scope's, or one for every caller), and how many
/// uses each has left. A request claims a use when it arrives, not when its answer is sent, so a
/// retry sent while a slow answer is still waiting already gets the next one; the claimed answer is
/// kept under a ticket until WireMock.Net's mapping for claimed answers asks for it.
/// </summary>
internal sealed class StubBook
{
    private readonly Lock gate = new();
    private readonly List<Stub> stubs = [];
    private readonly ConcurrentDictionary<string, StandInReply> claimed = new(StringComparer.Ordinal);

    public void Add(Stub stub)
    {
        lock (gate)
        {
            stubs.Add(stub);
        }
    }

    /// <summary>Removes the stubs <paramref name="which"/> selects.</summary>
    public void Remove(Predicate<Stub> which)
    {
        lock (gate)
        {
            stubs.RemoveAll(which);
        }
    }

    /// <summary>
    /// The newest stub for the request's method and path that wants it and has a use left, which is
    /// then used: its answer is kept under the returned ticket. Null when no stub answers it.
    /// </summary>
    public string? Claim(LoggedRequest request)
    {
        Stub? chosen = null;
        lock (gate)
        {
            for (var i = stubs.Count - 1; i >= 0 && chosen is null; i--)
            {
                if (stubs[i].Wants(request) && stubs[i].TryUse())
                {
                    chosen = stubs[i];
                }
            }
        }

        if (chosen is null)
        {
            return null;
        }

        var ticket = Guid.NewGuid().ToString("N");
        claimed[ticket] = chosen.Reply(request);
        return ticket;
    }

    /// <summary>The answer claimed under a ticket, once.</summary>
    public StandInReply? Take(string? ticket) => ticket is not null && claimed.TryRemove(ticket, out var reply) ? reply : null;
}

/// <summary>An answer for a method and path to the requests <paramref name="wants"/> keeps, <paramref name="times"/> times (null: every time).</summary>
/// <param name="owner">Who put it there: a scope's id, or the handle of an answer for every caller.</param>
/// <param name="method">The HTTP method.</param>
/// <param name="path">The path, exactly.</param>
/// <param name="wants">Which of those requests it answers.</param>
/// <param name="reply">The answer to a request.</param>
/// <param name="times">How many requests it answers.</param>
internal sealed class Stub(string owner, string method, string path, Func<LoggedRequest, bool> wants, Func<LoggedRequest, StandInReply> reply, int? times)
{
    public string Owner { get; } = owner;

    public int? Remaining { get; private set; } = times;

    public bool Wants(LoggedRequest request) =>
        request.Path == path && string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase) && wants(request);

    public StandInReply Reply(LoggedRequest request) => reply(request);

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
