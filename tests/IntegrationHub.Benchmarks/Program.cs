using IntegrationHub.Benchmarks;

// dotnet run -c Release --project tests/IntegrationHub.Benchmarks -- [scenario or prefix] [--quick]
if (ScaleThroughput.IsInstance(args))
{
    return await ScaleThroughput.RunInstanceAsync();
}

var quick = args.Contains("--quick");
var filter = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
var settings = new BenchmarkSettings(quick);
Scenario[] scenarios =
[
    new RabbitMqThroughput(settings),
    new RabbitMqInFlight(settings),
    new EmbeddedThroughput(settings),
    new EmbeddedLatency(settings),
    new EndToEndThroughput(settings, "embedded"),
    new EndToEndThroughput(settings, "rabbitmq"),
    new ScaleThroughput(settings, 1),
    new ScaleThroughput(settings, 2),
    new ScaleThroughput(settings, 3),
    new IdentityCacheHit(settings),
    new SchemaValidators(settings),
];

var chosen = scenarios.Where(s => filter is null || s.Name.StartsWith(filter, StringComparison.OrdinalIgnoreCase)).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No scenario starts with '{filter}'. Scenarios: {string.Join(", ", scenarios.Select(s => s.Name))}.");
    return 2;
}

Console.WriteLine($"# {(quick ? "quick" : "full")} run, {Environment.ProcessorCount} cores, load average {BenchmarkSettings.LoadAverage()}");
foreach (var scenario in chosen)
{
    Console.WriteLine($"## {scenario.Name}: {scenario.Description}");
    Console.WriteLine(await scenario.RunAsync());
}

return 0;
