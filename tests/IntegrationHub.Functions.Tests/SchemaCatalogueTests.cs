using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Functions.Tests;

/// <summary>The one catalogue of published schemas: what it refuses to start with.</summary>
public sealed class SchemaCatalogueTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"hub-schemas-{Guid.NewGuid():N}");

    [Fact]
    public async Task Load_FolderMissing_FailsNamingTheFolder()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new MessageSchemas(folder).LoadAsync(CancellationToken.None));

        Assert.Contains(folder, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_SchemaThatIsNotJson_FailsNamingTheFile()
    {
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(MessageSchemas.DefaultFolder, "dossier-acknowledgement.schema.json"), Path.Combine(folder, "dossier-acknowledgement.schema.json"));
        File.WriteAllText(Path.Combine(folder, "broken.schema.json"), "{ \"title\": \"Broken\", ");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new MessageSchemas(folder).LoadAsync(CancellationToken.None));

        Assert.Contains("broken.schema.json", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_SchemaWithoutTitle_FailsNamingTheFile()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "untitled.schema.json"), """{ "type": "object" }""");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new MessageSchemas(folder).LoadAsync(CancellationToken.None));

        Assert.Contains("untitled.schema.json", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostStart_SchemasFolderMissing_StopsTheHostNamingTheFolder()
    {
        using var host = new HostFixture { Replacements = services => services.AddSingleton(new MessageSchemas(folder)) };

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains(folder, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ThePublishedCatalogue_NamesEachFailingField()
    {
        var schemas = new MessageSchemas(MessageSchemas.DefaultFolder);
        await schemas.LoadAsync(CancellationToken.None);

        var errors = MessageSchemas.Check(schemas.For(typeof(Schemas.IdentityVerificationRequest)), """{"citizenId":"12","fullName":"A","birthDate":"1990-01-01","extra":1}""");

        Assert.Contains(errors, e => e.Field == "citizenId" && e.Error == "PatternMismatch");
        Assert.Contains(errors, e => e.Field == "purpose" && e.Error == "PropertyRequired");
        Assert.Contains(errors, e => e.Field == "extra" && e.Error == "NoAdditionalPropertiesAllowed");
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
