using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Runtime;

/// <summary>
/// The <c>Messaging</c> configuration section: which transport carries the queues, where the hub
/// database is, and the queue semantics every queue shares.
/// </summary>
public sealed class MessagingOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Messaging";

    /// <summary>The embedded transport: queues in the hub database (SQLite).</summary>
    public const string Embedded = "embedded";

    /// <summary>The RabbitMQ transport: queues on a RabbitMQ broker.</summary>
    public const string RabbitMqTransport = "rabbitmq";

    /// <summary>The Azure Service Bus transport: queues in a Service Bus namespace.</summary>
    public const string ServiceBusTransport = "servicebus";

    /// <summary>The SQLite hub store: one file, one hub instance.</summary>
    public const string SqliteStore = "sqlite";

    /// <summary>The PostgreSQL hub store: one database shared by several hub instances.</summary>
    public const string PostgresStore = "postgres";

    /// <summary>The largest message a queue accepts, as on Service Bus standard: 256 KiB.</summary>
    public const int MaxMessageSize = IntegrationHub.Core.Messaging.MessageSize.Limit;

    /// <summary>Which transport carries the queues.</summary>
    /// <value><c>embedded</c> (the default), <c>rabbitmq</c> or <c>servicebus</c>.</value>
    public string Transport { get; set; } = Embedded;

    /// <summary>
    /// Where the hub store is: <c>sqlite</c>, one file serving one hub instance (a second instance on the
    /// same file is refused at start); or <c>postgres</c>, a PostgreSQL database that several instances
    /// share, which needs a broker transport (<c>rabbitmq</c> or <c>servicebus</c>).
    /// </summary>
    /// <value><c>sqlite</c> (the default) or <c>postgres</c>.</value>
    public string Store { get; set; } = SqliteStore;

    /// <summary>The hub database file (SQLite, WAL), relative to the working directory unless rooted; used by the <c>sqlite</c> store.</summary>
    /// <value>Defaults to <c>.hub/hub.db</c>.</value>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Messaging:DatabasePath must name the hub database file.")]
    public string DatabasePath { get; set; } = Path.Combine(".hub", "hub.db");

    /// <summary>
    /// The Functions <c>host.json</c> whose <c>extensions.serviceBus</c> and <c>retry</c> sections
    /// bind the queue functions. When set, the file must exist.
    /// </summary>
    /// <value>Defaults to <c>host.json</c> beside the program, when there is one; otherwise the Functions defaults.</value>
    public string? HostJsonPath { get; set; }

    /// <summary>How long a received message stays locked unless renewed (Service Bus <c>LockDuration</c>).</summary>
    /// <value>Defaults to 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Messaging:LockDuration must be between 1 second and 5 minutes.")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries after which a message goes to the dead-letter queue (Service Bus <c>MaxDeliveryCount</c>).</summary>
    /// <value>Defaults to 10.</value>
    [Range(1, 2000, ErrorMessage = "Messaging:MaxDeliveryCount must be between 1 and 2000.")]
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>How long a message id is remembered to drop a resend (Service Bus <c>DuplicateDetectionHistoryTimeWindow</c>).</summary>
    /// <value>Defaults to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:20", "7.00:00:00", ErrorMessage = "Messaging:DuplicateDetectionWindow must be between 20 seconds and 7 days.")]
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the inbox remembers that a consumer processed a message id.</summary>
    /// <value>Defaults to 30 days.</value>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Messaging:InboxRetention must be between 1 and 3650 days.")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How often a waiting receiver looks for messages another process wrote (messages written by this
    /// process wake it at once), and how often due scheduled messages are relayed.
    /// </summary>
    /// <value>Defaults to 200 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "Messaging:PollInterval must be between 10 milliseconds and 10 seconds.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Whether every commit of the hub database is flushed to disk before it is acknowledged
    /// (SQLite <c>synchronous=FULL</c>); false keeps commits safe from a crash of the process but not
    /// of the machine (<c>synchronous=NORMAL</c>).
    /// </summary>
    /// <value>Defaults to true.</value>
    public bool FlushEveryCommit { get; set; } = true;

    /// <summary>
    /// How long a timer function's lease lasts unless renewed (it is renewed every third of it while the
    /// function runs): how soon another instance takes a timer over when the instance running it dies.
    /// </summary>
    /// <value>Defaults to 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Messaging:TimerLeaseDuration must be between 5 seconds and 10 minutes.")]
    public TimeSpan TimerLeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The RabbitMQ transport's settings.</summary>
    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>The Azure Service Bus transport's settings.</summary>
    public ServiceBusOptions ServiceBus { get; set; } = new();

    /// <summary>The PostgreSQL store's settings.</summary>
    public PostgreSqlOptions PostgreSql { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Transport == RabbitMqTransport)
        {
            foreach (var result in RabbitMq.Validate())
            {
                yield return result;
            }
        }

        if (Transport == ServiceBusTransport)
        {
            foreach (var result in ServiceBus.Validate())
            {
                yield return result;
            }
        }

        if (Store is not (SqliteStore or PostgresStore))
        {
            yield return new ValidationResult(
                $"Messaging:Store must be '{SqliteStore}' or '{PostgresStore}' (was '{Store}').", [nameof(Store)]);
        }

        if (Store == PostgresStore)
        {
            if (Transport == Embedded)
            {
                yield return new ValidationResult(
                    $"Messaging:Store '{PostgresStore}' needs Messaging:Transport '{RabbitMqTransport}' or '{ServiceBusTransport}': the embedded transport keeps its queues in the SQLite hub database, so it runs on the '{SqliteStore}' store only.",
                    [nameof(Store), nameof(Transport)]);
            }

            foreach (var result in PostgreSql.Validate())
            {
                yield return result;
            }
        }
    }
}

/// <summary>The <c>Messaging:PostgreSql</c> section: the database of the <c>postgres</c> store.</summary>
public sealed class PostgreSqlOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=hub;Username=hub;Password=...</c>;
    /// required when Messaging:Store is <c>postgres</c>. Pool sizes and timeouts are set here too
    /// (<c>Maximum Pool Size</c>: 8 unless named here, not Npgsql's 100).
    /// </summary>
    public string? ConnectionString { get; set; }

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Messaging:PostgreSql:ConnectionString is required when Messaging:Store is 'postgres'.", ["PostgreSql.ConnectionString"]);
            yield break;
        }

        string? problem = null;
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                problem = "it names no Host";
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // The parser names the keyword it refused, never a value (the password stays out of the message).
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Messaging:PostgreSql:ConnectionString is not a valid Npgsql connection string: {problem}", ["PostgreSql.ConnectionString"]);
        }
    }
}

/// <summary>The <c>Messaging:RabbitMq</c> section: the broker and how the hub uses it.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The broker, e.g. <c>amqp://hub:secret@127.0.0.1:5672/</c>; required when the transport is <c>rabbitmq</c>.</summary>
    public string? Uri { get; set; }

    /// <summary>Publishes awaiting the broker's confirm at once, across the process.</summary>
    /// <value>Defaults to 512.</value>
    public int MaxPublishesInFlight { get; set; } = 512;

    /// <summary>Messages a consumer holds unacknowledged (AMQP prefetch) when its function does not say.</summary>
    /// <value>Defaults to 64.</value>
    public int Prefetch { get; set; } = 64;

    /// <summary>How long to wait between attempts to reach the broker.</summary>
    /// <value>Defaults to 2 seconds.</value>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(2);

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            yield return new ValidationResult("Messaging:RabbitMq:Uri is required when Messaging:Transport is 'rabbitmq'.", ["RabbitMq.Uri"]);
        }
        else if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            yield return new ValidationResult("Messaging:RabbitMq:Uri must be an absolute amqp:// or amqps:// URI.", ["RabbitMq.Uri"]);
        }

        if (MaxPublishesInFlight is < 1 or > 10_000)
        {
            yield return new ValidationResult($"Messaging:RabbitMq:MaxPublishesInFlight must be between 1 and 10000 (was {MaxPublishesInFlight}).", ["RabbitMq.MaxPublishesInFlight"]);
        }

        if (Prefetch is < 1 or > 10_000)
        {
            yield return new ValidationResult($"Messaging:RabbitMq:Prefetch must be between 1 and 10000 (was {Prefetch}).", ["RabbitMq.Prefetch"]);
        }

        if (ReconnectInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Messaging:RabbitMq:ReconnectInterval must be positive.", ["RabbitMq.ReconnectInterval"]);
        }
    }
}
