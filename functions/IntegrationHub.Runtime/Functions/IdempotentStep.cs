using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// The one shape of a flow step that changes state on a message (an idempotent consumer): the outside
/// system is called first, outside any transaction; its failure is classified (unavailable: thrown, so
/// that the message is retried; refused or garbled: a refusal the step words); then the inbox record,
/// the effect, its timeline and the messages it sends commit in one transaction, or, when the inbox
/// says the message took effect before, nothing happens again. (On PostgreSQL the inbox record goes
/// with the commit, to save a round trip: a message that took effect before has its effect written
/// again and rolled back at the commit; so the effect reads and writes the store only.)
/// </summary>
public sealed class IdempotentStep(IHubTransactions transactions, OpenTransactions open)
{
    /// <summary>Calls the outside system with <paramref name="call"/>, then records its answer with <paramref name="record"/>.</summary>
    /// <param name="consumer">The step's name in the inbox.</param>
    /// <param name="messageId">The message's id: the inbox key.</param>
    /// <param name="call">The call to the outside system.</param>
    /// <param name="refused">The refusal a gateway's refusal (anything but <see cref="GatewayFailure.Unavailable"/>) means to the step.</param>
    /// <param name="record">The effect, its timeline and its messages, in the transaction.</param>
    /// <param name="committed">What follows once the effect has committed (its log line); not run when it had taken effect before.</param>
    /// <param name="cancellationToken">Cancels the call and the transaction.</param>
    /// <exception cref="GatewayException">The outside system is unavailable: try the message again later.</exception>
    public async Task<StepOutcome> RunAsync<TAnswer>(
        string consumer,
        string messageId,
        Func<CancellationToken, Task<TAnswer>> call,
        Func<GatewayException, StepOutcome> refused,
        Func<IHubTransaction, TAnswer, CancellationToken, Task> record,
        Action<TAnswer> committed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(refused);
        ArgumentNullException.ThrowIfNull(record);
        TAnswer answer;
        try
        {
            answer = await call(cancellationToken);
        }
        catch (GatewayException ex) when (ex.Failure != GatewayFailure.Unavailable)
        {
            return refused(ex);
        }

        return await RecordAsync(
            consumer,
            messageId,
            async (transaction, token) =>
            {
                await record(transaction, answer, token);
                return answer;
            },
            committed,
            cancellationToken);
    }

    /// <summary>
    /// Records the effect of a step that calls no outside system: inbox, effect, timeline and messages in
    /// one transaction; then <paramref name="committed"/> with what <paramref name="record"/> answered.
    /// </summary>
    public async Task<StepOutcome> RecordAsync<TResult>(
        string consumer,
        string messageId,
        Func<IHubTransaction, CancellationToken, Task<TResult>> record,
        Action<TResult> committed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(committed);
        bool done;
        TResult? result;
        try
        {
            (done, result) = await transactions.RunAsync(
                async (transaction, token) => await open.Of(transaction).RecordProcessedAsync(consumer, messageId, token)
                    ? (true, await record(transaction, token))
                    : (false, default(TResult)),
                cancellationToken);
        }
        catch (AlreadyProcessedException)
        {
            done = false;
            result = default;
        }

        if (!done)
        {
            return StepOutcome.AlreadyDone;
        }

        committed(result!);
        return StepOutcome.Done;
    }
}
