using System.Globalization;
using System.Text;

namespace IntegrationHub.Connectors.Wire;

/// <summary>Vietnamese text folded for comparison: diacritics removed (đ → d), upper case, single spaces.</summary>
internal static class VietnameseText
{
    /// <summary>"Nguyễn  Thị Minh Anh" → "NGUYEN THI MINH ANH".</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c switch
            {
                'đ' or 'Đ' => 'D',
                _ => char.ToUpperInvariant(c),
            });
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
