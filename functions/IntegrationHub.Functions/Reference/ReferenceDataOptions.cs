using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Reference;

/// <summary>Where the reference data (procedures, routing table, calendar) is read from.</summary>
internal sealed class ReferenceDataOptions : IValidatableObject
{
    public const string Section = "ReferenceData";

    /// <summary>The folder holding procedures.json, routing.json and calendar.json.</summary>
    /// <value>Default: <c>data</c> beside the program. Files changed there are reloaded without a restart.</value>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Working hours in Asia/Ho_Chi_Minh time.</summary>
    /// <value>Default <c>07:00-11:30,13:30-17:00</c>.</value>
    [Required(ErrorMessage = "ReferenceData:WorkingHours must give the working hours, e.g. 07:00-11:30,13:30-17:00.")]
    public string WorkingHours { get; set; } = Core.Calendar.WorkingHours.Default.ToString();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield return new ValidationResult($"ReferenceData:Directory '{Directory}' does not exist.", [nameof(Directory)]);
        }

        if (string.IsNullOrWhiteSpace(WorkingHours))
        {
            yield break;
        }

        string? problem = null;
        try
        {
            Core.Calendar.WorkingHours.Parse(WorkingHours);
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"ReferenceData:WorkingHours is not valid: {problem}", [nameof(WorkingHours)]);
        }
    }
}
