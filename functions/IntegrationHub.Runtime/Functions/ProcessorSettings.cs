namespace IntegrationHub.Runtime.Functions;

/// <summary>How one queue function is bound: host.json's settings with the function's overrides applied.</summary>
internal sealed record ProcessorSettings(int Concurrency, int Prefetch, bool AutoComplete, TimeSpan MaxLockRenewal, RetryPolicy Retry);
