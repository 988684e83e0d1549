using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class CheckpointExportTests
{
    [Fact]
    public void Write_ThenRead_KeepsEverySignatureValid()
    {
        using var trail = new AuditTrail().Timeline(3).Lookups(2).Seal();
        trail.Checkpoint();
        trail.Operator(1).Seal();
        trail.Checkpoint();
        using var keys = trail.Keys();

        var text = CheckpointExports.Write(CheckpointExports.Of(trail.Checkpoints.Reverse(), trail.Clock.GetUtcNow()));
        var read = CheckpointExports.Read(text);

        Assert.Equal([1L, 2L], read.Select(c => c.Number));
        Assert.All(read, c => Assert.Equal(SignatureCheck.Valid, keys.Verify(c)));
        Assert.Contains("\"format\": \"integrationhub-audit-checkpoints/1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PublishedExample_HoldsWithThePublishedExampleKey()
    {
        var checkpoints = CheckpointExports.Read(File.ReadAllText(RepoPaths.InRepo("schemas", "examples", "audit-checkpoint-export.json")));
        using var keys = AuditKeySet.FromJwks(File.ReadAllText(RepoPaths.InRepo("schemas", "examples", "audit-keys.json")));

        Assert.Equal([SignatureCheck.Valid, SignatureCheck.Valid], checkpoints.Select(keys.Verify));
    }

    [Fact]
    public void Read_AnotherFormat_IsRefusedNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => CheckpointExports.Read("""{"format":"x/2","exportedAt":"2026-12-03T14:05:00+07:00","checkpoints":[]}"""));

        Assert.Contains("x/2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HashThatIsNotAHash_IsRefusedNamingTheCheckpointAndChain()
    {
        const string text = """
            {"format":"integrationhub-audit-checkpoints/1","exportedAt":"2026-12-03T14:05:00+07:00","checkpoints":[
              {"number":4,"at":"2026-12-03T14:00:00+07:00","keyId":"k","signature":"s","chains":[{"chain":"timeline","count":1,"lastHash":"XYZ"}]}]}
            """;

        var error = Assert.Throws<FormatException>(() => CheckpointExports.Read(text));

        Assert.Contains("number 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("timeline", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"format":"integrationhub-audit-checkpoints/1"}""")]
    [InlineData("""{"format":"integrationhub-audit-checkpoints/1","exportedAt":"2026-12-03T14:05:00+07:00","checkpoints":[],"extra":1}""")]
    public void Read_NotAnExport_IsRefused(string text)
    {
        Assert.Throws<FormatException>(() => CheckpointExports.Read(text));
    }
}
