using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Gateways;

namespace IntegrationHub.Functions.Identity;

/// <summary>Identity checks on demand: purposes, what each may see, caching, and the audit key.</summary>
internal sealed class IdentityOptions : IValidatableObject
{
    public const string Section = "Identity";

    /// <summary>How long an answer is reused for the same question.</summary>
    /// <value>Default 5 minutes; 0 turns the cache off; at most 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Identity:CacheDuration must be between 0 and 1 hour.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The secret (base64, at least 32 bytes) keying the hashes that stand for citizen IDs in the cache
    /// and the audit log, so that neither keeps the number.
    /// </summary>
    /// <value>Required. Changing it makes earlier audit entries unfindable by citizen.</value>
    [Required(ErrorMessage = "Identity:AuditKey is required: a base64 secret of at least 32 bytes that keys the hashes standing for citizen IDs.")]
    public string AuditKey { get; set; } = "";

    /// <summary>Named purposes and the prefill fields each may receive.</summary>
    public Dictionary<string, PrefillField[]> Purposes { get; set; } = [];

    /// <summary>The prefill fields allowed when the purpose is the code of a procedure of the catalogue.</summary>
    /// <value>
    /// Default full name, sex, permanent and current address (<see cref="FieldsForProcedures"/>); a
    /// configured list replaces the default. (Null here rather than the default: the configuration
    /// binder adds a configured list to the items of an array it finds, instead of replacing them.)
    /// </value>
    public PrefillField[]? ProcedurePurposeFields { get; set; }

    /// <summary>The prefill fields a procedure code as purpose allows: the configured ones, or the default.</summary>
    public IReadOnlyList<PrefillField> FieldsForProcedures =>
        ProcedurePurposeFields ?? [PrefillField.FullName, PrefillField.Sex, PrefillField.PermanentAddress, PrefillField.CurrentAddress];

    public byte[] AuditKeyBytes() => Convert.FromBase64String(AuditKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        byte[]? key = null;
        try
        {
            key = string.IsNullOrEmpty(AuditKey) ? null : Convert.FromBase64String(AuditKey);
        }
        catch (FormatException)
        {
            // reported below
        }

        if (!string.IsNullOrEmpty(AuditKey) && (key is null || key.Length < 32))
        {
            yield return new ValidationResult("Identity:AuditKey must be base64 of at least 32 bytes.", [nameof(AuditKey)]);
        }
    }
}
