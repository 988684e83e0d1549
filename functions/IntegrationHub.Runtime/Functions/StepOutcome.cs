namespace IntegrationHub.Runtime.Functions;

/// <summary>What a flow step did with a message, in words that know nothing of queues.</summary>
/// <param name="Refusal">Why the step refused the message for good (a dead letter, where it came on a queue); null when it took effect.</param>
/// <param name="Description">What an operator reads about the refusal: what was refused, by whom, and why.</param>
/// <param name="Repeated">The message had taken effect before: nothing was done again.</param>
public readonly record struct StepOutcome(string? Refusal, string? Description, bool Repeated)
{
    /// <summary>The step took effect.</summary>
    public static StepOutcome Done => default;

    /// <summary>The step had taken effect before (its inbox said so); nothing changed.</summary>
    public static StepOutcome AlreadyDone => new(null, null, Repeated: true);

    /// <summary>Whether the step refused the message.</summary>
    public bool IsRefused => Refusal is not null;

    /// <summary>The step refuses the message for good, with a reason (a dead-letter reason) and a description.</summary>
    public static StepOutcome Refused(string reason, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new StepOutcome(reason, description, Repeated: false);
    }
}
