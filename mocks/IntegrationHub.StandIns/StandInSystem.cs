namespace IntegrationHub.StandIns;

/// <summary>One system the stand-ins play: where it lives on the server and the credentials the hub is given there.</summary>
/// <param name="Name">The system's name in the hub (<c>portal</c>, <c>population</c>, <c>land</c>, <c>business</c>).</param>
/// <param name="Prefix">Its path prefix, e.g. <c>/dvcqg</c>: the API below <c>/api/</c>, the token endpoint at <c>/oauth2/token</c>.</param>
/// <param name="ClientId">The OAuth2 client id it accepts.</param>
/// <param name="ClientSecret">The OAuth2 client secret it accepts.</param>
/// <param name="ConnectorSection">The hub's settings section for it.</param>
public sealed record StandInSystem(string Name, string Prefix, string ClientId, string ClientSecret, string ConnectorSection)
{
    /// <summary>Its API's base path, e.g. <c>/dvcqg/api/</c>.</summary>
    public string ApiPath => $"{Prefix}/api/";

    /// <summary>Its token endpoint's path, e.g. <c>/dvcqg/oauth2/token</c>.</summary>
    public string TokenPath => $"{Prefix}/oauth2/token";
}
