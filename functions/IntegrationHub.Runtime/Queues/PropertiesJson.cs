using System.Text.Json.Serialization;

namespace IntegrationHub.Runtime.Queues;

/// <summary>Application properties as stored: a JSON object of strings.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class PropertiesJson : JsonSerializerContext;
