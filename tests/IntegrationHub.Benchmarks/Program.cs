using IntegrationHub.Benchmarks;

// scripts/bench [scenario or prefix] [--quick] [--compare <git-ref>] [--trace]; scripts/bench builds
// the harness and each build's hub side and passes them here as --build <label>=<program>.
if (Arguments.Unknown(args) is { } unknown)
{
    Console.Error.WriteLine($"Unknown option '{unknown}'. Usage: scripts/bench [scenario or prefix] [--quick] [--compare <git-ref>] [--trace]");
    return 2;
}

var quick = args.Contains("--quick");
var trace = args.Contains("--trace");
var builds = Arguments.Builds(args);
var filter = Arguments.Filter(args);
var settings = new BenchmarkSettings(quick, builds);
// The rows that load the machine most (several hub instances) run last, and one instance on
// PostgreSQL right after the same on SQLite, the two sides of its ratio.
Scenario[] scenarios =
[
    new RabbitMqThroughput(settings),
    new RabbitMqInFlight(settings),
    new ServiceBusThroughput(settings),
    new EmbeddedThroughput(settings),
    new EmbeddedLatency(settings),
    new IdentityCacheHit(settings),
    new IdentityCacheHit(settings, chainingCost: true),
    new SchemaValidators(settings),
    new EndToEndThroughput(settings, "embedded"),
    new EndToEndThroughput(settings, "rabbitmq"),
    new ScaleThroughput(settings, 1),
    new EndToEndThroughput(settings, "servicebus"),
    new ChainingCost(settings),
    new ScaleThroughput(settings, 2),
    new ScaleThroughput(settings, 3),
];

// Several names or prefixes may be given, separated by commas (e2e-rabbitmq,e2e-scale-1).
var prefixes = filter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var chosen = scenarios.Where(s => prefixes is null || prefixes.Any(p => s.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
if (trace)
{
    chosen = [.. chosen.Where(s => s.Traceable)];
    if (chosen.Count == 0)
    {
        Console.Error.WriteLine($"--trace records one hub side, and no scenario that starts with '{filter}' has one. Traceable: {string.Join(", ", scenarios.Where(s => s.Traceable).Select(s => s.Name))}.");
        return 2;
    }
}
else if (builds.Count > 1)
{
    chosen = [.. chosen.Where(s => s.RunsSides)];
}

if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No scenario starts with '{filter}'{(builds.Count > 1 ? " among those that run the hub in a process of its own" : "")}. Scenarios: {string.Join(", ", scenarios.Select(s => s.Name))}.");
    return 2;
}

if (trace)
{
    return await Tracing.RunAsync(chosen[0], settings);
}

var report = new RunReport(settings, args);
report.Header();
foreach (var scenario in chosen)
{
    await QuietMachine.WaitAsync();
    RunReport.Scenario(scenario);
    report.Add(scenario, await scenario.RunAsync());
}

report.Summary();
return 0;
