namespace PgGitV0.PowerShell.HelpGenerator;

internal sealed record CmdletModel(
    string Verb,
    string Noun,
    List<string> Synopsis,
    List<string> Description,
    List<ParameterModel> Parameters,
    List<string> ParameterSets,
    List<TypeDoc> Inputs,
    List<TypeDoc> Outputs,
    List<ExampleModel> Examples,
    List<string> RelatedLinks)
{
    public string Name => $"{Verb}-{Noun}";
}

/// <summary>A parameter as one parameter set sees it.</summary>
internal sealed record SetUsage(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

internal sealed record ParameterModel(
    string Name,
    string TypeName,
    string FullTypeName,
    bool IsSwitch,
    List<string> Aliases,
    bool SupportsWildcards,
    List<string> ValidValues,
    List<SetUsage> Sets,
    List<string> Description,
    string? DefaultValue)
{
    public const string AllSets = "__AllParameterSets";

    public SetUsage? In(string set) =>
        Sets.FirstOrDefault(usage => usage.SetName == set) ?? Sets.FirstOrDefault(usage => usage.SetName == AllSets);

    public bool Mandatory => Sets.Count > 0 && Sets.All(usage => usage.Mandatory);
    public int? Position => Sets.Select(usage => usage.Position).FirstOrDefault(position => position is not null);
    public bool ByValue => Sets.Any(usage => usage.ByValue);
    public bool ByPropertyName => Sets.Any(usage => usage.ByPropertyName);

    public string PipelineInput => (ByValue, ByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}

internal sealed record TypeDoc(string TypeName, List<string> Description);

internal sealed record ExampleModel(string Code, List<string> Remarks);
