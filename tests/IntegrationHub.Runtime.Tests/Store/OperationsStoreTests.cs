using IntegrationHub.Core.Operations;
using IntegrationHub.Runtime.Store.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The operations store (the operator audit log and replay jobs) on each hub store, with two hub
/// instances on one store where the test says so.
/// </summary>
[Trait("Category", "Unit")]
public abstract class OperationsStoreTests(ITestStore store) : TestsOnAStore(store)
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AuditLog_Appended_ListsByFilterNewestFirstAndRefusesChanges()
    {
        var hub = await StartAsync();
        var audit = hub.Services.GetRequiredService<IOperatorAuditLog>();
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await audit.AppendAsync(transaction, Action("op-hoa", OperatorActions.DryRun, "route", null, At), CancellationToken.None);
            await audit.AppendAsync(transaction, Action("op-hoa", OperatorActions.Replay, "route", "job-1", At.AddMinutes(1)), CancellationToken.None);
            await audit.AppendAsync(transaction, Action("op-nam", OperatorActions.Replay, "intake", "job-2", At.AddMinutes(2)), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        var all = await audit.ListAsync(new OperatorActionFilter(null, null, null, null, null, null, null, 10), CancellationToken.None);
        var replaysOfHoa = await audit.ListAsync(new OperatorActionFilter("op-hoa", OperatorActions.Replay, null, null, null, At, At.AddHours(1), 10), CancellationToken.None);
        var update = await Record.ExceptionAsync(() => hub.ScalarAsync("UPDATE hub_ops_audit SET comment = 'sửa lại'"));
        var delete = await Record.ExceptionAsync(() => hub.ScalarAsync("DELETE FROM hub_ops_audit"));

        Assert.Equal(["job-2", "job-1", null], all.Select(a => a.JobId));
        Assert.Equal("Gửi lại sau khi sửa dữ liệu", all[0].Comment);
        Assert.Equal(At.AddMinutes(2), all[0].At);
        Assert.Equal(["job-1"], replaysOfHoa.Select(a => a.JobId));
        Assert.Contains("append-only", update?.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete?.Message, StringComparison.Ordinal);
        Assert.Equal(3, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_ops_audit"));
    }

    [Fact]
    public async Task ReplayJob_ClaimedByOneInstance_IsNotTakenByAnotherUntilReleasedAndCountsItsItems()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var jobs = first.Services.GetRequiredService<IReplayJobs>();
        var others = second.Services.GetRequiredService<IReplayJobs>();
        var job = new ReplayJob
        {
            Id = "job-1", Queue = "route", Actor = "op-hoa", ActorName = "Nguyễn Thị Hoa", Comment = "Danh mục thủ tục đã bổ sung",
            Selection = """{"filter":{}}""", MaxPerSecond = 5, CreatedAt = At, Status = ReplayJobStatus.Running,
        };
        var items = Enumerable.Range(0, 3).Select(i => new ReplayItem { Position = i, SequenceNumber = 100 + i, MessageId = $"route:{i}", Reason = "RoutingFailed" }).ToList();
        await using (var transaction = await first.Transactions.BeginAsync(CancellationToken.None))
        {
            await jobs.CreateAsync(transaction, job, items, claim: null, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        var claimed = await jobs.TryClaimAsync(job.Id, "instance-a", At, At.AddMinutes(1), CancellationToken.None);
        var stolen = await others.TryClaimAsync(job.Id, "instance-b", At.AddSeconds(10), At.AddMinutes(1), CancellationToken.None);
        await using (var transaction = await first.Transactions.BeginAsync(CancellationToken.None))
        {
            Assert.True(await jobs.RecordAsync(transaction, job.Id, 0, ReplayItemState.Replayed, At.AddSeconds(1), null, CancellationToken.None));
            Assert.False(await jobs.RecordAsync(transaction, job.Id, 0, ReplayItemState.Failed, At.AddSeconds(2), "again", CancellationToken.None));
            await transaction.CommitAsync(CancellationToken.None);
        }

        var pending = await others.ItemsAsync(job.Id, 0, 10, pendingOnly: true, CancellationToken.None);
        await jobs.ReleaseAsync(job.Id, "instance-a", CancellationToken.None);
        var unclaimed = await others.UnclaimedAsync(At.AddSeconds(20), CancellationToken.None);
        var taken = await others.TryClaimAsync(job.Id, "instance-b", At.AddSeconds(20), At.AddMinutes(1), CancellationToken.None);
        var read = await others.GetAsync(job.Id, CancellationToken.None);

        Assert.True(claimed);
        Assert.False(stolen);
        Assert.Equal(["route:1", "route:2"], pending.Select(i => i.MessageId));
        Assert.Equal(["job-1"], unclaimed);
        Assert.True(taken);
        Assert.Equal(ReplayJobStatus.Running, read!.Status);
        Assert.Equal("Nguyễn Thị Hoa", read.ActorName);
        Assert.Equal(1, read.Counts.GetValueOrDefault(ReplayItemState.Replayed));
        Assert.Equal(2, read.Counts.GetValueOrDefault(ReplayItemState.Pending));
    }

    [Fact]
    public async Task ReplayJob_CreatedClaimedWithACorrectedItem_KeepsTheBodyAndNoteAndIsNotUnclaimed()
    {
        var hub = await StartAsync();
        var jobs = hub.Services.GetRequiredService<IReplayJobs>();
        var job = new ReplayJob
        {
            Id = "job-edit", Queue = "route", Actor = "op-hoa", ActorName = "Nguyễn Thị Hoa", Comment = "Sửa mã thủ tục",
            Selection = """{"edit":"route:1"}""", MaxPerSecond = 5, CreatedAt = At, Status = ReplayJobStatus.Running,
        };
        ReplayItem[] items =
        [
            new() { Position = 0, SequenceNumber = 7, MessageId = "route:1", ReplacementBody = "{\"fixed\":true}"u8.ToArray(), Note = "Sửa nội dung" },
            new() { Position = 1, SequenceNumber = 8, MessageId = "route:2" },
        ];
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await jobs.CreateAsync(transaction, job, items, new ReplayClaim("instance-a", At.AddMinutes(1)), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        var read = await jobs.ItemsAsync(job.Id, 0, 10, pendingOnly: true, CancellationToken.None);
        var unclaimed = await jobs.UnclaimedAsync(At.AddSeconds(30), CancellationToken.None);
        var afterLease = await jobs.UnclaimedAsync(At.AddMinutes(2), CancellationToken.None);

        Assert.Equal("""{"fixed":true}""", System.Text.Encoding.UTF8.GetString(read[0].ReplacementBody!.Value.Span));
        Assert.Equal("Sửa nội dung", read[0].Note);
        Assert.Null(read[1].ReplacementBody);
        Assert.Null(read[1].Note);
        Assert.Empty(unclaimed);
        Assert.Equal(["job-edit"], afterLease);
    }

    private Task<HubHost> StartAsync() => StartHostAsync(TimeProvider.System, services => services.AddOperationsStore());

    private static OperatorAction Action(string actor, string action, string queue, string? job, DateTimeOffset at) => new()
    {
        At = at, Actor = actor, ActorName = actor == "op-hoa" ? "Nguyễn Thị Hoa" : "Trần Văn Nam", Unit = "Tổ vận hành", Action = action,
        Queue = queue, JobId = job, Comment = "Gửi lại sau khi sửa dữ liệu",
    };
}

/// <summary>The operations store on SQLite (two instances: two hosts of one process, sharing its instance lock).</summary>
public sealed class SqliteOperationsStoreTests() : OperationsStoreTests(new SqliteTestStore());

/// <summary>The operations store on PostgreSQL.</summary>
public sealed class PostgresOperationsStoreTests(PostgresServer postgres, RabbitMqBroker broker)
    : OperationsStoreTests(new PostgresTestStore(postgres, broker));
