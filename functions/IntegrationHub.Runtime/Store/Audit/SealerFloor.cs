namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>How far a table is known to be sealed, and the highest id seen at an earlier pass that it moves up to once that pass is settled.</summary>
internal readonly record struct SealerFloor(long Floor, long Candidate, long CandidateXid, DateTimeOffset CandidateAt)
{
    /// <summary>SQLite's floor: the last id sealed (nothing below it can still commit).</summary>
    public static SealerFloor Sealed(long last) => new(last, last, 0, DateTimeOffset.MinValue);

    /// <summary>
    /// Called once everything above the floor that could be read has been sealed: the floor moves up
    /// to the candidate when it has settled, and a moved floor takes the highest id now as its next candidate.
    /// </summary>
    public SealerFloor Next(bool candidateSettled, long highest, long xmax, DateTimeOffset now)
    {
        var floor = candidateSettled && Candidate > Floor ? this with { Floor = Candidate } : this;
        return floor.Candidate <= floor.Floor ? floor with { Candidate = highest, CandidateXid = xmax, CandidateAt = now } : floor;
    }
}
