using System.Net.Sockets;
using System.Text;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>
/// A caller that hangs up in the middle of its body (a phone losing its network, a client's timeout)
/// is not the hub's error: nothing is logged as one, and the next caller is answered as usual.
/// </summary>
[Trait("Category", "Security")]
[Collection(EndToEnd.Collection)]
public sealed class AbortedRequestTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task Post_CallerHangsUpMidBody_NoErrorIsLoggedAndTheNextCallIsAnswered()
    {
        var logs = new CapturedLogs();
        await using var hub = TestHub.OnLoopback(standIns.Server, logs: logs);
        var token = hub.Keys.Token(["officer"]);

        for (var i = 0; i < 10; i++)
        {
            await HangUpMidBodyAsync(hub.Hub.Url, token);
        }

        using var officer = hub.Hub.ClientWith(token);
        using var content = new StringContent("""{"citizenId":"001090012345","fullName":"Trần Văn An","birthDate":"1990-01-01","purpose":"no-such-purpose"}""", Encoding.UTF8, "application/json");
        var answer = await officer.PostAsync(new Uri(hub.Hub.Url, "/api/identity/verifications"), content, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        var errors = logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)).Take(3).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>Headers announcing a body of 400 bytes, 40 of them, then the connection closed.</summary>
    private static async Task HangUpMidBodyAsync(Uri hub, string token)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(hub.Host, hub.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        var request = $"POST /api/identity/verifications HTTP/1.1\r\nHost: {hub.Authority}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n" + """{"citizenId":"001090012345","fullName":""";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), TestContext.Current.CancellationToken);
        await stream.FlushAsync(TestContext.Current.CancellationToken);
        client.Client.Shutdown(SocketShutdown.Send);
        var rest = new byte[4096];
        while (await stream.ReadAsync(rest, TestContext.Current.CancellationToken) > 0)
        {
            // Whatever the hub sends before it sees the end: not read.
        }
    }
}
