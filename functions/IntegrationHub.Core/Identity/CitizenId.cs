using System.Collections.Frozen;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Identity;

/// <summary>What kind of identity number a string is.</summary>
public enum CitizenIdKind
{
    /// <summary>The 12-digit personal identification number (<c>số định danh cá nhân</c>) of the CCCD card.</summary>
    PersonalId,
    /// <summary>A 9-digit number of the old identity card (<c>CMND</c>).</summary>
    OldIdCard,
}

/// <summary>Why an identity number is refused.</summary>
public enum CitizenIdRejection
{
    /// <summary>Nothing was given.</summary>
    Missing,
    /// <summary>It contains something other than digits.</summary>
    NotDigits,
    /// <summary>It has neither 12 digits (personal ID) nor 9 (old ID card).</summary>
    WrongLength,
    /// <summary>Its first three digits are not a province of birth registration.</summary>
    UnknownProvince,
    /// <summary>Its century digit and birth-year digits disagree with the given birth date.</summary>
    BirthYearMismatch,
    /// <summary>Its century digit encodes the other sex than the one given.</summary>
    SexMismatch,
    /// <summary>The birth year it encodes is after the reference date.</summary>
    BirthYearInFuture,
}

/// <summary>The outcome of checking an identity number.</summary>
/// <param name="Kind">What it is, when accepted.</param>
/// <param name="Rejection">Why it is refused, when refused.</param>
/// <param name="Reason">The refusal in words, naming what is wrong.</param>
public readonly record struct CitizenIdCheck(CitizenIdKind? Kind, CitizenIdRejection? Rejection, string? Reason)
{
    /// <summary>Whether the number is accepted.</summary>
    public bool IsValid => Rejection is null;

    internal static CitizenIdCheck Valid(CitizenIdKind kind) => new(kind, null, null);

    internal static CitizenIdCheck Refused(CitizenIdRejection rejection, string reason) => new(null, rejection, reason);
}

/// <summary>
/// The structure of Vietnamese identity numbers. A personal ID has 12 digits: the province of
/// birth registration (3), a digit for century and sex (0/1: 1900s male/female, 2/3: 2000s,
/// 4/5: 2100s, ...), the last two digits of the birth year, and 6 random digits. There is no
/// official check digit, so none is checked. A 9-digit number is an old identity card.
/// </summary>
public static class CitizenId
{
    /// <summary>
    /// Province codes of birth registration (the 63 provinces and cities before the 2025 merger;
    /// numbers issued before it keep their code).
    /// </summary>
    public static FrozenDictionary<string, string> Provinces { get; } = new Dictionary<string, string>
    {
        ["001"] = "Hà Nội", ["002"] = "Hà Giang", ["004"] = "Cao Bằng", ["006"] = "Bắc Kạn", ["008"] = "Tuyên Quang",
        ["010"] = "Lào Cai", ["011"] = "Điện Biên", ["012"] = "Lai Châu", ["014"] = "Sơn La", ["015"] = "Yên Bái",
        ["017"] = "Hòa Bình", ["019"] = "Thái Nguyên", ["020"] = "Lạng Sơn", ["022"] = "Quảng Ninh", ["024"] = "Bắc Giang",
        ["025"] = "Phú Thọ", ["026"] = "Vĩnh Phúc", ["027"] = "Bắc Ninh", ["030"] = "Hải Dương", ["031"] = "Hải Phòng",
        ["033"] = "Hưng Yên", ["034"] = "Thái Bình", ["035"] = "Hà Nam", ["036"] = "Nam Định", ["037"] = "Ninh Bình",
        ["038"] = "Thanh Hóa", ["040"] = "Nghệ An", ["042"] = "Hà Tĩnh", ["044"] = "Quảng Bình", ["045"] = "Quảng Trị",
        ["046"] = "Thừa Thiên Huế", ["048"] = "Đà Nẵng", ["049"] = "Quảng Nam", ["051"] = "Quảng Ngãi", ["052"] = "Bình Định",
        ["054"] = "Phú Yên", ["056"] = "Khánh Hòa", ["058"] = "Ninh Thuận", ["060"] = "Bình Thuận", ["062"] = "Kon Tum",
        ["064"] = "Gia Lai", ["066"] = "Đắk Lắk", ["067"] = "Đắk Nông", ["068"] = "Lâm Đồng", ["070"] = "Bình Phước",
        ["072"] = "Tây Ninh", ["074"] = "Bình Dương", ["075"] = "Đồng Nai", ["077"] = "Bà Rịa - Vũng Tàu", ["079"] = "Hồ Chí Minh",
        ["080"] = "Long An", ["082"] = "Tiền Giang", ["083"] = "Bến Tre", ["084"] = "Trà Vinh", ["086"] = "Vĩnh Long",
        ["087"] = "Đồng Tháp", ["089"] = "An Giang", ["091"] = "Kiên Giang", ["092"] = "Cần Thơ", ["093"] = "Hậu Giang",
        ["094"] = "Sóc Trăng", ["095"] = "Bạc Liêu", ["096"] = "Cà Mau",
    }.ToFrozenDictionary();

    /// <summary>
    /// Checks an identity number; with a birth date and sex, also that the number agrees with them.
    /// </summary>
    /// <param name="value">The number as given.</param>
    /// <param name="birthDate">The holder's birth date, when known.</param>
    /// <param name="sex">The holder's sex, when known.</param>
    /// <param name="today">When given, a personal ID encoding a later birth year is refused.</param>
    public static CitizenIdCheck Check(string? value, DateOnly? birthDate = null, Sex? sex = null, DateOnly? today = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.Missing, "No identity number was given.");
        }

        if (!value.All(char.IsAsciiDigit))
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.NotDigits, $"An identity number has only digits; this one has {value.Length} characters, not all digits.");
        }

        if (value.Length == 9)
        {
            return CitizenIdCheck.Valid(CitizenIdKind.OldIdCard);
        }

        if (value.Length != 12)
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.WrongLength, $"An identity number has 12 digits (personal ID) or 9 (old ID card); this one has {value.Length}.");
        }

        var province = value[..3];
        if (!Provinces.ContainsKey(province))
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.UnknownProvince, $"'{province}' is not a province code of birth registration.");
        }

        var centuryDigit = value[3] - '0';
        var encodedYear = EncodedBirthYear(value);
        var encodedSex = centuryDigit % 2 == 0 ? Sex.Male : Sex.Female;

        if (today is { } now && encodedYear > now.Year)
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.BirthYearInFuture, $"The personal ID encodes birth year {encodedYear}, which is after {now.Year}.");
        }

        if (birthDate is { } born && born.Year != encodedYear)
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.BirthYearMismatch, $"The personal ID encodes birth year {encodedYear}, but the birth date is in {born.Year}.");
        }

        if (sex is { } given && given != encodedSex)
        {
            return CitizenIdCheck.Refused(CitizenIdRejection.SexMismatch, $"The personal ID's century digit {centuryDigit} encodes {encodedSex.ToString().ToLowerInvariant()}, but the sex given is {given.ToString().ToLowerInvariant()}.");
        }

        return CitizenIdCheck.Valid(CitizenIdKind.PersonalId);
    }

    /// <summary>The birth year a 12-digit personal ID encodes.</summary>
    /// <exception cref="ArgumentException">The value is not 12 digits.</exception>
    public static int EncodedBirthYear(string personalId)
    {
        ArgumentNullException.ThrowIfNull(personalId);
        if (personalId.Length != 12 || !personalId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A personal ID has 12 digits.", nameof(personalId));
        }

        var century = 1900 + ((personalId[3] - '0') / 2 * 100);
        return century + ((personalId[4] - '0') * 10) + (personalId[5] - '0');
    }

    /// <summary>
    /// The number with all but its first and last three characters hidden (<c>001******789</c>), fit
    /// for logs and errors. Short values are hidden entirely.
    /// </summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.Length <= 6
            ? new string('*', value.Length)
            : string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 6), value.AsSpan(value.Length - 3));
    }
}
