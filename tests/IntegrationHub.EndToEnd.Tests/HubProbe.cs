using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Runtime;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.Flows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>A dead letter as an operator sees it.</summary>
public sealed record DeadLetter(string MessageId, string? Reason, string? Description);

/// <summary>Reads what a hub recorded: its dossiers and its dead letters, through the hub's own store and queue client.</summary>
public sealed class HubProbe : IAsyncDisposable
{
    private readonly IServiceProvider services;
    private readonly ServiceProvider? owned;

    private HubProbe(IServiceProvider services, ServiceProvider? owned)
    {
        this.services = services;
        this.owned = owned;
    }

    /// <summary>A probe inside a hub running in this process.</summary>
    public static HubProbe Of(InProcessHub hub) => new(hub.Services, null);

    /// <summary>A probe on another process's embedded database (read side only: nothing is started).</summary>
    public static HubProbe OnDatabase(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection().AddLogging();
        collection.AddMessaging(configuration);
        collection.AddHubStore();
        var provider = collection.BuildServiceProvider();
        return new HubProbe(provider, provider);
    }

    /// <summary>A number the hub database answers (a count), read directly: what no port of the hub reports.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await services.GetRequiredService<IHubDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows the hub database answers, each as its columns' values.</summary>
    public async Task<IReadOnlyList<object?[]>> RowsAsync(string sql)
    {
        await using var connection = await services.GetRequiredService<IHubDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public Task<DossierRecord?> DossierAsync(string code) =>
        services.GetRequiredService<IDossierRegistry>().ReadAsync(code, CancellationToken.None);

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string queue) =>
        [.. (await PeekAllAsync(QueueNames.DeadLetterOf(queue))).Select(m => new DeadLetter(m.MessageId, m.DeadLetterReason, m.DeadLetterErrorDescription))];

    /// <summary>The ids of the messages waiting in a queue.</summary>
    public async Task<IReadOnlyList<string>> MessagesAsync(string queue) => [.. (await PeekAllAsync(queue)).Select(m => m.MessageId)];

    private async Task<IReadOnlyList<ReceivedMessage>> PeekAllAsync(string queue)
    {
        var client = QueuePort.Of(services);
        var messages = new List<ReceivedMessage>();
        long from = 0;
        while (true)
        {
            var page = await client.PeekAsync(queue, from, 100, CancellationToken.None);
            messages.AddRange(page);
            if (page.Count < 100)
            {
                return messages;
            }

            from = page[^1].SequenceNumber + 1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }
}
