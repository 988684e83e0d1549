using System.Text.RegularExpressions;
using IntegrationHub.StandIns.Http;
using WireMock;

namespace IntegrationHub.StandIns.Systems;

/// <summary>
/// What every system's API answers before and after its own services: 401 (<c>error_code</c> 100)
/// without an <c>Authorization</c> header, and 400 (302) for anything it does not serve.
/// </summary>
internal static partial class ApiGate
{
    public static IResponseMessage Answer(IRequestMessage request, Func<IRequestMessage, IResponseMessage?> service)
    {
        if (request.Header("Authorization") is null)
        {
            return Replies.Error(401, "100", "Lỗi xác thực: thiếu mã truy cập (access token)");
        }

        return service(request) ?? NotServed();
    }

    /// <summary>The bearer token the services ask for: <c>Bearer</c> and a token of URL-safe characters.</summary>
    public static bool HasBearer(IRequestMessage request) => request.Header("Authorization") is { } value && Bearer().IsMatch(value);

    public static IResponseMessage NotServed() => Replies.Error(400, "302", "Yêu cầu không hợp lệ hoặc dịch vụ không tồn tại");

    [GeneratedRegex("^Bearer [A-Za-z0-9._~+/=-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}
