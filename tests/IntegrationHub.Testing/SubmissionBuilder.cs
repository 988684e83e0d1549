using IntegrationHub.Schemas;

namespace IntegrationHub.Testing;

/// <summary>Builds portal submissions for tests: a valid online citizen submission unless told otherwise.</summary>
public sealed class SubmissionBuilder
{
    private string portalCode = "G22.99-241205-000123";
    private string procedureCode = "1.010819";
    private Channel channel = Channel.Online;
    private string? branch;
    private DateTimeOffset submittedAt = ReferenceDataFiles.Vn(2024, 12, 5, 9, 12);
    private Applicant applicant = new()
    {
        Kind = ApplicantKind.Citizen,
        Name = "Nguyễn Thị Minh Anh",
        IdNumber = "001190012345",
        BirthDate = new DateOnly(1990, 3, 14),
        Sex = Sex.Female,
    };

    public SubmissionBuilder WithPortalCode(string value) { portalCode = value; return this; }

    public SubmissionBuilder WithProcedure(string value) { procedureCode = value; return this; }

    public SubmissionBuilder WithChannel(Channel value) { channel = value; return this; }

    public SubmissionBuilder HandedInAt(string value) { branch = value; channel = Channel.InPerson; return this; }

    public SubmissionBuilder SubmittedAt(DateTimeOffset value) { submittedAt = value; return this; }

    public SubmissionBuilder WithCitizenId(string value) { applicant = applicant with { IdNumber = value }; return this; }

    public SubmissionBuilder WithApplicant(Applicant value) { applicant = value; return this; }

    public SubmissionReceived Build() => new()
    {
        PortalCode = portalCode,
        ProcedureCode = procedureCode,
        Channel = channel,
        Applicant = applicant,
        Summary = "Yêu cầu giải quyết thủ tục hành chính",
        SubmittedAt = submittedAt,
        ReceivingBranch = branch,
    };
}
