using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.StandIns.Http;
using WireMock;

namespace IntegrationHub.StandIns.Systems;

/// <summary>
/// The National Population Database's citizen lookup (<c>POST /csdldc/api/TraCuuThongTinCongDan</c>):
/// each citizen of the data by <c>SoDinhDanh</c> with the whole record and the caller's request id,
/// 201 for any other ID; 400 for a request that lacks a field (200) or writes one in another form
/// (302): the name in capitals without diacritics, the ID of 12 digits, the birth date as yyyyMMdd.
/// </summary>
internal sealed partial class PopulationStandIn(StandInFiles data)
{
    private const string LookupPath = "/csdldc/api/TraCuuThongTinCongDan";

    // Checked in this order; where several are missing or malformed, the first found is named
    // (the order the stand-in has always named them in).
    private static readonly string[] Required = ["NgayThangNamSinh", "HoVaTen", "SoDinhDanh", "MucDichSuDung", "DonViYeuCau", "MaCanBo", "MaDichVu", "MaTichHop", "MaYeuCau"];

    private static readonly (string Field, Regex Form, string Rule)[] Forms =
    [
        ("NgayThangNamSinh", BirthDate(), "ngày sinh dạng yyyyMMdd"),
        ("HoVaTen", FoldedName(), "họ và tên viết hoa, không dấu"),
        ("SoDinhDanh", PersonalId(), "số định danh cá nhân gồm 12 chữ số"),
    ];

    public IResponseMessage? Answer(IRequestMessage request)
    {
        if (request.Method != "POST" || request.Path != LookupPath || !ApiGate.HasBearer(request))
        {
            return null;
        }

        var body = request.JsonBody();
        if (Required.FirstOrDefault(f => body?[f].Text() is null) is { } missing)
        {
            return Replies.Error(400, "200", $"Thiếu thông tin bắt buộc: {missing}");
        }

        foreach (var (field, form, rule) in Forms)
        {
            if (!form.IsMatch(body![field].Text()!))
            {
                return Replies.Error(400, "302", $"{field} không đúng định dạng: {rule}");
            }
        }

        var requestId = body!["MaYeuCau"].Text();
        if (!data.Citizens.TryGetValue(body["SoDinhDanh"].Text()!, out var record))
        {
            return Replies.Json(200, new JsonObject { ["error_code"] = "201", ["message"] = "Không tìm thấy thông tin công dân", ["MaYeuCau"] = requestId });
        }

        // The record's reply, with the caller's request id after the message, as the database answers.
        var reply = new JsonObject();
        foreach (var (name, value) in JsonNode.Parse(record)!.AsObject())
        {
            reply[name] = value?.DeepClone();
            if (name == "message")
            {
                reply["MaYeuCau"] = requestId;
            }
        }

        return Replies.Json(200, reply);
    }

    [GeneratedRegex("^[0-9]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex BirthDate();

    [GeneratedRegex("^[A-Z]+( [A-Z]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FoldedName();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalId();
}
