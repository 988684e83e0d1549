using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace IntegrationHub.Functions.Cli;

/// <summary>
/// <c>deadletters list|show|replay</c>: the operations API's dead letters from a terminal. Every verb
/// takes <c>--url</c> (default <c>HUB_URL</c>, else http://127.0.0.1:5080) and <c>--token</c> (default <c>HUB_TOKEN</c>).
/// </summary>
internal static class DeadLettersCommand
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url")
        {
            Description = "The hub (default: HUB_URL, else http://127.0.0.1:5080).",
            Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HUB_URL") ?? "http://127.0.0.1:5080",
        };
        var token = new Option<string?>("--token") { Description = "An ops bearer token (default: HUB_TOKEN).", Recursive = true };
        var command = new Command("deadletters", "List, inspect and replay dead letters through the operations API.") { url, token };
        command.Subcommands.Add(List(url, token, output, error));
        command.Subcommands.Add(Show(url, token, output, error));
        command.Subcommands.Add(Replay(url, token, output, error));
        return command;
    }

    private static Command List(Option<string> url, Option<string?> token, TextWriter output, TextWriter error)
    {
        var queue = new Option<string?>("--queue") { Description = "Only this source queue." };
        var reason = new Option<string?>("--reason") { Description = "Only this dead-letter reason." };
        var text = new Option<string?>("--text") { Description = "Text in the message id, dossier code, description or body." };
        var limit = new Option<int>("--limit") { Description = "At most this many dead letters (newest first).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "Dead letters grouped by queue, reason and exception type, then the newest.") { queue, reason, text, limit };
        command.SetAction((result, cancellationToken) => RunAsync(result, url, token, output, error, async (api, console) =>
        {
            var page = await api.CallAsync((ops, ct) => ops.ListDeadLettersAsync(result.GetValue(queue), result.GetValue(reason), result.GetValue(text), result.GetValue(limit), ct), cancellationToken);
            var groups = new Table().AddColumns("queue", "reason", "exception", "count", "newest");
            foreach (var group in page["groups"]!.AsArray())
            {
                groups.AddRow(Cell(group, "queue"), Cell(group, "reason"), Cell(group, "exceptionType"), Cell(group, "count"), Time(group, "newest"));
            }

            var letters = new Table().AddColumns("queue", "message id", "dossier", "reason", "dead-lettered", "description");
            foreach (var letter in page["deadLetters"]!.AsArray())
            {
                letters.AddRow(Cell(letter, "queue"), Cell(letter, "messageId"), Cell(letter, "correlationId"), Cell(letter, "reason"), Time(letter, "deadLetteredAt"), Cell(letter, "description"));
            }

            console.MarkupLine($"[bold]{page["count"]}[/] dead letters" + (page["truncated"]?.GetValue<bool>() == true ? $" (the newest {result.GetValue(limit)} listed)" : ""));
            console.Write(groups);
            console.Write(letters);
            return 0;
        }));
        return command;
    }

    private static Command Show(Option<string> url, Option<string?> token, TextWriter output, TextWriter error)
    {
        var queue = new Argument<string>("queue") { Description = "The source queue, e.g. route." };
        var messageId = new Argument<string>("message-id") { Description = "The dead letter's message id." };
        var command = new Command("show", "One dead letter: reason, description, times, body, and its dossier's timeline.") { queue, messageId };
        command.SetAction((result, cancellationToken) => RunAsync(result, url, token, output, error, async (api, console) =>
        {
            var letter = await api.CallAsync((ops, ct) => ops.ReadDeadLetterAsync(result.GetValue(queue)!, result.GetValue(messageId)!, ct), cancellationToken);
            var summary = letter["deadLetter"]!;
            var facts = new Grid().AddColumn().AddColumn();
            foreach (var (label, value) in new[]
            {
                ("queue", Cell(summary, "queue")), ("message id", Cell(summary, "messageId")), ("dossier", Cell(summary, "correlationId")),
                ("subject", Cell(summary, "subject")), ("reason", Cell(summary, "reason")), ("description", Cell(summary, "description")),
                ("deliveries", Cell(summary, "deliveryCount")), ("enqueued", Time(summary, "enqueuedAt")), ("dead-lettered", Time(summary, "deadLetteredAt")),
                ("replays to", Cell(letter, "replayTo")), ("trace", Cell(letter, "traceId")),
            })
            {
                facts.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value));
            }

            console.Write(facts);
            console.WriteLine();
            console.Write(new Panel(new Text(letter["body"]?.ToJsonString(Indented) ?? Cell(letter, "bodyText"))).Header("body"));
            if (letter["timeline"] is JsonArray { Count: > 0 } timeline)
            {
                var steps = new Table().AddColumns("when", "who", "unit", "what");
                foreach (var step in timeline)
                {
                    steps.AddRow(Time(step, "at"), Cell(step, "actor"), Cell(step, "unit"), Cell(step, "action"));
                }

                console.Write(steps);
            }

            return 0;
        }));
        return command;
    }

    private static Command Replay(Option<string> url, Option<string?> token, TextWriter output, TextWriter error)
    {
        var queue = new Option<string>("--queue") { Description = "The source queue whose dead letters go back to it.", Required = true };
        var ids = new Option<string[]>("--id") { Description = "A dead letter's message id (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Every dead letter of the queue (with --reason, --text, --from, --to: every one that matches)." };
        var reason = new Option<string?>("--reason") { Description = "Only this dead-letter reason." };
        var text = new Option<string?>("--text") { Description = "Only those with this text in the message id, dossier code, description or body." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only those dead-lettered at or after (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only those dead-lettered before (ISO 8601)." };
        var comment = new Option<string>("--comment") { Description = "Why (kept in the audit log).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would go where, replay nothing." };
        var rate = new Option<int?>("--max-per-second") { Description = "Replays per second at most (default: the hub's)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the job and return without following it." };
        var command = new Command("replay", "Replay dead letters to their queue as a throttled job, and follow its progress.") { queue, ids, all, reason, text, from, to, comment, dryRun, rate, noWait };
        command.SetAction((result, cancellationToken) => RunAsync(result, url, token, output, error, async (api, console) =>
        {
            var request = ReplayRequest(result, queue, ids, all, reason, text, from, to, comment);
            request["dryRun"] = result.GetValue(dryRun);
            request["maxPerSecond"] = result.GetValue(rate);
            var answer = await api.CallAsync((ops, ct) => ops.StartReplayAsync(request, ct), cancellationToken);
            if (result.GetValue(dryRun))
            {
                PrintPlan(answer, console);
                return 0;
            }

            var id = (string)answer["id"]!;
            console.MarkupLine($"Replay job [bold]{Markup.Escape(id)}[/]: {answer["total"]} dead letters to [bold]{Markup.Escape((string)answer["queue"]!)}[/], at most {answer["maxPerSecond"]}/s.");
            if (result.GetValue(noWait))
            {
                return 0;
            }

            var job = await ReplayProgress.FollowAsync(api, id, console, cancellationToken);
            console.MarkupLine($"Job {Markup.Escape(id)} {job["status"]}: {job["replayed"]} replayed, {job["notFound"]} no longer there, {job["failed"]} failed, {job["pending"]} not tried.");
            return (string?)job["status"] == "completed" && (int)job["failed"]! == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>The replay request the options say: the dead letters by id, or by filter (one or the other).</summary>
    private static JsonObject ReplayRequest(
        ParseResult result,
        Option<string> queue,
        Option<string[]> ids,
        Option<bool> all,
        Option<string?> reason,
        Option<string?> text,
        Option<DateTimeOffset?> from,
        Option<DateTimeOffset?> to,
        Option<string> comment)
    {
        var request = new JsonObject { ["queue"] = result.GetValue(queue), ["comment"] = result.GetValue(comment) };
        var chosen = result.GetValue(ids) ?? [];
        var filtered = result.GetValue(all) || result.GetValue(reason) is not null || result.GetValue(text) is not null || result.GetValue(from) is not null || result.GetValue(to) is not null;
        if (chosen.Length > 0 == filtered)
        {
            throw new OpsApiException("Say which dead letters: --id (one or more), or --all with optional --reason, --text, --from, --to.");
        }

        if (chosen.Length > 0)
        {
            request["messageIds"] = new JsonArray([.. chosen.Select(id => (JsonNode)id)]);
        }
        else
        {
            request["filter"] = new JsonObject { ["reason"] = result.GetValue(reason), ["text"] = result.GetValue(text), ["from"] = result.GetValue(from), ["to"] = result.GetValue(to) };
        }

        return request;
    }

    private static void PrintPlan(JsonObject answer, IAnsiConsole console)
    {
        var plan = new Table().AddColumns("message id", "dossier", "reason", "from", "to");
        foreach (var item in answer["deadLetters"]!.AsArray())
        {
            plan.AddRow(Cell(item!["letter"], "messageId"), Cell(item["letter"], "correlationId"), Cell(item["letter"], "reason"), Cell(item, "from"), Cell(item, "to"));
        }

        console.MarkupLine($"Dry run: [bold]{answer["count"]}[/] dead letters would be replayed; nothing was moved.");
        console.Write(plan);
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string> url, Option<string?> token, TextWriter output, TextWriter error, Func<OpsApiClient, IAnsiConsole, Task<int>> run)
    {
        var bearer = result.GetValue(token) ?? Environment.GetEnvironmentVariable("HUB_TOKEN");
        if (string.IsNullOrWhiteSpace(bearer))
        {
            await error.WriteLineAsync("No token: pass --token or set HUB_TOKEN (an ops token, e.g. scripts/hub token --role ops).");
            return 2;
        }

        // Colours and a live progress bar on a terminal; plain text, wide enough for message ids, anywhere else.
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var hub) || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps))
        {
            await error.WriteLineAsync($"--url must be the hub's http or https address (got '{result.GetValue(url)}').");
            return 2;
        }

        using var api = new OpsApiClient(hub, bearer);
        try
        {
            return await run(api, console);
        }
        catch (OpsApiException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static string Cell(JsonNode? node, string name) => node?[name]?.ToString() ?? "";

    // The API writes Vietnam time with its offset; shown as it is, to the second.
    private static string Time(JsonNode? node, string name) =>
        DateTimeOffset.TryParse(Cell(node, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "";
}
