namespace IntegrationHub.Functions;

/// <summary>Endpoint metadata the functions declare for the OpenAPI document.</summary>
internal static class EndpointProblems
{
    /// <summary>The endpoint may answer these statuses with an RFC 9457 problem.</summary>
    public static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
