using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Gateways;

namespace IntegrationHub.Connectors.Tests;

/// <summary>
/// The stand-ins as the run command and a developer run them: the program, on a port of its own,
/// with WireMock.Net's admin API for a case added by hand.
/// </summary>
[Trait("Category", "Contract")]
public sealed class StandInProgramTests
{
    [Fact]
    public async Task Program_OnAFreePort_PrintsItsUrlServesTheConnectorsAndStopsCleanlyOnSigterm()
    {
        await using var program = await StandInProgram.StartAsync();
        await using var host = ConnectorHost.Create(null, StandInData.ConnectorSettings(program.Url));

        var procedures = await host.Portal.ListProceduresAsync(CancellationToken.None);

        Assert.Equal(50, procedures.Count);
        Assert.Equal(0, await program.StopAsync());
    }

    [Fact]
    public async Task Program_ConnectionResetAddedThroughTheAdminApi_CallFailsOnTheDroppedConnectionUntilTheMappingIsDeleted()
    {
        await using var program = await StandInProgram.StartAsync();
        var settings = StandInData.ConnectorSettings(program.Url);
        settings["Connectors:Portal:Retry:MaxRetries"] = "0";
        await using var host = ConnectorHost.Create(null, settings);
        using var admin = new HttpClient { BaseAddress = program.Url };
        var code = (string)StandInData.Submissions[0]["MaHoSo"]!;

        using var added = await admin.PostAsJsonAsync("/__admin/mappings", new JsonObject
        {
            ["Priority"] = 1,
            ["Request"] = new JsonObject { ["Path"] = "/dvcqg/api/TraCuuHoSo", ["Methods"] = new JsonArray("POST") },
            ["Response"] = new JsonObject { ["StatusCode"] = 200, ["Headers"] = new JsonObject { ["X-StandIn-Fault"] = "connection-reset" } },
        }, TestContext.Current.CancellationToken);
        added.EnsureSuccessStatusCode();
        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(code, CancellationToken.None));
        using var deleted = await admin.DeleteAsync(new Uri($"/__admin/mappings/{(await added.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["Guid"]}", UriKind.Relative), TestContext.Current.CancellationToken);
        deleted.EnsureSuccessStatusCode();

        Assert.Equal(GatewayFailure.Unavailable, error.Failure);
        Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
        Assert.Equal(code, (await host.Portal.LookupAsync(code, CancellationToken.None))!.PortalCode);
    }

    /// <summary><c>dotnet IntegrationHub.StandIns.dll --port 0 --mocks …</c>, as <c>scripts/wiremock</c> starts it.</summary>
    private sealed class StandInProgram : IAsyncDisposable
    {
        private readonly Process process;

        private StandInProgram(Process process, Uri url)
        {
            this.process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<StandInProgram> StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "IntegrationHub.StandIns.dll"), "--port", "0", "--mocks", RepoPaths.InRepo("mocks") })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            if (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line && line.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new StandInProgram(process, new Uri(line));
            }

            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            throw new InvalidOperationException("The stand-ins exited before printing their URL: " + await errors);
        }

        /// <summary>Sends SIGTERM, as the run command's stop does, and waits for the exit code.</summary>
        public async Task<int> StopAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
