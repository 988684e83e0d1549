using System.Text.Json.Nodes;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>
/// The shipped reference data copied to a folder of the test's own, for a hub to read
/// (<c>ReferenceData:Directory</c>) and reload when the test changes it, as an operator would.
/// </summary>
public sealed class ReferenceDataCopy : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "integrationhub-tests", Guid.NewGuid().ToString("N"));

    public ReferenceDataCopy()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in new[] { "procedures.json", "routing.json", "calendar.json" })
        {
            File.Copy(RepoPaths.DataFile(file), Path.Combine(Directory, file));
        }
    }

    /// <summary>The folder holding the copy.</summary>
    public string Directory => Path.Combine(folder, "data");

    /// <summary>Adds a procedure to the catalogue, handled by <paramref name="department"/>, in one atomic write.</summary>
    public void AddProcedure(string code, string department)
    {
        var path = Path.Combine(Directory, "procedures.json");
        var catalogue = JsonNode.Parse(File.ReadAllText(path))!;
        var procedure = catalogue["procedures"]!.AsArray().First(p => (string?)p!["department"] == department)!.DeepClone();
        procedure["code"] = code;
        procedure["name"] = "Thủ tục bổ sung vào danh mục";
        catalogue["procedures"]!.AsArray().Add(procedure);
        File.WriteAllText(path + ".new", catalogue.ToJsonString());
        File.Move(path + ".new", path, overwrite: true);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
