namespace IntegrationHub.Core.Messaging;

/// <summary>Starts units of work on the hub's store.</summary>
public interface IHubTransactions
{
    /// <summary>Starts a unit of work.</summary>
    ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken);
}
